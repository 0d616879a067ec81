using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;

namespace Clickscape.Evaluation.Tests.Formats;

public sealed class ScanNetEvaluationFilesTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "clickscape-snfiles-" + Guid.NewGuid().ToString("N"));

    public ScanNetEvaluationFilesTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void VertexIds_RoundTrip()
    {
        var path = Path.Combine(_root, "gt.txt");
        int[] ids = [0, 5001, 5001, 39012, 0, 1001];
        ScanNetEvaluationFiles.WriteVertexIds(path, ids);
        Assert.Equal(ids, ScanNetEvaluationFiles.ReadVertexIds(path));
    }

    [Fact]
    public void VertexIds_AcceptCrLfAndSpaces_RejectText()
    {
        var path = Path.Combine(_root, "ids.txt");
        File.WriteAllText(path, "1\r\n -2 \r\n+3\n");
        Assert.Equal([1, -2, 3], ScanNetEvaluationFiles.ReadVertexIds(path));
        File.WriteAllText(path, "1\nx\n");
        var e = Assert.Throws<DataFormatException>(() => ScanNetEvaluationFiles.ReadVertexIds(path));
        Assert.Contains("line 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predictions_RoundTrip_ThroughSummaryAndMasks()
    {
        var masks = new[]
        {
            new ScanNetPredictedMask([0, 3, 4], 5, 0.123456789012345678),
            new ScanNetPredictedMask([], 39, 1.0),
        };
        ScanNetEvaluationFiles.WriteInstancePredictions(_root, "scene0001_00", 6, masks);
        var entries = ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(_root, "scene0001_00.txt"));
        Assert.Equal(2, entries.Count);
        Assert.Equal("pred_mask/scene0001_00_0.txt", entries[0].RelativePath);
        Assert.Equal(5, entries[0].LabelId);
        Assert.Equal(0.123456789012345678, entries[0].Confidence);
        Assert.Equal([0, 3, 4], ScanNetEvaluationFiles.ReadMaskVertices(entries[0].FullPath, 6));
        Assert.Empty(ScanNetEvaluationFiles.ReadMaskVertices(entries[1].FullPath, 6));
    }

    [Fact]
    public void Summary_LabelParsedAsIntOfFloat_DuplicatePathKeepsFirstPositionLastValues()
    {
        var path = Path.Combine(_root, "s.txt");
        File.WriteAllText(path, "m/a.txt 5.7 0.5\nm/b.txt 7 0.25\nm/a.txt 3 0.75\n");
        var entries = ScanNetEvaluationFiles.ReadPredictionSummary(path);
        Assert.Equal(2, entries.Count);
        Assert.Equal("m/a.txt", entries[0].RelativePath);
        Assert.Equal(3, entries[0].LabelId);
        Assert.Equal(0.75, entries[0].Confidence);
        File.WriteAllText(path, "m/a.txt 5.7 0.5\n");
        Assert.Equal(5, ScanNetEvaluationFiles.ReadPredictionSummary(path)[0].LabelId);
    }

    [Fact]
    public void Summary_RejectsPathsOutsideTheFolder_AndDoubleSpaces()
    {
        var path = Path.Combine(_root, "s.txt");
        File.WriteAllText(path, "../x.txt 5 0.5\n");
        Assert.Throws<DataFormatException>(() => ScanNetEvaluationFiles.ReadPredictionSummary(path));
        File.WriteAllText(path, "m/a.txt  5 0.5\n");
        Assert.Throws<DataFormatException>(() => ScanNetEvaluationFiles.ReadPredictionSummary(path));
    }

    [Fact]
    public void Mask_WrongLineCount_NamesFileAndCounts()
    {
        var path = Path.Combine(_root, "mask.txt");
        File.WriteAllText(path, "0\n1\n");
        var e = Assert.Throws<DataFormatException>(() => ScanNetEvaluationFiles.ReadMaskVertices(path, 3));
        Assert.Contains("mask.txt", e.Message, StringComparison.Ordinal);
        Assert.Contains("2 lines", e.Message, StringComparison.Ordinal);
    }
}
