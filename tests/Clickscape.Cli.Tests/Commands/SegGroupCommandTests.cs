using Clickscape.Data.Clicks;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Training.Tests.Shared;
using Xunit.Abstractions;

namespace Clickscape.Cli.Tests.Commands;

/// <summary><c>train --method seggroup</c> → <c>pseudo-label</c> → <c>train --method full --labels</c>, and the one-line errors on bad clicks.</summary>
public sealed class SegGroupCommandTests(ITestOutputHelper log) : CommandTest
{
    private string TinyConfig()
    {
        var path = Path.Combine(Dir, "tiny-seggroup.json");
        File.WriteAllText(path, """{ "train": { "epochs": 1, "seed": 3, "threads": 1 }, "model": { "max_points_per_cluster": 64 } }""");
        return path;
    }

    private (string Data, string Run) Trained(int scenes)
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), scenes);
        var run = Path.Combine(Dir, "run");
        var (code, stdout, err) = Run("train", "--method", "seggroup", "--data", data, "--out", run, "--config", TinyConfig());
        log.WriteLine(stdout + err);
        Assert.Equal(0, code);
        Assert.Contains("clicks: simulated maxseg", stdout, StringComparison.Ordinal);
        return (data, run);
    }

    [Fact]
    public void SegGroupRun_PseudoLabels_RoundTripIntoFullTraining()
    {
        var (data, run) = Trained(4);
        var pseudo = Path.Combine(Dir, "pseudo");
        var (code, stdout, err) = Run("pseudo-label", run, "--data", data, "--clicks", Path.Combine(run, "clicks"), "--split", "train", "--out", pseudo, "--every-layer");
        log.WriteLine(stdout + err);
        Assert.Equal(0, code);
        foreach (var source in SceneDataset.Open(data).Split("train"))
        {
            var scene = source.Load();
            var semantic = ScanNetEvaluationFiles.ReadVertexIds(Path.Combine(pseudo, "semantic", source.Name + ".txt"));
            Assert.Equal(scene.PointCount, semantic.Length);
            var clicks = ClickSet.Load(Path.Combine(run, "clicks", source.Name + ".json"));
            var clickedClasses = clicks.Clicks.Select(c => c.Label).ToHashSet();
            Assert.All(semantic, l => Assert.Contains(l, clickedClasses)); // dense, and only clicked classes
            Assert.All(clicks.Clicks, c => Assert.Equal(c.Label, semantic[c.Point]));
            Assert.NotEmpty(ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(pseudo, "instance", source.Name + ".txt")));
            Assert.True(File.Exists(Path.Combine(pseudo, "layers", "3", "semantic", source.Name + ".txt")));
        }

        // --layers 0 writes the seg-level labels alone: the same as layer 0 of --every-layer
        var layer0 = Path.Combine(Dir, "layer0");
        (code, _, err) = Run("pseudo-label", run, "--data", data, "--clicks", Path.Combine(run, "clicks"), "--out", layer0, "--layers", "0");
        Assert.Equal(0, code);
        var name = SceneDataset.Open(data).Split("train")[0].Name;
        Assert.Equal(File.ReadAllText(Path.Combine(pseudo, "layers", "0", "semantic", name + ".txt")), File.ReadAllText(Path.Combine(layer0, "semantic", name + ".txt")));

        // evaluate reads them, and full trains on them
        (code, stdout, _) = Run("evaluate", "--pred", pseudo, "--gt", data, "--split", "train");
        Assert.Equal(0, code);
        Assert.Contains("AP_50%", stdout, StringComparison.Ordinal);
        var fullConfig = Path.Combine(Dir, "full.json");
        File.WriteAllText(fullConfig, TinyDataset.Config(epochs: 1).ToJsonString());
        (code, stdout, err) = Run("train", "--method", "full", "--data", data, "--out", Path.Combine(Dir, "full"), "--config", fullConfig, "--labels", pseudo);
        log.WriteLine(stdout + err);
        Assert.Equal(0, code);
        Assert.Contains("finished", stdout, StringComparison.Ordinal);

        // the benchmark command runs (its timings are not checked)
        var source0 = SceneDataset.Open(data).Split("train")[0];
        (code, stdout, err) = Run("bench", "pseudo-label", run, "--scene", source0.Path, "--clicks", Path.Combine(run, "clicks", source0.Name + ".json"), "--repeat", "1");
        log.WriteLine(stdout + err);
        Assert.Equal(0, code);
        Assert.Contains("\"label_ms\"", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void BadClicks_FailWithOneLine()
    {
        var (data, run) = Trained(3);
        var clicks = Path.Combine(Dir, "clicks");
        Directory.CreateDirectory(clicks);
        var source = SceneDataset.Open(data).Split("train")[0];
        var good = ClickSet.Load(Path.Combine(run, "clicks", source.Name + ".json"));

        // a click set for a scene the dataset does not hold
        new ClickSet("scene9999_00", "manual", null, good.Clicks).Save(Path.Combine(clicks, "scene9999_00.json"));
        var (code, _, err) = Run("pseudo-label", run, "--data", data, "--clicks", clicks, "--out", Path.Combine(Dir, "o1"));
        log.WriteLine(err);
        Assert.Equal(1, code);
        Assert.Contains("scene9999_00", err, StringComparison.Ordinal);
        Assert.Contains("does not hold", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        File.Delete(Path.Combine(clicks, "scene9999_00.json"));

        // a click on a point the scene does not have
        var bad = good.Clicks.Select((c, i) => i == 0 ? c with { Point = 10_000_000 } : c).ToList();
        new ClickSet(source.Name, "manual", null, bad).Save(Path.Combine(clicks, source.Name + ".json"));
        (code, _, err) = Run("pseudo-label", run, "--data", data, "--clicks", clicks, "--out", Path.Combine(Dir, "o2"));
        log.WriteLine(err);
        Assert.Equal(1, code);
        Assert.Contains("is on point 10000000", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));

        // a layer the network does not have
        (code, _, err) = Run("pseudo-label", run, "--data", data, "--clicks", Path.Combine(run, "clicks"), "--out", Path.Combine(Dir, "o3"), "--layers", "4");
        Assert.Equal(1, code);
        Assert.Contains("--layers 4", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));

        // seggroup labels clicked scans only: predict says what to use instead
        (code, _, err) = Run("predict", run, "--data", data, "--split", "val", "--out", Path.Combine(Dir, "o4"));
        Assert.Equal(1, code);
        Assert.Contains("pseudo-label", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }
}
