using System.Text.Json;
using Clickscape.Training.Tests.Shared;
using Xunit.Abstractions;

namespace Clickscape.Cli.Tests.Commands;

public sealed class InteractiveCommandTests(ITestOutputHelper log) : CommandTest
{
    /// <summary>A tiny interactive configuration (merged over the method's defaults, so no <c>_base_</c>).</summary>
    private string TinyConfig(string method)
    {
        var path = Path.Combine(Dir, method + ".json");
        string model = method == "interactive" ? "Interactive-v1" : "InteractiveFast-v1";
        File.WriteAllText(path, $$"""
            {
              "data": { "batch_size": 2 },
              "train": { "epochs": 1, "seed": 3, "threads": 1 },
              "model": { "type": "{{model}}", "widths": [8, 16], "blocks": 1, "head_width": 8 }
            }
            """);
        return path;
    }

    [Theory]
    [InlineData("interactive")]
    [InlineData("interactive-fast")]
    public void TrainThenEvaluate_WritesTheProtocolsNumbers(string method)
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 3, points: 3000);
        var run = Path.Combine(Dir, "run");
        var (code, stdout, err) = Run("train", "--method", method, "--data", data, "--out", run, "--config", TinyConfig(method), "--max-steps", "2");
        log.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(run, "checkpoints", "last.safetensors")));

        var json = Path.Combine(Dir, "eval.json");
        (code, stdout, err) = Run("interactive", "evaluate", run, "--data", data, "--max-clicks", "3", "--min-points", "200", "--json", json);
        log.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(method, root.GetProperty("method").GetString());
        foreach (var key in new[] { "noc80", "noc85", "noc90" }) Assert.InRange(root.GetProperty(key).GetDouble(), 1, 20);
        Assert.Equal(3, root.GetProperty("iou_at").GetArrayLength());
        Assert.True(root.GetProperty("objects").GetInt32() >= 1);
        Assert.True(root.GetProperty("classes").GetArrayLength() >= 1);
        Assert.Contains(method, stdout, StringComparison.Ordinal);

        // online adaptation: the paper's network only
        (code, stdout, err) = Run("interactive", "evaluate", run, "--data", data, "--max-clicks", "2", "--min-points", "400", "--online-adapt", "--adapt-steps", "1", "--json", json);
        if (method == "interactive")
        {
            Assert.True(code == 0, err);
            using var adapted = JsonDocument.Parse(File.ReadAllText(json));
            Assert.Equal(1, adapted.RootElement.GetProperty("online_adaptation").GetProperty("steps").GetInt32());
        }
        else
        {
            Assert.Equal(1, code);
            Assert.Contains("--online-adapt", err, StringComparison.Ordinal);
        }

        // the run's method must match --method
        string other = method == "interactive" ? "interactive-fast" : "interactive";
        (code, _, err) = Run("interactive", "evaluate", run, "--data", data, "--method", other);
        Assert.Equal(1, code);
        Assert.Contains($"trained with method '{method}', expected {other}", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));

        // and predict says how to use such a run instead of failing obscurely
        (code, _, err) = Run("predict", run, "--data", data, "--out", Path.Combine(Dir, "pred"));
        Assert.Equal(1, code);
        Assert.Contains("interactive evaluate", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Fallback_NeedsNoRun()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 3, points: 3000);
        var json = Path.Combine(Dir, "fallback.json");
        var (code, stdout, err) = Run("interactive", "evaluate", "--data", data, "--min-points", "200", "--json", json);
        log.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("fallback", doc.RootElement.GetProperty("method").GetString());
        Assert.Equal(20, doc.RootElement.GetProperty("iou_at").GetArrayLength());
        Assert.True(doc.RootElement.GetProperty("iou_at")[19].GetDouble() > 0.8);
    }

    [Theory]
    [InlineData("fallback")]
    [InlineData("interactive-fast")]
    [InlineData("interactive")]
    public void Bench_ReportsOpenAndPerClickTimes(string method)
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 1, points: 3000, splits: false);
        var json = Path.Combine(Dir, "bench.json");
        var (code, stdout, err) = Run("bench", "interactive", "--method", method, "--scene", Path.Combine(data, "scans", "scene0000_00"),
            "--objects", "2", "--clicks", "3", "--threads", "1", "--json", json);
        log.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(method, root.GetProperty("method").GetString());
        Assert.InRange(root.GetProperty("points").GetInt32(), 2700, 3600);
        Assert.InRange(root.GetProperty("clicks").GetInt32(), 2, 6);
        foreach (var key in new[] { "open_ms", "median_ms", "p95_ms" }) Assert.True(root.GetProperty(key).GetDouble() > 0, key);
        Assert.True(root.GetProperty("p95_ms").GetDouble() >= root.GetProperty("median_ms").GetDouble());
    }

    [Fact]
    public void BadInputs_AreOneLineErrors()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 3, points: 2000);
        // a run of another method
        var full = Path.Combine(Dir, "full");
        File.WriteAllText(Path.Combine(Dir, "full.json"), TinyDataset.Config(epochs: 1).ToJsonString());
        var (code, _, err) = Run("train", "--method", "full", "--data", data, "--out", full, "--config", Path.Combine(Dir, "full.json"), "--max-steps", "1");
        Assert.True(code == 0, err);
        (code, _, err) = Run("interactive", "evaluate", full, "--data", data);
        Assert.Equal(1, code);
        Assert.Contains("trained with method 'full', expected interactive or interactive-fast", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));

        foreach (var (args, expected) in new (string[], string)[]
        {
            (["interactive", "evaluate", "--data", data, "--method", "interactive"], "needs a trained RUN"),
            (["interactive", "evaluate", "--data", data, "--method", "magic"], "--method magic"),
            (["interactive", "evaluate", "--data", data, "--max-clicks", "0"], "--max-clicks 0"),
            (["interactive", "evaluate", "--data", Path.Combine(Dir, "missing")], "no such file or folder"),
            (["interactive", "evaluate", Path.Combine(Dir, "norun"), "--data", data], "no such run folder"),
            (["bench", "interactive", "--clicks", "0"], "--clicks 0"),
        })
        {
            (code, _, err) = Run(args);
            Assert.True(code == 1, $"{string.Join(' ', args)} → {code}: {err}");
            Assert.Contains(expected, err, StringComparison.Ordinal);
            Assert.Single(err.Trim().Split('\n'));
        }
    }
}
