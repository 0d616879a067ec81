using System.Text.Json.Nodes;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Models.SegGroup;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Engine;
using Clickscape.Training.Methods;
using Clickscape.Training.Methods.SegGroup;
using Clickscape.Training.Prediction;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Methods.SegGroup;

public sealed class SegGroupMethodTests : TempFolder
{
    internal static TrainConfig Config(int epochs)
    {
        var method = MethodRegistry.CreateDefault().Get("seggroup");
        var json = method.Configure(TinyDataset.Config(epochs).Json);
        json["method"] = "seggroup";
        json = ConfigLoader.Merge(json, JsonNode.Parse("""{ "train": { "threads": 1 }, "model": { "max_points_per_cluster": 64 } }""")!.AsObject());
        return TrainConfig.FromJson(json);
    }

    [Fact]
    public void Registered_WithTheReferenceRecipe()
    {
        var method = MethodRegistry.CreateDefault().Get("seggroup");
        Assert.IsType<SegGroupMethod>(method);
        Assert.False(method.TrainsOnGroundTruth);
        var json = method.Configure(ConfigLoader.LoadPreset("cpu"));
        json["method"] = "seggroup";
        var config = TrainConfig.FromJson(json);
        Assert.Equal("SGD", config.Optimizer!["type"]!.GetValue<string>());
        Assert.Equal(0.1, config.Optimizer["lr"]!.GetValue<double>(), 6);
        Assert.Equal(0.9, config.Optimizer["momentum"]!.GetValue<double>(), 6);
        Assert.Equal(1e-4, config.Optimizer["weight_decay"]!.GetValue<double>(), 9);
        Assert.Equal(1, config.Data.BatchSize);
        Assert.Equal(6, config.Loop.Epochs);
        Assert.Equal(0.2f, SegGroupMethod.LossOptions(config).LabelSmoothing);
        var net = SegGroupMethod.ModelOptions(config);
        Assert.Equal([6f, 2f, 2f], net.Thresholds);
        Assert.Equal(3, net.Layers);
    }

    [Fact]
    public void BadSections_AreConfigErrors()
    {
        var config = Config(1).With("model.layers", 4);
        Assert.Contains("layers 4", Assert.Throws<ConfigException>(() => SegGroupMethod.ModelOptions(config)).Message, StringComparison.Ordinal);
        config = Config(1).With("loss.simulate_policy", "everywhere");
        Assert.Contains("simulate_policy", Assert.Throws<ConfigException>(() => SegGroupMethod.LossOptions(config)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_ThenPseudoLabels_LabelEveryPointOfTheClickedScenes()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 3);
        var run = Path.Combine(Dir, "run");
        var outcome = new Trainer().Run(Config(2), new TrainingRequest { Data = data, Run = run });
        Assert.Equal("finished", outcome.StopReason);
        Assert.All(outcome.Losses, l => Assert.True(float.IsFinite(l)));
        using var predictor = Predictor.Open(run);
        var output = Path.Combine(Dir, "pseudo");
        var names = SegGroupPseudoLabeler.LabelDataset(predictor, data, Path.Combine(run, "clicks"), "train", output, everyLayer: true);
        Assert.Equal(2, names.Count);
        foreach (var source in SceneDataset.Open(data).Split("train"))
        {
            var scene = source.Load();
            var semantic = ScanNetEvaluationFiles.ReadVertexIds(Path.Combine(output, "semantic", source.Name + ".txt"));
            var seg = ScanNetEvaluationFiles.ReadVertexIds(Path.Combine(SegGroupPseudoLabeler.LayerFolder(output, 0), "semantic", source.Name + ".txt"));
            Assert.Equal(scene.PointCount, semantic.Length);
            Assert.DoesNotContain(0, semantic); // dense: every point has a class
            Assert.Contains(0, seg);            // the seg-level labels alone leave points unlabelled
            // where the seg-level labels say something, the pseudo labels agree
            for (int i = 0; i < seg.Length; i++) if (seg[i] != 0) Assert.Equal(seg[i], semantic[i]);
        }
        Assert.Throws<ConfigException>(() => predictor.Predict(PreparedScene.Prepare(SceneDataset.Open(data).Scenes[0], null, 0.1f, false)));
    }
    /// <summary>The dropout masks are keyed by (seed, epoch, batch, sample), so stopping after step 3 and resuming gives the
    /// losses of an uninterrupted run bit for bit (before, the mask stream restarted with the process).</summary>
    [Fact]
    public void InterruptedAndResumed_EqualsUninterrupted()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 3);
        var config = Config(3);
        var straight = new Trainer().Run(config, new TrainingRequest { Data = data, Run = Path.Combine(Dir, "straight") });
        Assert.True(straight.Losses.Count > 4, $"{straight.Losses.Count} steps: too few to interrupt");
        var broken = Path.Combine(Dir, "broken");
        using (var cancel = new CancellationTokenSource())
            Assert.Equal("cancelled", new Trainer().Run(config, new TrainingRequest { Data = data, Run = broken, Cancellation = cancel.Token, Progress = new CancelAtStep(cancel, 3) }).StopReason);
        var resumed = new Trainer().Run(config, new TrainingRequest { Data = data, Run = broken, Resume = true });
        Assert.Equal(straight.Losses.Skip(3), resumed.Losses);
    }
}
