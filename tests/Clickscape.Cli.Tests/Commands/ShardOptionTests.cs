using System.Diagnostics;
using Clickscape.Training.Tests.Shared;
using Xunit.Abstractions;

namespace Clickscape.Cli.Tests.Commands;

/// <summary>
/// <c>--shard i/n</c>: the four shards of a command run one after another into one folder write byte for byte what
/// the unsharded command writes (synth benchmark, synth parts, oversegment, clicks simulate, predict); a re-run of a
/// shard skips the scenes whose final file exists and redoes one whose final file is missing.
/// </summary>
public sealed class ShardOptionTests(ITestOutputHelper log) : CommandTest
{
    private const int Shards = 4;

    /// <summary>
    /// Runs clickscape in a child process: commands that use the compute threads (train, predict, pseudo-label) would
    /// otherwise share the process-wide thread count with the tests running in parallel, and a different count
    /// changes the sums' order.
    /// </summary>
    private static (int Code, string Out, string Err) Child(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "clickscape.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static (int Code, string Out, string Err) Exec(string[] args) =>
        args[0] is "train" or "predict" or "pseudo-label" ? Child(args) : Run(args);

    /// <summary>Runs <paramref name="args"/> + <c>--shard i/4</c> for i = 0..3 (sequentially); returns their stdout.</summary>
    private string RunShards(params string[] args)
    {
        var all = new System.Text.StringBuilder();
        for (int i = 0; i < Shards; i++)
        {
            var (code, stdout, err) = Exec([.. args, "--shard", $"{i}/{Shards}"]);
            Assert.True(code == 0, $"shard {i}/{Shards} of {args[0]}: {err}");
            all.Append(stdout);
        }
        log.WriteLine(all.ToString());
        return all.ToString();
    }

    private void RunWhole(params string[] args)
    {
        var (code, stdout, err) = Exec(args);
        log.WriteLine(stdout + err);
        Assert.True(code == 0, $"{args[0]}: {err}");
    }

    /// <summary>Every file under <paramref name="a"/> and <paramref name="b"/>: the same relative paths and the same bytes.</summary>
    private static void AssertSameTree(string a, string b)
    {
        static List<string> Files(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
        var fa = Files(a);
        Assert.NotEmpty(fa);
        Assert.Equal(fa, Files(b));
        foreach (var f in fa)
            Assert.True(File.ReadAllBytes(Path.Combine(a, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, f))), $"{f} differs between the sharded and the whole run");
    }

    [Fact]
    public void FourShards_WriteTheBytesOfOneRun_SynthOversegmentClicks()
    {
        string whole = Path.Combine(Dir, "whole"), sharded = Path.Combine(Dir, "sharded");
        RunWhole("synth", "benchmark", "--rooms", "6", "--out", whole);
        var text = RunShards("synth", "benchmark", "--rooms", "6", "--out", sharded);
        Assert.Equal(6, text.Split('\n').Count(l => l.Contains(" vertices, ", StringComparison.Ordinal) && l.StartsWith("scene", StringComparison.Ordinal)));
        AssertSameTree(whole, sharded);

        RunWhole("synth", "parts", "--count", "5", "--out", Path.Combine(Dir, "parts-whole"));
        RunShards("synth", "parts", "--count", "5", "--out", Path.Combine(Dir, "parts-sharded"));
        AssertSameTree(Path.Combine(Dir, "parts-whole"), Path.Combine(Dir, "parts-sharded"));

        RunWhole("oversegment", whole, "--k-thresh", "0.05", "--out", Path.Combine(Dir, "segs-whole"));
        RunShards("oversegment", whole, "--k-thresh", "0.05", "--out", Path.Combine(Dir, "segs-sharded"));
        AssertSameTree(Path.Combine(Dir, "segs-whole"), Path.Combine(Dir, "segs-sharded"));

        RunWhole("clicks", "simulate", whole, "--policy", "1t3c", "--seed", "3", "--out", Path.Combine(Dir, "clicks-whole"));
        RunShards("clicks", "simulate", whole, "--policy", "1t3c", "--seed", "3", "--out", Path.Combine(Dir, "clicks-sharded"));
        AssertSameTree(Path.Combine(Dir, "clicks-whole"), Path.Combine(Dir, "clicks-sharded"));
    }

    [Fact]
    public void ReRunOfAShard_SkipsCompleteScenes_RedoesAnIncompleteOne()
    {
        var data = Path.Combine(Dir, "data");
        RunWhole("synth", "benchmark", "--rooms", "4", "--out", data);
        var reference = Path.Combine(Dir, "reference");
        RunWhole("synth", "benchmark", "--rooms", "4", "--out", reference);

        // shard 0/2 holds scene0000_00 and scene0002_00; take scene0002_00's final file away (a kill before it was written)
        var labels = Path.Combine(data, "scans", "scene0002_00", "scene0002_00_vh_clean_2.labels.ply");
        File.Delete(labels);
        File.WriteAllText(Path.Combine(data, "scans", "scene0002_00", "scene0002_00_vh_clean_2.ply"), "half-written");
        var (code, stdout, err) = Run("synth", "benchmark", "--rooms", "4", "--out", data, "--shard", "0/2");
        log.WriteLine(stdout + err);
        Assert.Equal(0, code);
        Assert.Contains("scene0002_00:", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("scene0000_00:", stdout, StringComparison.Ordinal);
        AssertSameTree(reference, data);

        // clicks: a complete file is kept as it is (a sharded re-run never rewrites), a missing one is made
        var clicks = Path.Combine(Dir, "clicks");
        RunShards("clicks", "simulate", data, "--out", clicks);
        var kept = Path.Combine(clicks, "scene0001_00.json");
        File.WriteAllText(kept, "{}");
        File.Delete(Path.Combine(clicks, "scene0003_00.json"));
        (code, stdout, err) = Run("clicks", "simulate", data, "--out", clicks, "--shard", "1/2");
        Assert.True(code == 0, err);
        Assert.Contains("scene0001_00: complete, skipped", stdout, StringComparison.Ordinal);
        Assert.Contains("scene0003_00: ", stdout, StringComparison.Ordinal);
        Assert.Equal("{}", File.ReadAllText(kept));
        Assert.True(File.Exists(Path.Combine(clicks, "scene0003_00.json")));
    }

    [Fact]
    public void FourShards_OfPredict_WriteTheBytesOfOneRun()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 6);
        var config = Path.Combine(Dir, "tiny.json");
        File.WriteAllText(config, TinyDataset.Config(epochs: 1).ToJsonString());
        var run = Path.Combine(Dir, "run");
        RunWhole("train", "--method", "full", "--data", data, "--out", run, "--config", config, "--threads", "1");
        RunWhole("predict", run, "--data", data, "--split", "all", "--out", Path.Combine(Dir, "pred-whole"), "--threads", "1");
        var text = RunShards("predict", run, "--data", data, "--split", "all", "--out", Path.Combine(Dir, "pred-sharded"), "--threads", "1");
        Assert.Contains("2 scenes →", text, StringComparison.Ordinal); // 6 scenes over 4 shards: 2, 2, 1, 1
        AssertSameTree(Path.Combine(Dir, "pred-whole"), Path.Combine(Dir, "pred-sharded"));
    }

    [Fact]
    public void FourShards_OfPseudoLabel_WriteTheBytesOfOneRun()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 6);
        var config = Path.Combine(Dir, "tiny-click.json");
        File.WriteAllText(config, """
            {
              "data": { "voxel_size": 0.1, "batch_size": 2, "crop_points": 4000, "batch_point_budget": 8000 },
              "train": { "epochs": 1, "seed": 5, "threads": 1 },
              "model": { "widths": [8, 16], "blocks": 1, "embedding": 4 },
              "hooks": [ { "type": "Checkpoint-v1", "every_steps": 2, "best_metric": "miou" } ]
            }
            """);
        var run = Path.Combine(Dir, "run");
        RunWhole("train", "--method", "clickseg", "--data", data, "--out", run, "--config", config, "--threads", "1");
        string clicks = Path.Combine(run, "clicks");
        RunWhole("pseudo-label", run, "--data", data, "--clicks", clicks, "--out", Path.Combine(Dir, "pseudo-whole"), "--threads", "1");
        RunShards("pseudo-label", run, "--data", data, "--clicks", clicks, "--out", Path.Combine(Dir, "pseudo-sharded"), "--threads", "1");
        AssertSameTree(Path.Combine(Dir, "pseudo-whole"), Path.Combine(Dir, "pseudo-sharded"));
        var (code, stdout, _) = Child("pseudo-label", run, "--data", data, "--clicks", clicks, "--out", Path.Combine(Dir, "pseudo-sharded"), "--shard", "0/4");
        Assert.Equal(0, code);
        Assert.Contains("complete, skipped", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4/4", "expected 0 ≤ i < n")]
    [InlineData("x/4", "is not a non-negative integer")]
    [InlineData("1", "expected i/n")]
    [InlineData("0/0", "expected n ≥ 1")]
    public void BadShard_IsAOneLineError(string shard, string message)
    {
        var (code, _, err) = Run("clicks", "simulate", Dir, "--out", Path.Combine(Dir, "c"), "--shard", shard);
        Assert.Equal(1, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }
}
