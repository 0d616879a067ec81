using System.Text.Json;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Testing;
using Xunit.Abstractions;

namespace Clickscape.Cli.Tests.Commands;

/// <summary><c>synth parts</c> → <c>train --method parts</c> → <c>predict</c> (level folders) → <c>evaluate --metric partnet --gt DATASET</c>.</summary>
public sealed class PartsCommandTests(ITestOutputHelper log) : CommandTest
{
    private string Tiny(int steps)
    {
        var path = Path.Combine(Dir, "tiny.json");
        File.WriteAllText(path, "{ \"model\": { \"widths\": [4, 8], \"feature_width\": 8 }, \"data\": { \"batch_size\": 2 }, \"train\": { \"epochs\": 50, \"max_steps\": " + steps + " } }");
        return path;
    }

    private (string Data, string Run) TrainTiny(string variant)
    {
        var data = Path.Combine(Dir, "shapes");
        var (code, stdout, err) = Run("synth", "parts", "--count", "6", "--out", data, "--seed", "2", "--hard");
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(data, "splits", "train.txt")));
        var run = Path.Combine(Dir, "run-" + variant);
        (code, stdout, err) = Run("train", "--method", "parts", "--variant", variant, "--data", data, "--out", run, "--config", Tiny(2), "--threads", "1");
        log.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        Assert.Contains("max_steps: 2 steps", stdout, StringComparison.Ordinal);
        return (data, run);
    }

    [Theory]
    [InlineData("fusion-cross")]
    [InlineData("baseline")]
    public void TrainPredictEvaluate_RoundTripOnTinyGeneratedShapes(string variant)
    {
        var (data, run) = TrainTiny(variant);
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))))
        {
            var model = config.RootElement.GetProperty("model");
            Assert.Equal(variant, model.GetProperty("variant").GetString());
            Assert.Equal(3, model.GetProperty("classes").GetArrayLength()); // filled in from the training shapes
            Assert.Equal("SGD", config.RootElement.GetProperty("optimizer").GetProperty("type").GetString());
        }

        var pred = Path.Combine(Dir, "pred");
        var (code, stdout, err) = Run("predict", run, "--data", data, "--split", "all", "--out", pred);
        log.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        Assert.Equal(3, PartNetPredictionLayout.Levels(pred));
        foreach (int level in new[] { 1, 2, 3 })
        {
            var dir = PartNetPredictionLayout.LevelFolder(pred, level);
            Assert.Equal(10_000, ScanNetEvaluationFiles.ReadVertexIds(Path.Combine(dir, "semantic", "40000.txt")).Length);
            Assert.True(File.Exists(Path.Combine(dir, "40005.txt")));
            Assert.NotEmpty(PartNetPredictionLayout.ReadClasses(dir));
        }

        var json = Path.Combine(Dir, "result.json");
        (code, stdout, err) = Run("evaluate", "--metric", "partnet", "--pred", pred, "--gt", data, "--json", json);
        log.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        Assert.Contains("Scissors", stdout, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        foreach (var key in new[] { "ap25", "ap50", "ap75", "miou" })
        {
            Assert.True(doc.RootElement.TryGetProperty(key, out var value), $"evaluate --json lacks '{key}'");
            Assert.True(value.ValueKind == JsonValueKind.Number && value.GetDouble() is >= 0 and <= 1, $"{key} = {value}");
        }
        // scissors have one level of parts: only their coarse level is scored
        var cells = doc.RootElement.GetProperty("result").GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal([1], cells.Where(c => c.GetProperty("category").GetString() == "Scissors").Select(c => c.GetProperty("level").GetInt32()));
        Assert.Equal([1, 2, 3], cells.Where(c => c.GetProperty("category").GetString() == "Chair").Select(c => c.GetProperty("level").GetInt32()));
    }

    [Fact]
    public void PredictInference_OverridesLambdaAndBandwidth_AndRejectsUnknownKeys()
    {
        var (data, run) = TrainTiny("fusion-multi");
        var a = Path.Combine(Dir, "a");
        var b = Path.Combine(Dir, "b");
        var (code, _, err) = Run("predict", run, "--data", data, "--split", "val", "--out", a);
        Assert.True(code == 0, err);
        (code, _, err) = Run("predict", run, "--data", data, "--split", "val", "--out", b, "--inference", "{\"lambda\": 0, \"bandwidth\": 0.3}");
        Assert.True(code == 0, err);
        // a wider bandwidth merges clusters: never more instances, and the files differ
        var fa = File.ReadAllLines(Path.Combine(PartNetPredictionLayout.LevelFolder(a, 3), "40000.txt"));
        var fb = File.ReadAllLines(Path.Combine(PartNetPredictionLayout.LevelFolder(b, 3), "40000.txt"));
        Assert.True(fb.Length <= fa.Length, $"{fb.Length} instances at bandwidth 0.3, {fa.Length} at 0.1");
        Assert.NotEqual(fa, fb);
        (code, _, err) = Run("predict", run, "--data", data, "--split", "val", "--out", Path.Combine(Dir, "c"), "--inference", "{\"lamda\": 0}");
        Assert.NotEqual(0, code);
        Assert.Contains("lamda", err, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void RealPartNetShape_LoadsPredictsAndEvaluates()
    {
        var bottle = RealData.Locate("partnet/3763", log);
        var (_, run) = TrainTiny("fusion-cross");
        var pred = Path.Combine(Dir, "bottle");
        var (code, stdout, err) = Run("predict", run, "--data", bottle, "--out", pred);
        log.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(PartNetPredictionLayout.LevelFolder(pred, 1), "3763.txt")));
        var json = Path.Combine(Dir, "bottle.json");
        (code, stdout, err) = Run("evaluate", "--metric", "partnet", "--pred", pred, "--gt", Path.GetDirectoryName(bottle)!, "--json", json);
        log.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var cells = doc.RootElement.GetProperty("result").GetProperty("cells").EnumerateArray().ToList();
        // the bottle has a coarse and a middle level; its parts are no class of the generated shapes, so AP is 0
        Assert.Equal([1, 2], cells.Select(c => c.GetProperty("level").GetInt32()));
        Assert.All(cells, c => Assert.Equal("Bottle", c.GetProperty("category").GetString()));
        Assert.Equal(0, doc.RootElement.GetProperty("ap50").GetDouble());
    }

    [Fact]
    public void UnknownVariant_And_AnotherMethodsVariant_AreOneLineErrors()
    {
        var data = Path.Combine(Dir, "shapes");
        Assert.Equal(0, Run("synth", "parts", "--count", "2", "--out", data).Code);
        var (code, _, err) = Run("train", "--method", "parts", "--variant", "fusion-diagonal", "--data", data, "--out", Path.Combine(Dir, "r1"));
        Assert.NotEqual(0, code);
        Assert.Contains("fusion-cross", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        (code, _, err) = Run("train", "--method", "full", "--variant", "baseline", "--data", data, "--out", Path.Combine(Dir, "r2"));
        Assert.NotEqual(0, code);
        Assert.Contains("no variants", err, StringComparison.Ordinal);
    }

    /// <summary>Shapes not normalized to the unit sphere (here every point ×10) are refused by name in training and in
    /// predict, instead of being voxelized into a handful of cells and clustered at a bandwidth meant for unit shapes.</summary>
    [Fact]
    public void ShapesNotNormalizedToTheUnitSphere_AreOneLineErrors()
    {
        var (data, run) = TrainTiny("fusion-cross");
        foreach (var pts in Directory.GetFiles(data, "pts-10000.txt", SearchOption.AllDirectories))
            File.WriteAllLines(pts, File.ReadAllLines(pts).Select(line =>
                string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(v => (10 * double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToString("R", System.Globalization.CultureInfo.InvariantCulture)))));
        var (code, _, err) = Run("train", "--method", "parts", "--data", data, "--out", Path.Combine(Dir, "scaled"), "--config", Tiny(2), "--threads", "1");
        Assert.Equal(1, code);
        Assert.Contains("unit sphere", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        (code, _, err) = Run("predict", run, "--data", data, "--split", "all", "--out", Path.Combine(Dir, "pred-scaled"));
        Assert.Equal(1, code);
        Assert.Contains("unit sphere", err, StringComparison.Ordinal);
    }
}
