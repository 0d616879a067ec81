using Clickscape.Data.Clicks;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Training.Tests.Shared;
using Xunit.Abstractions;

namespace Clickscape.Cli.Tests.Commands;

public sealed class PseudoLabelCommandTests(ITestOutputHelper log) : CommandTest
{
    /// <summary>The tiny run of the training tests (10 cm voxels, widths 8/16, batches of 2, 1 thread) without loss or inference sections, so the click method's own apply.</summary>
    private string TinyClickConfig(int epochs)
    {
        var path = Path.Combine(Dir, "tiny-click.json");
        File.WriteAllText(path, $$"""
            {
              "data": { "voxel_size": 0.1, "batch_size": 2, "crop_points": 4000, "batch_point_budget": 8000 },
              "train": { "epochs": {{epochs}}, "seed": 5, "threads": 1 },
              "model": { "widths": [8, 16], "blocks": 1, "embedding": 4 },
              "optimizer": { "lr": 0.01, "clip_grad_norm": 10.0 },
              "loss": { "pseudo_start_epoch": 1 },
              "hooks": [ { "type": "Checkpoint-v1", "every_steps": 2, "best_metric": "miou" } ]
            }
            """);
        return path;
    }

    [Fact]
    public void Predict_InferenceOverride_ChangesTheGroupingNotTheWeights_AndBadOverridesAreOneLine()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var run = Path.Combine(Dir, "run");
        var (code, _, err) = Run("train", "--method", "clickseg", "--data", data, "--out", run, "--config", TinyClickConfig(1));
        Assert.True(code == 0, err);
        var plain = Path.Combine(Dir, "plain");
        (code, _, err) = Run("predict", run, "--data", data, "--out", plain);
        Assert.True(code == 0, err);
        // no instance can reach a million points: the same semantics (fusion is a per-cluster step, so turn it off on both sides)
        var a = Path.Combine(Dir, "a");
        var b = Path.Combine(Dir, "b");
        (code, _, err) = Run("predict", run, "--data", data, "--out", a, "--inference", """{ "fusion": false }""");
        Assert.True(code == 0, err);
        File.WriteAllText(Path.Combine(Dir, "inf.json"), """{ "fusion": false, "min_instance_points": 1000000 }""");
        (code, _, err) = Run("predict", run, "--data", data, "--out", b, "--inference", Path.Combine(Dir, "inf.json"));
        Assert.True(code == 0, err);
        foreach (var source in SceneDataset.Open(data).Split("val"))
        {
            Assert.Empty(ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(b, "instance", source.Name + ".txt")));
            Assert.Equal(File.ReadAllText(Path.Combine(a, "semantic", source.Name + ".txt")), File.ReadAllText(Path.Combine(b, "semantic", source.Name + ".txt")));
        }
        Assert.Contains(SceneDataset.Open(data).Split("val"), s => ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(a, "instance", s.Name + ".txt")).Count > 0);

        foreach (var (value, expected) in new[] { ("[1]", "expected a JSON object"), ("{ nope", "not valid JSON"), ("""{ "bandwith": 1 }""", "bandwith"), (Path.Combine(Dir, "missing.json"), "missing.json") })
        {
            (code, _, err) = Run("predict", run, "--data", data, "--out", Path.Combine(Dir, "bad"), "--inference", value);
            Assert.Equal(1, code);
            Assert.Contains(expected, err, StringComparison.Ordinal);
            Assert.Single(err.Trim().Split('\n'));
        }

        // pseudo-label --loss: the assignment and similarity terms of the labelling, over the same weights
        var nearest = Path.Combine(Dir, "nearest");
        (code, _, err) = Run("pseudo-label", run, "--data", data, "--clicks", Path.Combine(run, "clicks"), "--out", nearest, "--loss", """{ "assignment": "nearest", "spatial_term": false }""");
        Assert.True(code == 0, err);
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(nearest, "semantic")));
        (code, _, err) = Run("pseudo-label", run, "--data", data, "--clicks", Path.Combine(run, "clicks"), "--out", nearest, "--loss", """{ "assignment": "voronoi" }""");
        Assert.Equal(1, code);
        Assert.Contains("loss.assignment 'voronoi'", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void ClickSegRun_PseudoLabels_RoundTripIntoFullTraining()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var run = Path.Combine(Dir, "run");
        var (code, stdout, err) = Run("train", "--method", "clickseg", "--data", data, "--out", run, "--config", TinyClickConfig(2));
        log.WriteLine(stdout + err);
        Assert.Equal(0, code);
        Assert.Contains("clicks: simulated 1t1c", stdout, StringComparison.Ordinal);

        var pseudo = Path.Combine(Dir, "pseudo");
        (code, stdout, err) = Run("pseudo-label", run, "--data", data, "--clicks", Path.Combine(run, "clicks"), "--out", pseudo);
        log.WriteLine(stdout + err);
        Assert.Equal(0, code);
        var dataset = SceneDataset.Open(data);
        foreach (var source in dataset.Split("train"))
        {
            var scene = source.Load();
            var semantic = ScanNetEvaluationFiles.ReadVertexIds(Path.Combine(pseudo, "semantic", source.Name + ".txt"));
            Assert.Equal(scene.PointCount, semantic.Length);
            var clicks = ClickSet.Load(Path.Combine(run, "clicks", source.Name + ".json"));
            // dense: every point carries the class of some click, and each clicked point its own click's class
            var clickedClasses = clicks.Clicks.Select(c => c.Label).ToHashSet();
            Assert.All(semantic, l => Assert.Contains(l, clickedClasses));
            Assert.All(clicks.Clicks, c => Assert.Equal(c.Label, semantic[c.Point]));
            var masks = ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(pseudo, "instance", source.Name + ".txt"));
            Assert.NotEmpty(masks);
            Assert.All(masks, m => Assert.InRange(m.Confidence, 0, 1));
        }

        // a point cloud without faces: the clicked segments need its over-segmentation, found beside it or with --segments
        var name = dataset.Split("train")[0].Name;
        var cloud = Path.Combine(Dir, "cloud", name + ".npy");
        Directory.CreateDirectory(Path.GetDirectoryName(cloud)!);
        Assert.Equal(0, Run("convert", Directory.GetFiles(data, name + "_vh_clean_2.ply", SearchOption.AllDirectories).Single(), cloud).Code);
        (code, _, err) = Run("pseudo-label", run, "--data", cloud, "--clicks", Path.Combine(run, "clicks"), "--out", Path.Combine(Dir, "pc1"));
        Assert.Equal(1, code);
        Assert.Contains("run clickscape oversegment first", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
        var segs = Path.Combine(Dir, "segs");
        Assert.Equal(0, Run("oversegment", cloud, "--out", segs).Code);
        (code, stdout, err) = Run("pseudo-label", run, "--data", cloud, "--clicks", Path.Combine(run, "clicks"), "--out", Path.Combine(Dir, "pc2"), "--segments", segs);
        Assert.True(code == 0, stdout + err);
        (code, stdout, err) = Run("pseudo-label", run, "--data", cloud, "--clicks", Path.Combine(run, "clicks"), "--out", Path.Combine(Dir, "pc3"), "--loss", """{"keep_seg_labels": false}""");
        Assert.True(code == 0, stdout + err); // similarity alone needs no segments

        // the pseudo labels train full
        var full = Path.Combine(Dir, "full");
        var fullConfig = Path.Combine(Dir, "full.json");
        File.WriteAllText(fullConfig, Clickscape.Training.Tests.Shared.TinyDataset.Config(epochs: 1).ToJsonString());
        (code, stdout, err) = Run("train", "--method", "full", "--data", data, "--out", full, "--config", fullConfig, "--labels", pseudo);
        log.WriteLine(stdout + err);
        Assert.Equal(0, code);
        Assert.Contains("finished", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void BadInputs_FailWithOneLine()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 3);
        var full = Path.Combine(Dir, "full");
        var fullConfig = Path.Combine(Dir, "full.json");
        File.WriteAllText(fullConfig, TinyDataset.Config(epochs: 1).ToJsonString());
        var (code, _, err) = Run("train", "--method", "full", "--data", data, "--out", full, "--config", fullConfig);
        Assert.Equal(0, code);
        var clicks = Path.Combine(Dir, "clicks");
        Directory.CreateDirectory(clicks);
        (code, _, err) = Run("pseudo-label", full, "--data", data, "--clicks", clicks, "--out", Path.Combine(Dir, "o1"));
        Assert.Equal(1, code);
        Assert.Contains("weak, clickseg-base or clickseg", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));

        (code, _, err) = Run("pseudo-label", full, "--data", data, "--clicks", Path.Combine(Dir, "none"), "--out", Path.Combine(Dir, "o2"));
        Assert.Equal(1, code);
        (code, _, err) = Run("train", "--method", "weak", "--data", data, "--out", Path.Combine(Dir, "w"), "--clicks", clicks, "--config", TinyClickConfig(1));
        Assert.Equal(1, code);
        Assert.Contains("no click set for training scene", err, StringComparison.Ordinal);
    }
}
