using System.Text.Json;
using Clickscape.Data.Formats.Npy;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Cli.Tests.Commands;

public sealed class BenchCommandTests : CommandTest
{
    /// <summary>Writes a scene shaped like unet_step.py --dump's: n distinct voxels in a 40³ box (≥ 2 voxels at the coarsest of the 5 levels), 2 instances and stuff.</summary>
    private string WriteScene(int n, int semRows = -1)
    {
        var rng = new Random(3);
        var seen = new HashSet<(int, int, int)>();
        var coords = new List<int>();
        while (seen.Count < n)
        {
            var v = (rng.Next(40), rng.Next(40), rng.Next(40));
            if (seen.Add(v)) coords.AddRange([v.Item1, v.Item2, v.Item3]);
        }
        var feats = Enumerable.Range(0, 6 * n).Select(_ => (float)rng.NextDouble()).ToArray();
        var sem = Enumerable.Range(0, semRows < 0 ? n : semRows).Select(_ => rng.Next(20)).ToArray();
        var inst = Enumerable.Range(0, n).Select(i => i % 3 == 2 ? -100 : i % 3).ToArray();
        var off = Enumerable.Range(0, 3 * n).Select(i => inst[i / 3] < 0 ? 0f : (float)rng.NextDouble() - 0.5f).ToArray();
        NpyWriter.Write(Path.Combine(Dir, "coords.npy"), new NpyArray(coords.ToArray(), [n, 3]));
        NpyWriter.Write(Path.Combine(Dir, "feats.npy"), new NpyArray(feats, [n, 6]));
        NpyWriter.Write(Path.Combine(Dir, "sem.npy"), new NpyArray(sem, [sem.Length]));
        NpyWriter.Write(Path.Combine(Dir, "inst.npy"), new NpyArray(inst, [n]));
        NpyWriter.Write(Path.Combine(Dir, "off_gt.npy"), new NpyArray(off, [n, 3]));
        return Dir;
    }

    [Fact]
    public void List_NamesTheUNetStepBenchmark()
    {
        var (code, output, _) = Run("bench", "list");
        Assert.Equal(0, code);
        Assert.StartsWith("unet-step", output.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void UNetStep_OnATinyDumpedScene_ReportsTimesMemoryAndFallingLosses()
    {
        string dir = WriteScene(150);
        string json = Path.Combine(Dir, "result.json");
        var (code, output, error) = Run("bench", "unet-step", "--scene", dir, "--threads", "1", "--steps", "3", "--json", json);
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(150, root.GetProperty("voxels").GetInt32());
        Assert.Equal(2_744_823, root.GetProperty("parameters").GetInt64());
        Assert.True(root.GetProperty("step_ms").GetDouble() > 0);
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        var losses = root.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToList();
        Assert.Equal(5, losses.Count); // 2 warm-up + 3 timed
        Assert.Equal(losses[0], root.GetProperty("loss_first").GetDouble());
        Assert.All(losses, l => Assert.True(double.IsFinite(l) && l > 0));
        Assert.True(losses[^1] < losses[0], $"Adam should lower the loss on a fixed scene: {string.Join(", ", losses)}");
        if (OperatingSystem.IsLinux()) Assert.True(root.GetProperty("peak_rss_mib").GetDouble() > 0);
        Assert.Equal(File.ReadAllText(json).Trim(), output.Trim());
    }

    [Fact]
    public void UNetStep_MissingFolder_IsOneLineError()
    {
        var (code, _, error) = Run("bench", "unet-step", "--scene", Path.Combine(Dir, "nope"));
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("nope", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void UNetStep_MissingFile_NamesIt()
    {
        string dir = WriteScene(40);
        File.Delete(Path.Combine(dir, "feats.npy"));
        var (code, _, error) = Run("bench", "unet-step", "--scene", dir, "--steps", "1");
        Assert.Equal(1, code);
        Assert.Contains("feats.npy", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void UNetStep_ShapeMismatch_NamesTheFileAndExpectedRows()
    {
        string dir = WriteScene(40, semRows: 39);
        var (code, _, error) = Run("bench", "unet-step", "--scene", dir, "--steps", "1");
        Assert.Equal(1, code);
        Assert.Contains("sem.npy", error, StringComparison.Ordinal);
        Assert.Contains("expected 40", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("full", false)]
    [InlineData("clickseg", true)]
    public void TrainStep_TimesTheTrainersOwnSteps_AndSaysWhetherPseudoLabellingRan(string method, bool pseudo)
    {
        var started = DateTime.UtcNow.AddSeconds(-1);
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var config = Path.Combine(Dir, "tiny.json");
        File.WriteAllText(config, """
            {
              "data": { "voxel_size": 0.1, "batch_size": 2, "crop_points": 4000, "batch_point_budget": 8000 },
              "model": { "widths": [8, 16], "blocks": 1, "embedding": 4 },
              "loss": { "pseudo_start_epoch": 0 }
            }
            """);
        if (method == "full") File.WriteAllText(config, File.ReadAllText(config).Replace("\"loss\": { \"pseudo_start_epoch\": 0 }", "\"loss\": {}", StringComparison.Ordinal));
        string json = Path.Combine(Dir, "result.json");
        var (code, output, error) = Run("bench", "train-step", "--method", method, "--data", data, "--config", config, "--steps", "3", "--warmup", "1", "--threads", "1", "--json", json);
        Assert.True(code == 0, error);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("steps").GetInt32());
        Assert.Equal(pseudo, root.GetProperty("pseudo_labelling").GetBoolean());
        double step = root.GetProperty("step_ms").GetDouble();
        Assert.True(step > 0);
        Assert.True(root.GetProperty("forward_ms").GetDouble() + root.GetProperty("backward_ms").GetDouble() <= 2 * step + 1e-6);
        int scenes = root.GetProperty("train_scenes").GetInt32();
        Assert.Equal(SceneDatasetTrainCount(data), scenes);
        Assert.Equal(Math.Round(step / 1000 * ((scenes + 1) / 2), 1), root.GetProperty("epoch_s").GetDouble(), 1);
        Assert.Equal(File.ReadAllText(json).Trim(), output.Trim());
        Assert.DoesNotContain(Directory.EnumerateDirectories(Path.GetTempPath(), "clickscape-bench-*"), d => Directory.GetCreationTimeUtc(d) >= started); // the scratch run is removed
    }

    private static int SceneDatasetTrainCount(string data) => Clickscape.Data.Datasets.SceneDataset.Open(data).Split("train").Count;

    [Fact]
    public void TrainStep_NoTimedStep_IsOneLineError()
    {
        var (code, _, error) = Run("bench", "train-step", "--method", "full", "--data", Path.Combine(Dir, "nope"), "--steps", "0");
        Assert.Equal(1, code);
        Assert.Contains("--steps 0", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
