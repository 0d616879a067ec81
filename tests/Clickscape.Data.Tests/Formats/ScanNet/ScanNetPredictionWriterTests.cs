using Clickscape.Data.Formats.ScanNet;

namespace Clickscape.Data.Tests.Formats.ScanNet;

public sealed class ScanNetPredictionWriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("clickscape-predwriter-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Writes_instance_summary_masks_and_semantic_ids_that_read_back()
    {
        int[] semantic = [5, 5, 5, 7, 7, 0, 1];
        ScanNetPredictionWriter.Write(_dir, "scene0003_00", 7, semantic, [(5, 0.75f, [0, 1, 2]), (7, 0.5f, [3, 4])]);

        Assert.Equal(semantic, ScanNetEvaluationFiles.ReadVertexIds(Path.Combine(_dir, "semantic", "scene0003_00.txt")));
        var entries = ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(_dir, "instance", "scene0003_00.txt"));
        Assert.Equal(2, entries.Count);
        Assert.Equal("pred_mask/scene0003_00_0.txt", entries[0].RelativePath);
        Assert.Equal([5, 7], entries.Select(e => e.LabelId));
        Assert.Equal([0.75, 0.5], entries.Select(e => e.Confidence));
        Assert.Equal([0, 1, 2], ScanNetEvaluationFiles.ReadMaskVertices(entries[0].FullPath, 7));
        Assert.Equal([3, 4], ScanNetEvaluationFiles.ReadMaskVertices(entries[1].FullPath, 7));
        // Nothing but the three files (and no temporary ones) is left behind.
        Assert.Equal(4, Directory.GetFiles(_dir, "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public void Rewriting_a_scene_with_fewer_instances_removes_its_stale_masks_only()
    {
        ScanNetPredictionWriter.Write(_dir, "a", 3, [5, 5, 7], [(5, 0.9f, [0, 1]), (7, 0.8f, [2]), (5, 0.1f, [0])]);
        ScanNetPredictionWriter.Write(_dir, "a_1", 3, [5, 5, 7], [(5, 0.9f, [0, 1]), (7, 0.8f, [2])]);
        ScanNetPredictionWriter.Write(_dir, "a", 3, [5, 5, 7], [(5, 0.9f, [0, 1])]);
        var masks = Directory.GetFiles(Path.Combine(_dir, "instance", "pred_mask")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(["a_0.txt", "a_1_0.txt", "a_1_1.txt"], masks);
        Assert.Single(ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(_dir, "instance", "a.txt")));
    }

    [Fact]
    public void A_scene_without_instances_gets_an_empty_summary()
    {
        ScanNetPredictionWriter.Write(_dir, "empty", 2, [1, 2], []);
        Assert.Equal("", File.ReadAllText(Path.Combine(_dir, "instance", "empty.txt")));
        Assert.Empty(ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(_dir, "instance", "empty.txt")));
    }

    [Fact]
    public void Rejects_bad_input_before_writing_anything()
    {
        Assert.Throws<ArgumentException>(() => ScanNetPredictionWriter.Write(_dir, "s", 3, [1, 2], []));
        Assert.Throws<ArgumentException>(() => ScanNetPredictionWriter.Write(_dir, "s", 2, [1, 41], []));
        Assert.Throws<ArgumentException>(() => ScanNetPredictionWriter.Write(_dir, "s", 2, [1, 2], [(0, 0.5f, [0])]));
        Assert.Throws<ArgumentException>(() => ScanNetPredictionWriter.Write(_dir, "s", 2, [1, 2], [(5, float.NaN, [0])]));
        Assert.Throws<ArgumentException>(() => ScanNetPredictionWriter.Write(_dir, "../s", 2, [1, 2], []));
        Assert.Throws<ArgumentException>(() => ScanNetPredictionWriter.Write(_dir, "s", 2, [1, 2], [(5, 0.5f, [0, 2])]));
        Assert.Empty(Directory.GetFileSystemEntries(_dir));
    }
}
