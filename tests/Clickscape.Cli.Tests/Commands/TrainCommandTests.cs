using System.Diagnostics;
using System.Text.Json;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Tensors.Serialization;
using Clickscape.Training.Engine;
using Clickscape.Training.Tests.Shared;
using Xunit.Abstractions;

namespace Clickscape.Cli.Tests.Commands;

public sealed class TrainCommandTests(ITestOutputHelper log) : CommandTest
{
    private string TinyConfig(int epochs, bool evaluate = false)
    {
        var path = Path.Combine(Dir, "tiny.json");
        File.WriteAllText(path, TinyDataset.Config(epochs: epochs, evaluate: evaluate).ToJsonString());
        return path;
    }

    [Fact]
    public void TrainThenPredictThenEvaluate_EndToEnd()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 3);
        var run = Path.Combine(Dir, "run");
        var (code, stdout, err) = Run("train", "--method", "full", "--data", data, "--out", run, "--config", TinyConfig(4, evaluate: true), "--threads", "1");
        log.WriteLine(stdout + err);
        Assert.Equal(0, code);
        Assert.Contains("finished: 4 steps", stdout, StringComparison.Ordinal);
        foreach (var f in new[] { "config.json", "log.jsonl", "report.html", "checkpoints/last.safetensors", "checkpoints/best.safetensors" })
            Assert.True(File.Exists(Path.Combine(run, f)), $"run folder lacks {f}");
        Assert.Contains("\"kind\":\"eval\"", File.ReadAllText(Path.Combine(run, "log.jsonl")), StringComparison.Ordinal);

        var pred = Path.Combine(Dir, "pred");
        (code, stdout, err) = Run("predict", run, "--data", data, "--out", pred);
        log.WriteLine(stdout + err);
        Assert.Equal(0, code);
        var dataset = SceneDataset.Open(data);
        var val = dataset.Split("val").Single();
        var scene = val.Load();
        Assert.Equal(scene.PointCount, ScanNetEvaluationFiles.ReadVertexIds(Path.Combine(pred, "semantic", val.Name + ".txt")).Length);
        Assert.True(File.Exists(Path.Combine(pred, "instance", val.Name + ".txt")));

        // the official metrics, ground truth read from the dataset itself
        var json = Path.Combine(Dir, "result.json");
        (code, stdout, err) = Run("evaluate", "--pred", Path.Combine(pred, "instance"), "--gt", data, "--split", "val", "--json", json);
        log.WriteLine(stdout + err);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        foreach (var key in new[] { "ap", "ap50", "ap25", "miou" })
            Assert.True(doc.RootElement.TryGetProperty(key, out _), $"evaluate --json lacks '{key}'");

        // a single scene folder works as --data too
        (code, _, err) = Run("predict", run, "--data", val.Path, "--out", Path.Combine(Dir, "one"));
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(Dir, "one", "semantic", val.Name + ".txt")));
    }

    [Fact]
    public void KilledRun_ResumesToTheWeightsOfAnUninterruptedOne()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 6);
        var config = TinyConfig(epochs: 12); // 2 batches per epoch: 24 steps, a checkpoint every 2
        string[] Args(string run) => ["train", "--method", "full", "--data", data, "--out", run, "--config", config, "--threads", "1"];

        var straight = Path.Combine(Dir, "straight");
        Assert.Equal(0, Child(Args(straight), killAfterStep: null));

        var killed = Path.Combine(Dir, "killed");
        Assert.Equal(-1, Child(Args(killed), killAfterStep: 7));
        var logged = RunLog.Read(Path.Combine(killed, "log.jsonl")).Where(e => (string?)e["kind"] == "step").Max(e => (int)e["step"]!);
        Assert.True(logged < 24, $"the run finished ({logged} steps) before it could be killed");
        var (_, before) = Checkpoint.ReadMetadata(Path.Combine(killed, "checkpoints", "last.safetensors"));
        log.WriteLine($"killed after step {logged}; last checkpoint at step {before.Step}");

        Assert.Equal(0, Child(["train", "--method", "full", "--data", data, "--resume", killed, "--threads", "1"], killAfterStep: null));
        var expected = SafeTensors.Load(Path.Combine(straight, "checkpoints", "last.safetensors"));
        var actual = SafeTensors.Load(Path.Combine(killed, "checkpoints", "last.safetensors"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, t) in expected)
            Assert.True(t.Data.SequenceEqual(actual[name].Data), $"tensor '{name}' differs after kill -9 and resume");
        var steps = RunLog.Read(Path.Combine(killed, "log.jsonl")).Where(e => (string?)e["kind"] == "step").Select(e => (int)e["step"]!).ToList();
        Assert.Equal(Enumerable.Range(1, 24), steps);
    }

    /// <summary>Runs clickscape in a child process; with <paramref name="killAfterStep"/>, kills it (SIGKILL) once its log shows that step and returns −1.</summary>
    private int Child(string[] args, int? killAfterStep)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "clickscape.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        string logPath = Path.Combine(args[Array.IndexOf(args, args.Contains("--out") ? "--out" : "--resume") + 1], "log.jsonl");
        if (killAfterStep is int k)
        {
            var clock = Stopwatch.StartNew();
            while (!process.HasExited && clock.Elapsed < TimeSpan.FromMinutes(2))
            {
                if (File.Exists(logPath) && StepsLogged(logPath) >= k)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit();
                    log.WriteLine($"killed: {stdout.Result}{stderr.Result}");
                    return -1;
                }
                Thread.Sleep(10);
            }
        }
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        log.WriteLine(stdout.Result + stderr.Result);
        return process.ExitCode;
    }

    private static int StepsLogged(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd().Split('\n').Count(l => l.Contains("\"kind\":\"step\"", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return 0;
        }
    }

    [Fact]
    public void BadInputs_AreOneLineErrors()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 3);
        var (code, _, err) = Run("train", "--method", "magic", "--data", data, "--out", Path.Combine(Dir, "r1"));
        Assert.Equal(1, code);
        Assert.Contains("unknown method 'magic'", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));

        (code, _, err) = Run("train", "--method", "full", "--data", data, "--out", Path.Combine(Dir, "r2"), "--split", "test");
        Assert.Equal(1, code);
        Assert.Contains("test.txt", err, StringComparison.Ordinal);

        (code, _, err) = Run("train", "--method", "full", "--data", data, "--out", Path.Combine(Dir, "r3"), "--max-steps", "0");
        Assert.Equal(1, code);
        Assert.Contains("--max-steps", err, StringComparison.Ordinal);

        (code, _, err) = Run("train", "--method", "full", "--data", data, "--out", Path.Combine(Dir, "r4"), "--preset", "tpu");
        Assert.Equal(1, code);
        Assert.Contains("'tpu'", err, StringComparison.Ordinal);

        (code, _, err) = Run("train", "--method", "full", "--data", data, "--resume", Path.Combine(Dir, "nothing"));
        Assert.Equal(1, code);
        Assert.Contains("config.json", err, StringComparison.Ordinal);

        (code, _, err) = Run("predict", Path.Combine(Dir, "nothing"), "--data", data, "--out", Path.Combine(Dir, "p"));
        Assert.Equal(1, code);
        Assert.Contains("no such run folder", err, StringComparison.Ordinal);
    }
}
