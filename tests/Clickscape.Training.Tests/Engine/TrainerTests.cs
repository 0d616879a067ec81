using System.Globalization;
using Clickscape.Data.IO;
using Clickscape.Tensors.Serialization;
using Clickscape.Training.Configs;
using Clickscape.Training.Engine;
using Clickscape.Training.Tests.Shared;
using Xunit.Abstractions;

namespace Clickscape.Training.Tests.Engine;

public sealed class TrainerTests(ITestOutputHelper output) : TempFolder
{
    /// <summary>The seeded tiny run's total loss at every step (config <see cref="TinyDataset.Config"/>, 4 train scenes, seed 5, 1 thread).</summary>
    private static readonly float[] PinnedLosses =
    [
        5.0728025f,
        4.5265822f,
        4.2237096f,
        4.1871634f,
        3.8357222f,
        3.8861873f,
    ];

    private string Data(int count = 6) => TinyDataset.Create(Path.Combine(Dir, "data"), count);

    private TrainingOutcome Train(TrainConfig config, string data, string run, bool resume = false, string? labels = null) =>
        new Trainer().Run(config, new TrainingRequest { Data = data, Run = run, Resume = resume, Labels = labels, Progress = new TestProgress(output) });

    [Fact]
    public void SeededTinyRun_LossCurveIsPinned()
    {
        var outcome = Train(TinyDataset.Config(epochs: 3), Data(), Path.Combine(Dir, "run"));
        output.WriteLine(string.Join(",\n", outcome.Losses.Select(l => l.ToString("R", CultureInfo.InvariantCulture) + "f")));
        Assert.Equal(PinnedLosses.Length, outcome.Losses.Count);
        for (int i = 0; i < PinnedLosses.Length; i++)
            Assert.True(MathF.Abs(outcome.Losses[i] - PinnedLosses[i]) <= 1e-5f * MathF.Max(1f, PinnedLosses[i]), $"step {i + 1}: loss {outcome.Losses[i]:R}, pinned {PinnedLosses[i]:R}");
    }

    [Fact]
    public void InterruptedAndResumedRun_EndsWithTheWeightsOfAnUninterruptedOne()
    {
        var data = Data();
        var config = TinyDataset.Config(epochs: 3);
        var straight = Path.Combine(Dir, "straight");
        var full = Train(config, data, straight);
        Assert.Equal(6, full.State.Step);

        // stop at a step boundary as Ctrl-C does (the kill -9 case is the CLI test TrainCommandTests), then resume
        var broken = Path.Combine(Dir, "broken");
        using (var cancel = new CancellationTokenSource())
        {
            var progress = new CancelAtStep(cancel, 3);
            var first = new Trainer().Run(config, new TrainingRequest { Data = data, Run = broken, Cancellation = cancel.Token, Progress = progress });
            Assert.Equal("cancelled", first.StopReason);
            Assert.Equal(3, first.State.Step);
        }
        var resumed = Train(config, data, broken, resume: true);
        Assert.Equal("finished", resumed.StopReason);
        Assert.Equal(full.Losses.Skip(3), resumed.Losses);
        AssertSameTensors(Path.Combine(straight, "checkpoints", "last.safetensors"), Path.Combine(broken, "checkpoints", "last.safetensors"));
        var steps = RunLog.Read(Path.Combine(broken, "log.jsonl")).Where(e => (string?)e["kind"] == "step").Select(e => (int)e["step"]!).ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], steps);
    }

    [Fact]
    public void StepLog_SaysWhereEachStepsTimeWent()
    {
        var run = Path.Combine(Dir, "run");
        Train(TinyDataset.Config(epochs: 1), Data(), run);
        var steps = RunLog.Read(Path.Combine(run, "log.jsonl")).Where(e => (string?)e["kind"] == "step").ToList();
        Assert.NotEmpty(steps);
        foreach (var step in steps)
        {
            foreach (var stage in new[] { "time_data_s", "time_forward_s", "time_backward_s", "time_optimizer_s" })
                Assert.True((double)step[stage]! >= 0, $"{stage} missing or negative in {step.ToJsonString()}");
            Assert.True((double)step["time_forward_s"]! > 0 && (double)step["time_backward_s"]! > 0, step.ToJsonString());
        }
        // timings are not loss terms: the report draws no curve for them
        Assert.DoesNotContain("time_forward_s per step", File.ReadAllText(Path.Combine(run, "report.html")), StringComparison.Ordinal);
    }

    [Fact]
    public void OverfitsOneScene()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "one"), 1, points: 3000, splits: false);
        var config = TinyDataset.Config(epochs: 60, augment: false).With("data.batch_size", 1).With("optimizer.lr", 0.02);
        var outcome = new Trainer().Run(config, new TrainingRequest { Data = data, Run = Path.Combine(Dir, "run"), Split = "all" });
        output.WriteLine(string.Join(" ", outcome.Losses.Select(l => l.ToString("F3", CultureInfo.InvariantCulture))));
        Assert.True(outcome.Losses[^1] < 0.3f * outcome.Losses[0], $"loss fell from {outcome.Losses[0]} to {outcome.Losses[^1]}, expected below 30 %");

        using var predictor = Clickscape.Training.Prediction.Predictor.Open(Path.Combine(Dir, "run"));
        var dataset = Clickscape.Data.Datasets.SceneDataset.Open(data);
        var prepared = Clickscape.Training.Data.PreparedScene.Prepare(dataset.Scenes[0], null, 0.1f, requireLabels: true);
        var prediction = predictor.Predict(prepared);
        int labelled = 0, correct = 0;
        for (int i = 0; i < prepared.PointCount; i++)
        {
            if (prepared.Semantic[i] == 0) continue;
            labelled++;
            if (prediction.Semantic[i] == prepared.Semantic[i]) correct++;
        }
        double accuracy = correct / (double)labelled;
        output.WriteLine($"semantic accuracy {accuracy:P1} over {labelled} labelled points");
        Assert.True(accuracy > 0.9, $"semantic accuracy {accuracy:P1} on the memorized scene, expected > 90 %");

        // the grouped instances of the memorized scene, scored with the ScanNet AP
        var ap = new Clickscape.Evaluation.ScanNet.InstanceAp().Evaluate([new Clickscape.Evaluation.ScanNet.InstanceScene(prepared.Name, prepared.InstanceGroundTruth(),
            prediction.Instances.Select(m => new Clickscape.Evaluation.ScanNet.PredictedInstance(m.Vertices, m.LabelId, m.Confidence)).ToList())]);
        int eligible = prepared.Instance.Where(i => i > 0).GroupBy(i => i).Count(g => g.Count() >= 100);
        output.WriteLine($"{prediction.Instances.Count} instances predicted, {eligible} GT instances ≥ 100 points; AP {ap.Ap:F3} AP50 {ap.Ap50:F3} AP25 {ap.Ap25:F3}");
        Assert.True(eligible >= 1, "the tiny scene needs an instance of ≥ 100 points");
        Assert.True(ap.Ap50 > 0.5, $"AP50 {ap.Ap50:F3} on the memorized scene, expected > 0.5");
    }

    [Fact]
    public void StartingOverAnExistingRun_IsAnError()
    {
        var data = Data(3);
        var run = Path.Combine(Dir, "run");
        Train(TinyDataset.Config(maxSteps: 1), data, run);
        var e = Assert.Throws<DataFormatException>(() => Train(TinyDataset.Config(maxSteps: 1), data, run));
        Assert.Contains("--resume", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingSplit_IsAnErrorNamingTheSplitFile()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "nosplit"), 2, splits: false);
        var e = Assert.Throws<DataFormatException>(() => Train(TinyDataset.Config(maxSteps: 1), data, Path.Combine(Dir, "run")));
        Assert.Contains("train.txt", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelsFolderMissingAScene_IsAnErrorNamingTheScene()
    {
        var data = Data(3);
        var labels = Path.Combine(Dir, "labels");
        Directory.CreateDirectory(Path.Combine(labels, "semantic"));
        Directory.CreateDirectory(Path.Combine(labels, "instance"));
        var e = Assert.Throws<DataFormatException>(() => Train(TinyDataset.Config(maxSteps: 1), data, Path.Combine(Dir, "run"), labels: labels));
        Assert.Contains("scene0000_00", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownMethod_IsAConfigErrorListingTheMethods()
    {
        var config = TinyDataset.Config(maxSteps: 1).With("method", "nonsense");
        var e = Assert.Throws<ConfigException>(() => Train(config, Data(3), Path.Combine(Dir, "run")));
        Assert.Contains("'nonsense'", e.Message, StringComparison.Ordinal);
        Assert.Contains("full", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TrainsOnAPseudoLabelFolder_InsteadOfTheGroundTruth()
    {
        var data = Data(3);
        var labels = Path.Combine(Dir, "labels");
        var dataset = Clickscape.Data.Datasets.SceneDataset.Open(data);
        foreach (var s in dataset.Split("train"))
        {
            int n = s.Load().PointCount;
            // every point a chair, the first 150 points one chair instance
            Clickscape.Data.Formats.ScanNet.ScanNetPredictionWriter.Write(labels, s.Name, n, Enumerable.Repeat(5, n).ToArray(), [(5, 0.9f, Enumerable.Range(0, 150).ToArray())]);
        }
        var run = Path.Combine(Dir, "run");
        var outcome = Train(TinyDataset.Config(maxSteps: 1), data, run, labels: labels);
        Assert.Equal(1, outcome.State.Step);
        var cache = new Clickscape.Training.Data.SceneCache(Path.Combine(run, "cache"));
        var folder = new Clickscape.Training.Data.PseudoLabelFolder(labels);
        var prepared = cache.Get(dataset.Split("train")[0], folder, 0.1f, requireLabels: true);
        Assert.Equal(0, cache.Builds); // the trainer's cache entry, built from the labels folder
        Assert.All(prepared.Semantic, l => Assert.Equal(5, l));
        Assert.Equal(150, prepared.Instance.Count(i => i == 1));
        Assert.Equal(prepared.PointCount - 150, prepared.Instance.Count(i => i == 0));
    }

    [Fact]
    public void Budget_StopsAtAStepBoundaryWithACheckpoint()
    {
        var config = TinyDataset.Config(epochs: 50).With("train.budget_minutes", 1e-6);
        var run = Path.Combine(Dir, "run");
        var outcome = Train(config, Data(3), run);
        Assert.Equal("budget", outcome.StopReason);
        Assert.Equal(1, outcome.State.Step);
        var (_, state) = Checkpoint.ReadMetadata(Path.Combine(run, "checkpoints", "last.safetensors"));
        Assert.Equal(1, state.Step);
        Assert.False(state.Finished);
        Assert.True(File.Exists(Path.Combine(run, "report.html")));
    }

    internal static void AssertSameTensors(string expectedPath, string actualPath)
    {
        var expected = SafeTensors.Load(expectedPath);
        var actual = SafeTensors.Load(actualPath);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, t) in expected)
            Assert.True(t.Data.SequenceEqual(actual[name].Data), $"tensor '{name}' differs between the uninterrupted and the resumed run");
    }

    /// <summary>Writes messages to the test output.</summary>
    private sealed class TestProgress(ITestOutputHelper output) : ITrainingProgress
    {
        public void Step(StepProgress progress)
        {
        }

        public void Message(string text) => output.WriteLine(text);
    }
}
