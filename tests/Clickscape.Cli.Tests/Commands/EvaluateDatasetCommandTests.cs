using System.Text.Json;
using Clickscape.Data.Classes;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;

namespace Clickscape.Cli.Tests.Commands;

/// <summary>The first two rooms of the benchmark (scene0000_00 train, scene0001_00 val), generated once for the class.</summary>
public sealed class TwoRoomDataset : IDisposable
{
    public TwoRoomDataset()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        if (Program.Run(["synth", "benchmark", "--out", Root, "--rooms", "2"], output, error) != 0)
            throw new InvalidOperationException(error.ToString());
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("clickscape-evalds-").FullName;

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

public sealed class EvaluateDatasetCommandTests(TwoRoomDataset dataset) : CommandTest, IClassFixture<TwoRoomDataset>
{
    /// <summary>
    /// Writes predictions equal to the ground truth (every instance of an instance class, score 1; every vertex's
    /// nyu40 id) with <see cref="ScanNetPredictionWriter"/>, for <paramref name="scenes"/> (default: all).
    /// </summary>
    private string WritePerfect(params string[] scenes)
    {
        var outDir = Path.Combine(Dir, "out");
        foreach (var source in SceneDataset.Open(dataset.Root).Scenes.Where(s => scenes.Length == 0 || scenes.Contains(s.Name)))
        {
            var scene = source.Load();
            var instances = scene.InstanceIds!.Select((id, v) => (id, v)).Where(x => x.id > 0).GroupBy(x => x.id)
                .Select(g => (Label: scene.SemanticLabels![g.First().v], Points: g.Select(x => x.v).ToArray()))
                .Where(x => ScanNetBenchmark.IsInstanceClass(x.Label))
                .Select(x => (x.Label, 1f, x.Points)).ToList();
            ScanNetPredictionWriter.Write(outDir, source.Name, scene.PointCount, scene.SemanticLabels, instances);
        }
        return outDir;
    }

    private static JsonElement Json(string path) => JsonDocument.Parse(File.ReadAllText(path)).RootElement;

    [Fact]
    public void Perfect_predictions_read_back_from_the_writer_score_AP_1_and_mIoU_1()
    {
        var outDir = WritePerfect();
        var json = Path.Combine(Dir, "r.json");
        var (code, output, error) = Run("evaluate", "--pred", Path.Combine(outDir, "instance"), "--gt", dataset.Root, "--json", json);
        Assert.True(code == 0, error);
        Assert.Contains("ScanNet instance AP over 2 scene(s)", output, StringComparison.Ordinal);
        Assert.Contains("ScanNet semantic IoU over 2 scene(s)", output, StringComparison.Ordinal);
        var root = Json(json);
        Assert.Equal(1.0, root.GetProperty("ap").GetDouble());
        Assert.Equal(1.0, root.GetProperty("ap50").GetDouble());
        Assert.Equal(1.0, root.GetProperty("ap25").GetDouble());
        Assert.Equal(1.0, root.GetProperty("miou").GetDouble());
        // Per-class detail is kept.
        Assert.Equal(18, root.GetProperty("result").GetProperty("classAp").GetArrayLength());
        Assert.Equal(20, root.GetProperty("semantic").GetProperty("classIou").GetArrayLength());

        // predict's OUT folder itself, and the semantic metric alone.
        Assert.Equal(0, Run("evaluate", "--pred", outDir, "--gt", dataset.Root, "--json", json).Code);
        Assert.Equal(1.0, Json(json).GetProperty("miou").GetDouble());
        (code, _, error) = Run("evaluate", "--metric", "scannet-semantic", "--pred", outDir, "--gt", dataset.Root, "--json", json);
        Assert.True(code == 0, error);
        Assert.Equal(1.0, Json(json).GetProperty("miou").GetDouble());
        Assert.False(Json(json).TryGetProperty("ap", out _));
    }

    [Fact]
    public void A_wrong_prediction_scores_below_1()
    {
        var outDir = WritePerfect();
        // Scene 0: no instances, every vertex predicted as wall.
        var scene = SceneDataset.Open(dataset.Root).Find("scene0000_00")!.Load();
        ScanNetPredictionWriter.Write(outDir, "scene0000_00", scene.PointCount, Enumerable.Repeat(1, scene.PointCount).ToArray(), []);
        var json = Path.Combine(Dir, "r.json");
        Assert.Equal(0, Run("evaluate", "--pred", Path.Combine(outDir, "instance"), "--gt", dataset.Root, "--json", json).Code);
        Assert.InRange(Json(json).GetProperty("ap").GetDouble(), 0, 0.99);
        Assert.InRange(Json(json).GetProperty("miou").GetDouble(), 0, 0.99);
        // The val split holds only the perfect scene.
        var (code, output, error) = Run("evaluate", "--pred", Path.Combine(outDir, "instance"), "--gt", dataset.Root, "--split", "val", "--json", json);
        Assert.True(code == 0, error);
        Assert.Contains("over 1 scene(s) of split val", output, StringComparison.Ordinal);
        Assert.Equal(1.0, Json(json).GetProperty("ap").GetDouble());
        Assert.Equal(1.0, Json(json).GetProperty("miou").GetDouble());
    }

    [Fact]
    public void A_scene_folder_is_ground_truth_too()
    {
        var outDir = WritePerfect("scene0001_00");
        var json = Path.Combine(Dir, "r.json");
        var (code, output, error) = Run("evaluate", "--pred", Path.Combine(outDir, "instance"), "--gt", Path.Combine(dataset.Root, "scans", "scene0001_00"), "--json", json);
        Assert.True(code == 0, error);
        Assert.Contains("over 1 scene(s)", output, StringComparison.Ordinal);
        Assert.Equal(1.0, Json(json).GetProperty("ap").GetDouble());
    }

    [Fact]
    public void A_split_scene_without_prediction_is_a_one_line_error()
    {
        var outDir = WritePerfect("scene0001_00");
        var (code, _, error) = Run("evaluate", "--pred", Path.Combine(outDir, "instance"), "--gt", dataset.Root, "--split", "train");
        Assert.Equal(1, code);
        Assert.Contains("scene0000_00", error, StringComparison.Ordinal);
        Assert.Contains("no prediction", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void A_prediction_of_a_scene_the_dataset_lacks_is_a_one_line_error()
    {
        var outDir = WritePerfect("scene0001_00");
        ScanNetPredictionWriter.Write(outDir, "scene0099_00", 3, [1, 1, 1], []);
        var (code, _, error) = Run("evaluate", "--pred", Path.Combine(outDir, "instance"), "--gt", dataset.Root);
        Assert.Equal(1, code);
        Assert.Contains("scene0099_00", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        (code, _, error) = Run("evaluate", "--pred", Path.Combine(outDir, "instance"), "--gt", dataset.Root, "--split", "nosuch");
        Assert.Equal(1, code);
        Assert.Contains("nosuch", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_ground_truth_keeps_working_with_headline_keys_and_refuses_a_split()
    {
        var gtDir = Path.Combine(Dir, "gt");
        var predDir = Path.Combine(Dir, "pred");
        var gt = new int[300];
        Array.Fill(gt, 5001, 0, 200);
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(gtDir, "x.txt"), gt);
        ScanNetEvaluationFiles.WriteInstancePredictions(predDir, "x", 300, [new ScanNetPredictedMask([.. Enumerable.Range(0, 200)], 5, 0.9)]);
        var json = Path.Combine(Dir, "r.json");
        var (code, _, error) = Run("evaluate", "--pred", predDir, "--gt", gtDir, "--json", json);
        Assert.True(code == 0, error);
        Assert.Equal(1.0, Json(json).GetProperty("ap").GetDouble());
        Assert.Equal(JsonValueKind.Null, Json(json).GetProperty("result").GetProperty("classAp")[0].ValueKind);
        Assert.False(Json(json).TryGetProperty("miou", out _));
        (code, _, error) = Run("evaluate", "--pred", predDir, "--gt", gtDir, "--split", "val");
        Assert.Equal(1, code);
        Assert.Contains("--split", error, StringComparison.Ordinal);
        Assert.Equal(0, Run("evaluate", "--pred", predDir, "--gt", gtDir, "--split", "all").Code);
    }
}
