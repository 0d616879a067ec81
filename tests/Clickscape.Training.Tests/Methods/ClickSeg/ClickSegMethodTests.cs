using System.Text.Json.Nodes;
using Clickscape.Data.Clicks;
using Clickscape.Data.Datasets;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Engine;
using Clickscape.Training.Methods;
using Clickscape.Training.Methods.ClickSeg;
using Clickscape.Training.Prediction;
using Clickscape.Training.Tests.Shared;
using Xunit.Abstractions;

namespace Clickscape.Training.Tests.Methods.ClickSeg;

public sealed class ClickSegMethodTests(ITestOutputHelper output) : TempFolder
{
    /// <summary>The tiny configuration of <see cref="TinyDataset.Config"/> for a click method, with <paramref name="loss"/> merged into its loss section.</summary>
    internal static TrainConfig Config(string method, int epochs, string loss = "{}", string inference = "{}")
    {
        var m = MethodRegistry.CreateDefault().Get(method);
        var json = m.Configure(TinyDataset.Config(epochs).Json);
        json["method"] = method;
        json = ConfigLoader.Merge(json, new JsonObject { ["loss"] = JsonNode.Parse(loss), ["inference"] = JsonNode.Parse(inference) });
        return TrainConfig.FromJson(json);
    }

    private sealed class Messages(ITestOutputHelper output) : ITrainingProgress
    {
        public List<string> Lines { get; } = [];

        public void Step(StepProgress progress)
        {
        }

        public void Message(string text)
        {
            Lines.Add(text);
            output.WriteLine(text);
        }
    }

    private (TrainingOutcome Outcome, Messages Log) Train(TrainConfig config, string data, string run, string? clicks = null)
    {
        var log = new Messages(output);
        var outcome = new Trainer().Run(config, new TrainingRequest { Data = data, Run = run, Clicks = clicks, Progress = log });
        return (outcome, log);
    }

    private static List<JsonObject> Steps(string run) =>
        RunLog.Read(Path.Combine(run, "log.jsonl")).Where(e => (string?)e["kind"] == "step").ToList();

    /// <summary>clickseg's benchmark-chosen start t and θ (RESULTS.md §10c); an explicit epoch, share or θ in the user's
    /// configuration wins.</summary>
    [Theory]
    [InlineData("{}", 120, 20, 0.3f)]
    [InlineData("{}", 7, 1, 0.3f)]
    [InlineData("""{"pseudo_start_epoch": 60, "theta": 0.9}""", 120, 60, 0.9f)]
    [InlineData("""{"pseudo_start_fraction": 0.5}""", 120, 60, 0.3f)]
    [InlineData("""{"pseudo_start_fraction": 0.5}""", 5, 2, 0.3f)]
    public void ClickSeg_PseudoLabelStartAndTheta(string loss, int epochs, int start, float theta)
    {
        var options = ClickSegMethod.LossOptions(Config("clickseg", epochs, loss));
        Assert.Equal(theta, options.Theta);
        var lossFn = new ClickSegLoss(ClickSegVariant.Click, options, new ClickSegInferenceOptions(), new Dictionary<string, SceneClicks>(), [1, 2], epochs);
        Assert.Equal(start, lossFn.PseudoStartEpoch);
    }

    [Fact]
    public void ClickSegBase_KeepsThePapersStartAndTheta()
    {
        var options = ClickSegMethod.LossOptions(Config("clickseg-base", 120));
        Assert.Equal(0.9f, options.Theta);
        Assert.Null(options.PseudoStartEpoch);
        Assert.Equal(0.5, options.PseudoStartFraction);
    }

    [Fact]
    public void Registry_HasTheThreeClickMethods()
    {
        var names = MethodRegistry.CreateDefault().Names;
        Assert.Contains("weak", names);
        Assert.Contains("clickseg-base", names);
        Assert.Contains("clickseg", names);
    }

    [Fact]
    public void Weak_SimulatesOneClickPerInstance_AndTrainsOnTheClickedSegmentsOnly()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var run = Path.Combine(Dir, "run");
        var (outcome, log) = Train(Config("weak", 2), data, run);
        Assert.Equal("finished", outcome.StopReason);
        Assert.Contains(log.Lines, l => l.StartsWith("clicks: simulated 1t1c", StringComparison.Ordinal));
        var dataset = SceneDataset.Open(data);
        foreach (var source in dataset.Split("train"))
        {
            var set = ClickSet.Load(Path.Combine(run, "clicks", source.Name + ".json"));
            var scene = source.Load();
            Assert.Equal(scene.InstanceIds!.Where(i => i > 0).Distinct().Count(), set.Clicks.Count);
        }
        var steps = Steps(run);
        Assert.All(steps, s => Assert.Null(s["pseudo_discriminative"]));
        Assert.All(steps, s => Assert.NotNull(s["discriminative"]));

        // the labels the loader trains on are the expansion of the clicks, not the ground truth
        var method = (ClickSegMethod)MethodRegistry.CreateDefault().Get("weak");
        var first = dataset.Split("train")[0];
        var clicks = SceneClicks.Expand(ClickSet.Load(Path.Combine(run, "clicks", first.Name + ".json")), dataset.Segments(first, first.Load()));
        var loss = new ClickSegLoss(ClickSegVariant.Weak, new ClickSegLossOptions(), new ClickSegInferenceOptions(), new Dictionary<string, SceneClicks> { [first.Name] = clicks }, method.ClassIds, 2);
        var prepared = PreparedScene.Prepare(first, null, 0.1f, requireLabels: true);
        var trained = method.TrainingScene(loss, prepared);
        Assert.Equal(clicks.WeakInstance, trained.Instance);
        Assert.Contains(trained.Semantic, l => l == Labels.Unlabelled);
        Assert.True(trained.Semantic.Count(l => l != Labels.Unlabelled) < prepared.Semantic.Count(l => l != Labels.Unlabelled));
    }

    [Fact]
    public void ClicksFolder_IsUsed_AndASceneWithoutClicksIsAnError()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var dataset = SceneDataset.Open(data);
        var clicks = Path.Combine(Dir, "clicks");
        Directory.CreateDirectory(clicks);
        var train = dataset.Split("train");
        foreach (var s in train.Skip(1))
            ClickSimulator.Simulate(s.Load(), new ClickSimulator.Options(ClickPolicy.OneThingTwoClicks, 4)).Save(Path.Combine(clicks, s.Name + ".json"));
        var e = Assert.Throws<DataFormatException>(() => Train(Config("clickseg", 1), data, Path.Combine(Dir, "r1"), clicks));
        Assert.Contains(train[0].Name, e.Message, StringComparison.Ordinal);

        ClickSimulator.Simulate(train[0].Load(), new ClickSimulator.Options(ClickPolicy.OneThingTwoClicks, 4)).Save(Path.Combine(clicks, train[0].Name + ".json"));
        var (outcome, log) = Train(Config("clickseg", 2, """{ "pseudo_start_epoch": 1 }"""), data, Path.Combine(Dir, "r2"), clicks);
        Assert.Equal("finished", outcome.StopReason);
        Assert.Contains(log.Lines, l => l.StartsWith($"clicks: read from {clicks}", StringComparison.Ordinal));
        Assert.Equal("1t2c", ClickSet.Load(Path.Combine(Dir, "r2", "clicks", train[0].Name + ".json")).Policy);
        Assert.Contains(Steps(Path.Combine(Dir, "r2")), s => s["pseudo_semantic"] is not null); // multi-click pseudo labels ran
    }

    [Fact]
    public void ClickSeg_FromEpochT_TrainsOnPseudoLabels_LearnsSigma_AndPredicts()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var run = Path.Combine(Dir, "run");
        var (outcome, _) = Train(Config("clickseg", 3, """{ "pseudo_start_epoch": 1, "shifted_positions_epoch": 2, "theta": 0.0 }"""), data, run);
        Assert.Equal("finished", outcome.StopReason);
        var steps = Steps(run);
        Assert.All(steps.Where(s => (int)s["epoch"]! == 1), s => Assert.Null(s["pseudo_semantic"]));
        Assert.All(steps.Where(s => (int)s["epoch"]! >= 2), s => Assert.NotNull(s["offset"]));
        // θ = 0 keeps every pseudo semantic label whose click is of a trained class (the rest, e.g. nyu40 'otherprop', stay ignored)
        Assert.All(steps.Where(s => (int)s["epoch"]! >= 2), s => Assert.InRange((double)s["pseudo_semantic_kept"]!, 0.5, 1.0));
        Assert.NotEqual(1.0, (double)steps[^1]["sigma_e"]!, 6);

        using var predictor = Predictor.Open(run);
        var pred = Path.Combine(Dir, "pred");
        var names = predictor.PredictDataset(data, "val", pred);
        foreach (var name in names)
        {
            var lines = File.ReadAllLines(Path.Combine(pred, "semantic", name + ".txt"));
            Assert.Equal(SceneDataset.Open(data).Find(name)!.Load().PointCount, lines.Length);
            Assert.True(File.Exists(Path.Combine(pred, "instance", name + ".txt")));
        }
    }

    [Fact]
    public void PseudoLabelAccuracy_IsLoggedAsTrainingGoes_AndEqualsPseudoLabelOfTheSameModel()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var run = Path.Combine(Dir, "run");
        var json = Config("clickseg", 2, """{ "pseudo_start_epoch": 1 }""").Json;
        var hook = json["hooks"]!.AsArray().Single(h => (string?)h!["type"] == "PseudoEvaluate-v1")!.AsObject();
        hook["every_epochs"] = 1;
        var (outcome, _) = Train(TrainConfig.FromJson(json), data, run);
        Assert.Equal("finished", outcome.StopReason);
        var entries = RunLog.Read(Path.Combine(run, "log.jsonl"));
        var scored = entries.Where(e => (string?)e["kind"] == "pseudo_eval").ToList();
        Assert.Equal([1, 2], scored.Select(e => (int)e["epoch"]!)); // each epoch end; the run's end is the same model, scored once
        Assert.All(scored, e => Assert.Equal("train", (string?)e["split"]));
        Assert.DoesNotContain(entries, e => (string?)e["kind"] == "eval" && (string?)e["split"] == "train"); // not a model-selection evaluation

        // the last score is what `pseudo-label` with the final weights gives those scenes, scored by the evaluator
        using var predictor = Predictor.Open(run);
        var pseudo = Path.Combine(Dir, "pseudo");
        var names = ClickSegPseudoLabeler.LabelDataset(predictor, data, Path.Combine(run, "clicks"), "train", pseudo);
        var dataset = SceneDataset.Open(data);
        var instances = new List<Clickscape.Evaluation.ScanNet.InstanceScene>();
        var semantic = new List<(int[], int[])>();
        foreach (var name in names)
        {
            var prepared = PreparedScene.Prepare(dataset.Find(name)!, null, predictor.Config.Data.VoxelSize, requireLabels: true);
            var labels = predictor.Method.PseudoLabel(predictor.Model, predictor.Config, predictor.Method.CreateLoss(predictor.Config, new TrainingData(dataset, [dataset.Find(name)!], Path.Combine(run, "clicks"), Path.Combine(Dir, "scratch"), false, _ => { })), prepared)!;
            Assert.Equal(File.ReadAllLines(Path.Combine(pseudo, "semantic", name + ".txt")).Select(int.Parse), labels.Semantic);
            // every point of a clicked over-segment keeps its click's class (only the unlabelled points are assigned)
            var weak = SceneClicks.Expand(Clickscape.Data.Clicks.ClickSet.Load(Path.Combine(run, "clicks", name + ".json")), dataset.Segments(dataset.Find(name)!, dataset.Find(name)!.Load()));
            Assert.Contains(weak.WeakSemantic, l => l != Labels.Unlabelled);
            for (int q = 0; q < weak.WeakSemantic.Length; q++)
                if (weak.WeakSemantic[q] != Labels.Unlabelled) Assert.Equal(weak.WeakSemantic[q], labels.Semantic[q]);
            instances.Add(new(name, prepared.InstanceGroundTruth(), labels.Instances.Select(m => new Clickscape.Evaluation.ScanNet.PredictedInstance(m.Vertices, m.LabelId, m.Confidence)).ToList()));
            semantic.Add((prepared.Semantic, labels.Semantic));
        }
        Assert.Equal(names.Count, (int)scored[^1]["scenes"]!);
        Assert.Equal(new Clickscape.Evaluation.ScanNet.InstanceAp().Evaluate(instances).Ap50, (double)scored[^1]["ap50"]!, 5);
        Assert.Equal(new Clickscape.Evaluation.ScanNet.SemanticIou().Evaluate(semantic).MeanIou, (double)scored[^1]["miou"]!, 5);
        Assert.Contains("Pseudo labels of the training scenes", File.ReadAllText(Path.Combine(run, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void ClickSegBase_FromEpochT_AddsTheConfidentPseudoInstanceTerm()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var run = Path.Combine(Dir, "run");
        var (outcome, _) = Train(Config("clickseg-base", 2, """{ "pseudo_start_epoch": 1 }"""), data, run);
        Assert.Equal("finished", outcome.StopReason);
        var steps = Steps(run);
        Assert.All(steps.Where(s => (int)s["epoch"]! == 1), s => Assert.Null(s["pseudo_discriminative"]));
        Assert.All(steps.Where(s => (int)s["epoch"]! == 2), s => Assert.NotNull(s["pseudo_discriminative"]));
        Assert.All(steps, s => Assert.Null(s["offset"]));
        Assert.True(File.Exists(Path.Combine(run, "pseudo", "base-0.bin")));
        Assert.False(File.Exists(Path.Combine(run, "pseudo", "base-1.bin")));
    }

    [Fact]
    public void ClickSegBase_Resumed_ReadsTheGenerationItTrainedOn_AndEqualsUninterrupted()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var config = Config("clickseg-base", 3, """{ "pseudo_start_epoch": 1, "regenerate_every_epochs": 1 }""");
        var straight = Train(config, data, Path.Combine(Dir, "straight")).Outcome;
        Assert.True(File.Exists(Path.Combine(Dir, "straight", "pseudo", "base-1.bin")));
        var broken = Path.Combine(Dir, "broken");
        using (var cancel = new CancellationTokenSource())
            new Trainer().Run(config, new TrainingRequest { Data = data, Run = broken, Cancellation = cancel.Token, Progress = new CancelAtStep(cancel, 3) });
        var resumed = new Trainer().Run(config, new TrainingRequest { Data = data, Run = broken, Resume = true });
        Assert.Equal(straight.Losses.Skip(3), resumed.Losses);
        Assert.Equal(File.ReadAllBytes(Path.Combine(Dir, "straight", "pseudo", "base-1.bin")), File.ReadAllBytes(Path.Combine(broken, "pseudo", "base-1.bin")));
    }

    [Fact]
    public void ClickSeg_SameSeed_SameLosses()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var config = Config("clickseg", 2, """{ "pseudo_start_epoch": 1, "shifted_positions_epoch": 1 }""");
        var a = Train(config, data, Path.Combine(Dir, "a")).Outcome.Losses;
        var b = Train(config, data, Path.Combine(Dir, "b")).Outcome.Losses;
        Assert.Equal(a, b);
    }

    [Fact]
    public void ClickSeg_InterruptedAndResumed_EqualsUninterrupted_WithTheRunsOwnClicks()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var config = Config("clickseg", 3, """{ "pseudo_start_epoch": 1, "shifted_positions_epoch": 2 }""");
        var straight = Train(config, data, Path.Combine(Dir, "straight")).Outcome;
        var broken = Path.Combine(Dir, "broken");
        using (var cancel = new CancellationTokenSource())
        {
            var first = new Trainer().Run(config, new TrainingRequest { Data = data, Run = broken, Cancellation = cancel.Token, Progress = new CancelAtStep(cancel, 3) });
            Assert.Equal("cancelled", first.StopReason);
        }
        var log = new Messages(output);
        var resumed = new Trainer().Run(config, new TrainingRequest { Data = data, Run = broken, Resume = true, Progress = log });
        Assert.Contains(log.Lines, l => l.StartsWith("clicks: read from " + Path.Combine(broken, "clicks"), StringComparison.Ordinal));
        Assert.Equal(straight.Losses.Skip(3), resumed.Losses);
    }

    [Fact]
    public void BadLossSection_IsAConfigError()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var e = Assert.Throws<ConfigException>(() => Train(Config("clickseg", 1, """{ "assignment": "spectral" }"""), data, Path.Combine(Dir, "r")));
        Assert.Contains("assignment", e.Message, StringComparison.Ordinal);
        var f = Assert.Throws<ConfigException>(() => Train(Config("weak", 1, """{ "thetta": 0.5 }"""), data, Path.Combine(Dir, "r2")));
        Assert.Contains("thetta", f.Message, StringComparison.Ordinal);
        var labels = Path.Combine(Dir, "labels");
        foreach (var s in SceneDataset.Open(data).Scenes)
            Clickscape.Data.Formats.ScanNet.ScanNetPredictionWriter.Write(labels, s.Name, s.Load().PointCount, new int[s.Load().PointCount], []);
        var g = Assert.Throws<ConfigException>(() => new Trainer().Run(Config("clickseg", 1), new TrainingRequest { Data = data, Run = Path.Combine(Dir, "r3"), Labels = labels }));
        Assert.Contains("trains from clicks", g.Message, StringComparison.Ordinal);
        // full's grouping needs the offsets only clickseg learns: refused before the first step
        var h = Assert.Throws<ConfigException>(() => Train(Config("weak", 1, inference: """{ "clustering": "dual_set" }"""), data, Path.Combine(Dir, "r4")));
        Assert.Contains("inference.clustering", h.Message, StringComparison.Ordinal);
        var k = Assert.Throws<ConfigException>(() => Train(Config("clickseg", 1, """{ "class_balance": "focal" }"""), data, Path.Combine(Dir, "r5")));
        Assert.Contains("class_balance", k.Message, StringComparison.Ordinal);
    }

    /// <summary><c>clickseg</c> weighs its semantic CE by default (RESULTS.md §10f); the baselines keep the paper's unweighted CE.</summary>
    [Fact]
    public void ClassBalance_IsClickSegsDefaultOnly()
    {
        Assert.Equal("sqrt_inverse", ClickSegMethod.LossOptions(Config("clickseg", 120)).ClassBalance);
        Assert.Equal("none", ClickSegMethod.LossOptions(Config("clickseg", 120, """{ "class_balance": "none" }""")).ClassBalance);
        Assert.Equal("none", ClickSegMethod.LossOptions(Config("clickseg-base", 120)).ClassBalance);
        Assert.Equal("none", ClickSegMethod.LossOptions(Config("weak", 120)).ClassBalance);
    }

    /// <summary><c>loss.class_balance sqrt_inverse</c> reaches the training: the log names the weights, and the semantic CE of the
    /// first step differs from the unweighted run's while the discriminative term of the same forward pass does not.</summary>
    [Fact]
    public void ClassBalance_WeighsTheSemanticCrossEntropy()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var (_, plainLog) = Train(Config("clickseg", 1, """{ "class_balance": "none" }"""), data, Path.Combine(Dir, "plain"));
        var (_, log) = Train(Config("clickseg", 1), data, Path.Combine(Dir, "balanced")); // clickseg's default (RESULTS.md §10f)
        Assert.DoesNotContain(plainLog.Lines, l => l.Contains("class weights", StringComparison.Ordinal));
        Assert.Contains(log.Lines, l => l.StartsWith("clickseg: semantic CE class weights (sqrt_inverse", StringComparison.Ordinal));
        var plain = Steps(Path.Combine(Dir, "plain"))[0];
        var balanced = Steps(Path.Combine(Dir, "balanced"))[0];
        Assert.Equal((double)plain["discriminative"]!, (double)balanced["discriminative"]!, 6);
        Assert.NotEqual((double)plain["semantic"]!, (double)balanced["semantic"]!, 3);
    }
}
