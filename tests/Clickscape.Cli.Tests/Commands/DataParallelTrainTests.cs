using System.Diagnostics;
using System.Text.Json.Nodes;
using Clickscape.Tensors.Serialization;
using Clickscape.Training.Engine;
using Clickscape.Training.Tests.Shared;
using Xunit.Abstractions;

namespace Clickscape.Cli.Tests.Commands;

/// <summary>
/// <c>mpirun -np 2 clickscape train</c> on loopback (Open MPI; <c>.ci/run</c> installs it). Each child has a
/// timeout (mpirun's <c>--timeout</c> and a kill of the process tree), so a stuck collective fails the test instead
/// of hanging it.
/// </summary>
/// <remarks>
/// The reference of 2 ranks × a slice of b scenes is 1 rank with <c>train.micro_batches 2</c> over the same batch of
/// 2b: the same two workers (each forwards its own slice, batch norm on its own statistics, loss normalized over its
/// slice), only summed in one process. A plain 1-rank batch of 2b is not the reference: its batch-norm statistics
/// and loss normalization span both halves, so it is a different (equally valid) step. Batch-norm running statistics
/// are per rank (rank 0's are saved), so they are left out of the comparison.
/// </remarks>
public sealed class DataParallelTrainTests(ITestOutputHelper log) : CommandTest
{
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(4);

    private string Config(string name, int microBatches)
    {
        var json = TinyDataset.Config(epochs: 2).Json.DeepClone().AsObject();
        json["train"]!["micro_batches"] = microBatches;
        json["schedule"] = new JsonObject { ["type"] = "Constant" }; // a resume with a new --max-steps keeps the learning rate
        var path = Path.Combine(Dir, name);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private string[] Train(string data, string run, string config) =>
        ["train", "--method", "full", "--data", data, "--out", run, "--config", config, "--threads", "1"];

    [Fact]
    public void TwoRanks_GiveTheWeightsOfOneRankWithTheSameTwoWorkers()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 6); // 4 train scenes, batches of 2: 2 steps an epoch, 4 in all
        var two = Path.Combine(Dir, "two");
        Assert.Equal(0, Mpi(2, Train(data, two, Config("one-worker.json", 1))));
        // the reference in a child process too: in-process, tests running in parallel may change the compute threads
        var one = Path.Combine(Dir, "one");
        Assert.Equal(0, Launch(null, Train(data, one, Config("two-workers.json", 2))).Code);

        var steps = RunLog.Read(Path.Combine(two, "log.jsonl")).Where(e => (string?)e["kind"] == "step").ToList();
        Assert.Equal([1, 2, 3, 4], steps.Select(e => (int)e["step"]!)); // rank 0 alone logs
        var reference = RunLog.Read(Path.Combine(one, "log.jsonl")).Where(e => (string?)e["kind"] == "step").ToList();
        for (int i = 0; i < 4; i++)
            Assert.Equal((double)reference[i]["loss"]!, (double)steps[i]["loss"]!, 5); // the mean over both ranks

        var expected = SafeTensors.Load(Path.Combine(one, "checkpoints", "last.safetensors"));
        var actual = SafeTensors.Load(Path.Combine(two, "checkpoints", "last.safetensors"));
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        int compared = 0;
        foreach (var (name, t) in expected)
        {
            if (name.EndsWith(".running_mean", StringComparison.Ordinal) || name.EndsWith(".running_var", StringComparison.Ordinal)) continue;
            var a = t.Data;
            var b = actual[name].Data;
            for (int i = 0; i < a.Length; i++)
                Assert.True(MathF.Abs(a[i] - b[i]) <= 1e-5f * MathF.Max(1f, MathF.Abs(a[i])), $"'{name}'[{i}]: 1 rank × 2 micro-batches {a[i]:R}, 2 ranks {b[i]:R}");
            compared++;
        }
        Assert.True(compared > 50, $"only {compared} tensors compared");
    }

    [Fact]
    public void TwoRanks_ResumedWithTheSameN_EndAtTheUninterruptedWeights()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 6);
        var config = Config("tiny.json", 1);
        var straight = Path.Combine(Dir, "straight");
        Assert.Equal(0, Mpi(2, Train(data, straight, config)));
        var broken = Path.Combine(Dir, "broken");
        Assert.Equal(0, Mpi(2, [.. Train(data, broken, config), "--max-steps", "2"]));
        Assert.Equal(2, Checkpoint.ReadMetadata(Path.Combine(broken, "checkpoints", "last.safetensors")).State.Step);
        Assert.Equal(0, Mpi(2, ["train", "--method", "full", "--data", data, "--resume", broken, "--max-steps", "4", "--threads", "1"]));

        var expected = SafeTensors.Load(Path.Combine(straight, "checkpoints", "last.safetensors"));
        var actual = SafeTensors.Load(Path.Combine(broken, "checkpoints", "last.safetensors"));
        foreach (var (name, t) in expected)
            Assert.True(t.Data.SequenceEqual(actual[name].Data), $"tensor '{name}' differs after a 2-rank resume");
        Assert.Equal([1, 2, 3, 4], RunLog.Read(Path.Combine(broken, "log.jsonl")).Where(e => (string?)e["kind"] == "step").Select(e => (int)e["step"]!));
    }

    [Fact]
    public void AFailingRank_EndsTheJob_InsteadOfHanging()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 6);
        // one train scene unreadable: the rank that draws it fails while the other waits in the all-reduce
        File.WriteAllText(Path.Combine(data, "scans", "scene0001_00", "scene0001_00_vh_clean_2.ply"), "broken");
        var (code, output) = MpiOutput(2, Train(data, Path.Combine(Dir, "run"), Config("tiny.json", 1)));
        Assert.NotEqual(0, code);
        Assert.Contains("scene0001_00_vh_clean_2.ply: not a PLY file", output, StringComparison.Ordinal);
        Assert.DoesNotContain("time limit", output, StringComparison.Ordinal); // ended by the failure, not by mpirun --timeout
    }

    private int Mpi(int ranks, string[] args) => MpiOutput(ranks, args).Code;

    private (int Code, string Output) MpiOutput(int ranks, string[] args) => Launch(ranks, args);

    /// <summary>
    /// Runs <c>mpirun -np <paramref name="ranks"/> dotnet clickscape.dll ARGS</c> on loopback, or with null ranks
    /// <c>dotnet clickscape.dll ARGS</c> alone; returns its exit code and output.
    /// </summary>
    private (int Code, string Output) Launch(int? ranks, string[] args)
    {
        ProcessStartInfo start;
        if (ranks is int n)
        {
            var mpirun = new[] { "/usr/bin/mpirun", "/usr/local/bin/mpirun" }.FirstOrDefault(File.Exists)
                ?? throw new InvalidOperationException("mpirun not found: install Open MPI (apt-get install openmpi-bin libopenmpi-dev; .ci/run does)");
            start = new ProcessStartInfo(mpirun) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-np", n.ToString(System.Globalization.CultureInfo.InvariantCulture), "--oversubscribe", "--allow-run-as-root",
                "--timeout", ((int)ChildTimeout.TotalSeconds - 10).ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind-to", "none" })
                start.ArgumentList.Add(a);
            start.ArgumentList.Add("dotnet");
        }
        else
        {
            start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "clickscape.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        // containers often forbid the cross-memory attach of Open MPI's shared-memory transport
        start.Environment["OMPI_MCA_btl_vader_single_copy_mechanism"] = "none";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ChildTimeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            log.WriteLine(stdout.Result + stderr.Result);
            Assert.Fail($"{(ranks is null ? "clickscape" : $"mpirun -np {ranks}")} did not finish in {ChildTimeout.TotalMinutes} minutes");
        }
        process.WaitForExit();
        log.WriteLine(stdout.Result + stderr.Result);
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
