using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Clickscape.Cli.Tests.Commands;

/// <summary>
/// docs/scale/: the shard script that the Slurm array and the Kubernetes indexed Job run, tested as far as this
/// machine allows — run with the variables each scheduler sets (Slurm's array index counted from its minimum,
/// Kubernetes' completion index), one shard after another, its outputs are the bytes of the one-shard run.
/// </summary>
public sealed partial class ScaleScriptTests(ITestOutputHelper log) : CommandTest
{
    private static string Docs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Clickscape.slnx"))) return Path.Combine(dir.FullName, "docs", "scale");
        throw new DirectoryNotFoundException($"no Clickscape.slnx above {AppContext.BaseDirectory}");
    }

    private void Script(string data, string output, int shards, params (string Name, string? Value)[] environment)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { Path.Combine(Docs(), "shard-pipeline.sh"), data, output, shards.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        start.Environment["CLICKSCAPE"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "clickscape.dll")}";
        start.Environment["CLICKSCAPE_THREADS"] = "1";
        foreach (var name in new[] { "JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT" })
            start.Environment.Remove(name);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3))) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        log.WriteLine(stdout.Result + stderr.Result);
        Assert.True(process.ExitCode == 0, $"shard-pipeline.sh failed: {stderr.Result}");
    }

    private static void AssertSameTree(string a, string b)
    {
        static List<string> Files(string root) => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal).ToList();
        var fa = Files(a);
        Assert.Contains(fa, f => f.StartsWith("segments", StringComparison.Ordinal));
        Assert.Contains(fa, f => f.StartsWith("clicks", StringComparison.Ordinal));
        Assert.Equal(fa, Files(b));
        foreach (var f in fa)
            Assert.True(File.ReadAllBytes(Path.Combine(a, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(b, f))), $"{f} differs");
    }

    [Fact]
    public void ShardScript_UnderSlurmAndKubernetesIndices_WritesTheBytesOfOneShard()
    {
        var data = Path.Combine(Dir, "data");
        Assert.Equal(0, Run("synth", "benchmark", "--rooms", "5", "--out", data).Code);
        var whole = Path.Combine(Dir, "whole");
        Script(data, whole, 1, ("JOB_COMPLETION_INDEX", "0"));

        // a Slurm array --array=1-4: task ids 1..4, the shard is the id minus SLURM_ARRAY_TASK_MIN
        var slurm = Path.Combine(Dir, "slurm");
        for (int task = 1; task <= 4; task++)
            Script(data, slurm, 4, ("SLURM_ARRAY_TASK_ID", $"{task}"), ("SLURM_ARRAY_TASK_MIN", "1"), ("SLURM_ARRAY_TASK_COUNT", "4"));
        AssertSameTree(whole, slurm);

        // an indexed Job of 2 completions, the second pod retried (its re-run skips what it wrote)
        var k8s = Path.Combine(Dir, "k8s");
        foreach (var index in new[] { 0, 1, 1 })
            Script(data, k8s, 2, ("JOB_COMPLETION_INDEX", $"{index}"));
        AssertSameTree(whole, k8s);
    }

    [Fact]
    public void KubernetesManifest_RunsTheScriptWithAsManyShardsAsCompletions()
    {
        var yaml = File.ReadAllText(Path.Combine(Docs(), "k8s-indexed-job.yaml"));
        Assert.Contains("completionMode: Indexed", yaml, StringComparison.Ordinal);
        int completions = int.Parse(Completions().Match(yaml).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var args = Args().Match(yaml);
        Assert.True(args.Success, "the manifest has no args line");
        Assert.Equal(completions.ToString(System.Globalization.CultureInfo.InvariantCulture), args.Groups[3].Value);
        Assert.Contains("shard-pipeline.sh", yaml, StringComparison.Ordinal);
        var sbatch = File.ReadAllText(Path.Combine(Docs(), "slurm-array.sbatch"));
        Assert.Contains("shard-pipeline.sh", sbatch, StringComparison.Ordinal);
        Assert.Matches(@"#SBATCH --array=0-\d+", sbatch);
    }

    [GeneratedRegex(@"completions:\s*(\d+)")]
    private static partial Regex Completions();

    [GeneratedRegex(@"args:\s*\[""([^""]+)"",\s*""([^""]+)"",\s*""(\d+)""")]
    private static partial Regex Args();
}
