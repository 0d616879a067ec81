using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clickscape.Data.Clicks;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.Png;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Data.Rendering;
using Clickscape.Data.Synthetic.Scenes;
using Clickscape.Evaluation.PseudoLabels;
using Clickscape.Evaluation.ScanNet;
using Clickscape.Geometry.Scenes;
using Clickscape.Training.Configs;
using Clickscape.Training.Engine;
using Clickscape.Training.Prediction;
using Clickscape.Training.Reporting;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape demo [--out DIR] [--count N] [--seed S] [--budget-minutes N]</c>: the main job on generated data,
/// end to end: generate ScanNet-layout rooms → one simulated click per object, expanded to over-segments and scored
/// (the seg-level labels the weak methods start from) → train the fully supervised <c>full</c> and, on the clicks
/// alone, <c>clickseg</c> (the <c>cpu</c> preset), half the budget each → predict the val rooms → score both with the
/// official ScanNet metrics → <c>report.html</c>: the two side by side (metrics, predictions beside the ground truth),
/// linking each run's own <c>report.html</c> (loss curves, evaluations, ClickSeg's pseudo-label curve).
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder (data/, clicks/, run/, pred/, eval/).", DefaultValueFactory = _ => "demo-out" };
        var count = new Option<int>("--count") { Description = "Rooms to generate (every fifth is a val room).", DefaultValueFactory = _ => 24 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated data, the clicks and the training.", DefaultValueFactory = _ => 1 };
        var budget = new Option<double>("--budget-minutes") { Description = "Training time budget in minutes, shared by the two methods.", DefaultValueFactory = _ => 8 };
        var threads = new Option<int?>("--threads") { Description = "Compute threads (default: all cores)." };
        var command = new Command("demo", "Generate rooms, click every object, train full and clickseg, predict, evaluate, report both side by side.") { output, count, seed, budget, threads };
        CommandAction.Set(command, (parse, stdout) =>
        {
            int n = parse.GetValue(count);
            if (n < 2) throw new UsageException($"--count {n}: expected ≥ 2 (at least one train and one val room)");
            double minutes = parse.GetValue(budget);
            if (!(minutes > 0) || double.IsInfinity(minutes)) throw new UsageException($"--budget-minutes {minutes.ToString(CultureInfo.InvariantCulture)}: expected a number > 0");
            if (parse.GetValue(threads) is < 1) throw new UsageException($"--threads {parse.GetValue(threads)}: expected ≥ 1");
            Run(parse.GetValue(output)!, n, parse.GetValue(seed), minutes, parse.GetValue(threads), stdout);
            return 0;
        });
        return command;
    }

    private static void Run(string outDir, int count, int seed, double budgetMinutes, int? threads, TextWriter stdout)
    {
        var inv = CultureInfo.InvariantCulture;
        var clock = Stopwatch.StartNew();
        var dataDir = Path.Combine(outDir, "data");
        stdout.WriteLine($"1/6 generating {count} ScanNet-layout rooms (seed {seed}) → {dataDir}");
        SceneGenerator.WriteDataset(dataDir, count, (ulong)seed, SceneSize.Small, (i, g) =>
            stdout.WriteLine($"    {g.Scene.Name}: {g.Scene.PointCount,7} vertices, {g.Scene.InstanceIds!.Max(),3} instances, {g.SegIndices.Distinct().Count(),4} segments"));
        var dataset = SceneDataset.Open(dataDir);

        stdout.WriteLine("2/6 one click per object (1t1c), expanded to over-segments");
        var clicks = SimulateClicks(dataset, Path.Combine(outDir, "clicks"), seed);

        // Both methods share the budget: full first, then clickseg on the clicks of step 2 (never the train rooms' labels).
        double half = budgetMinutes / 2;
        stdout.WriteLine(string.Create(inv, $"3/6 training full (dense labels) and clickseg (the clicks), cpu preset, {half:0.##} min each"));
        var full = TrainAndScore(dataset, dataDir, Path.Combine(outDir, "run"), Path.Combine(outDir, "pred"), "full", null, null, seed, half, threads, stdout);
        // clickseg's schedule needs its length (pseudo labels from a third of it): the epochs full reached in the same time,
        // less the ~30 % that the online pseudo-labelling costs per step (BENCHMARKS.md); the budget still stops it.
        int clickEpochs = Math.Max(3, (int)(full.Outcome.State.Epoch * 0.7));
        var click = TrainAndScore(dataset, dataDir, Path.Combine(outDir, "run-clickseg"), Path.Combine(outDir, "pred-clickseg"), "clickseg",
            Path.Combine(outDir, "clicks"), clickEpochs, seed, half, threads, stdout);

        stdout.WriteLine("6/6 rendering predictions beside the ground truth; writing the reports");
        var resultPath = Path.Combine(outDir, "eval", "result.json");
        Directory.CreateDirectory(Path.GetDirectoryName(resultPath)!);
        var result = full.Scores();
        result["clickseg"] = click.Scores();
        AtomicFile.WriteAllText(resultPath, result.ToJsonString() + "\n");
        var renders = Path.Combine(outDir, "renders");
        var truthImages = RenderComparison(dataset, null, renders, "truth");
        var fullImages = RenderComparison(dataset, full.PredDir, renders, "full");
        var clickImages = RenderComparison(dataset, click.PredDir, renders, "clickseg");
        // each run's own report: its curves, its metrics, its prediction beside the truth
        RunReport.Write(new RunFolder(full.RunDir), TrainConfig.Read(new RunFolder(full.RunDir).Config), Interleave(truthImages, fullImages));
        RunReport.Write(new RunFolder(click.RunDir), TrainConfig.Read(new RunFolder(click.RunDir).Config), Interleave(truthImages, clickImages));
        string report = Path.Combine(outDir, "report.html");
        AtomicFile.WriteAllText(report, ComparisonReport.Render(count, clicks.Clicks, [full.Row("full", "dense labels", "run/report.html"), click.Row("clickseg", "one click per object", "run-clickseg/report.html")],
            [.. truthImages.Select((t, i) => (t, fullImages[i], clickImages[i]))]));

        stdout.WriteLine();
        stdout.WriteLine("Summary");
        stdout.WriteLine($"  rooms                          {count} ({dataset.Split("train").Count} train, {dataset.Split("val").Count} val)");
        stdout.WriteLine(string.Create(inv, $"  clicks (1t1c)                  {clicks.Clicks}; seg-level labels cover {clicks.Quality.LabelledFraction * 100:F1} % of points, AP50 {clicks.Quality.Instance.Ap50 * 100:F1}"));
        foreach (var (name, m) in new[] { ("full", full), ("clickseg", click) })
        {
            stdout.WriteLine(string.Create(inv, $"  {name + ", val AP / AP50 / AP25",-30} {m.Ap.Ap * 100:F1} / {m.Ap.Ap50 * 100:F1} / {m.Ap.Ap25 * 100:F1}"));
            stdout.WriteLine(string.Create(inv, $"  {name + ", val mIoU",-30} {m.Iou.MeanIou * 100:F1}"));
            stdout.WriteLine(string.Create(inv, $"  {name + ", training",-30} {m.Outcome.State.Step} steps in {m.Outcome.Elapsed.TotalMinutes:F1} min ({m.Outcome.StopReason})"));
        }
        if (full.Ap.Ap50 > 0 && double.IsFinite(click.Ap.Ap50))
            stdout.WriteLine(string.Create(inv, $"  clickseg / full AP50           {100 * click.Ap.Ap50 / full.Ap.Ap50:F0} %"));
        stdout.WriteLine(string.Create(inv, $"  time                           {clock.Elapsed.TotalMinutes:F1} min"));
        stdout.WriteLine($"  report                         {report}");
        stdout.WriteLine($"  evaluate again with            clickscape evaluate --pred {Path.Combine(full.PredDir, ScanNetPredictionWriter.InstanceFolder)} --gt {dataDir} --split val");
    }

    /// <summary>One method's leg of the demo: train within the budget, predict the val rooms with the last checkpoint, score them.</summary>
    private sealed record MethodResult(string RunDir, string PredDir, TrainingOutcome Outcome, int Scenes, InstanceApResult Ap, SemanticIouResult Iou)
    {
        public JsonObject Scores() => new()
        {
            ["ap"] = Finite(Ap.Ap), ["ap50"] = Finite(Ap.Ap50), ["ap25"] = Finite(Ap.Ap25), ["miou"] = Finite(Iou.MeanIou),
            ["scenes"] = Scenes, ["steps"] = Outcome.State.Step,
        };

        public ComparisonReport.Row Row(string method, string supervision, string report) =>
            new(method, supervision, Ap.Ap, Ap.Ap50, Ap.Ap25, Iou.MeanIou, Outcome.State.Step, Outcome.Elapsed.TotalMinutes, report);
    }

    private static MethodResult TrainAndScore(SceneDataset dataset, string dataDir, string runDir, string predDir, string method, string? clicks, int? epochs,
        int seed, double budgetMinutes, int? threads, TextWriter stdout)
    {
        var inv = CultureInfo.InvariantCulture;
        // The cpu preset, with a constant learning rate (a decaying schedule needs the run's length, which the machine's
        // speed decides) and a val evaluation at the end. full: the budget is the only stop. clickseg: its epochs are
        // given (pseudo labels from a third of them), the budget stops it if the machine is slower.
        var preset = Clickscape.Training.Methods.MethodRegistry.CreateDefault().Get(method).Configure(ConfigLoader.LoadPreset("cpu"));
        var config = ConfigLoader.Merge(preset, JsonNode.Parse("""
            {
              "train": { "epochs": 100000 },
              "schedule": { "type": "Constant" },
              "hooks": [
                { "type": "Evaluate-v1", "every_epochs": 50, "split": "val", "max_scenes": 0 },
                { "type": "Checkpoint-v1", "every_steps": 100, "best_metric": "ap" }
              ]
            }
            """)!.AsObject());
        config["method"] = method;
        if (epochs is int e)
        {
            config["train"]!["epochs"] = e;
            config["loss"]!["pseudo_start_epoch"] = e / 3;
            config["hooks"]!.AsArray().Add(new JsonObject { ["type"] = "PseudoEvaluate-v1", ["every_epochs"] = Math.Max(1, e / 10) });
        }
        var cfg = TrainConfig.FromJson(config).With("train.seed", (long)seed).With("train.budget_minutes", budgetMinutes);
        if (threads is int t) cfg = cfg.With("train.threads", t);
        stdout.WriteLine($"    {method} → {runDir}");
        var outcome = ConsoleProgress.Run(stdout, false, progress => new Trainer().Run(cfg, new TrainingRequest
        {
            Data = dataDir,
            Run = runDir,
            Split = "train",
            Clicks = clicks,
            Progress = progress,
        }));
        stdout.WriteLine(string.Create(inv, $"    {method}: {outcome.StopReason}, {outcome.State.Step} steps, {outcome.ScenesPerSecond:F2} scenes/s"));

        stdout.WriteLine($"4/6 {method}: predicting the val rooms with the last checkpoint → {predDir}");
        using (var predictor = Predictor.Open(new RunFolder(runDir).Checkpoint(RunFolder.Last)))
            predictor.PredictDataset(dataDir, "val", predDir);

        stdout.WriteLine($"5/6 {method}: scoring the predictions (official ScanNet metrics)");
        var instanceScenes = ScanNetGroundTruth.LoadInstanceScenes(Path.Combine(predDir, ScanNetPredictionWriter.InstanceFolder), dataset, "val");
        var ap = new InstanceAp().Evaluate(instanceScenes);
        var semanticScenes = ScanNetGroundTruth.LoadSemanticScenes(Path.Combine(predDir, ScanNetPredictionWriter.SemanticFolder), dataset, "val");
        var iou = new SemanticIou().Evaluate(semanticScenes.Select(s => (s.GroundTruth, s.Prediction)));
        return new MethodResult(runDir, predDir, outcome, instanceScenes.Count, ap, iou);
    }

    private static List<string> Interleave(IReadOnlyList<string> a, IReadOnlyList<string> b) => [.. a.Zip(b).SelectMany(p => new[] { p.First, p.Second })];

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private sealed record ClickSummary(int Clicks, PseudoLabelQualityResult Quality);

    /// <summary>Simulates 1t1c clicks on every room, saves them, and scores their expansion to segments (seg-level labels).</summary>
    private static ClickSummary SimulateClicks(SceneDataset dataset, string clicksDir, int seed)
    {
        var pseudo = new List<PseudoLabelScene>();
        int clicks = 0;
        foreach (var source in dataset.Scenes)
        {
            var scene = source.Load();
            var segments = dataset.Segments(source, scene);
            var set = ClickSimulator.Simulate(scene, new ClickSimulator.Options(ClickPolicy.OneThingOneClick, seed), segments);
            set.Save(Path.Combine(clicksDir, $"{source.Name}.json"));
            clicks += set.Clicks.Count;
            var expanded = ClickExpansion.ToSegments(set, segments);
            var gtInstance = ScanNetGroundTruth.InstanceIds(scene);
            var pseudoSemantic = new int[scene.PointCount];
            var pseudoInstance = new int[scene.PointCount];
            for (int i = 0; i < scene.PointCount; i++)
            {
                pseudoSemantic[i] = Math.Max(Labels.Unlabelled, expanded.Semantic[i]);
                pseudoInstance[i] = Math.Max(Labels.NoInstance, expanded.Instance[i]);
            }
            pseudo.Add(new PseudoLabelScene(source.Name, scene.SemanticLabels!, gtInstance, pseudoSemantic, pseudoInstance));
        }
        return new ClickSummary(clicks, new PseudoLabelQuality().Evaluate(pseudo));
    }

    /// <summary>
    /// Renders the first val room in instance and semantic colours into <paramref name="folder"/>: its ground truth
    /// (<paramref name="predDir"/> null) or the prediction in <paramref name="predDir"/>; returns the two PNG paths
    /// (<c>&lt;scene&gt;_&lt;colouring&gt;_&lt;what&gt;.png</c>).
    /// </summary>
    private static List<string> RenderComparison(SceneDataset dataset, string? predDir, string folder, string what)
    {
        var source = dataset.Split("val")[0];
        var scene = source.Load();
        if (predDir is not null)
        {
            scene.SemanticLabels = ScanNetEvaluationFiles.ReadVertexIds(Path.Combine(predDir, ScanNetPredictionWriter.SemanticFolder, source.Name + ".txt"));
            var instance = new int[scene.PointCount];
            int id = 0;
            foreach (var entry in ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(predDir, ScanNetPredictionWriter.InstanceFolder, source.Name + ".txt")))
            {
                id++;
                var mask = ScanNetEvaluationFiles.ReadMaskVertices(entry.FullPath, scene.PointCount);
                foreach (int v in mask)
                    if (instance[v] == Labels.NoInstance) instance[v] = id; // higher-confidence masks come first and win
            }
            scene.InstanceIds = instance;
        }
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var mode in new[] { RenderColorMode.Instance, RenderColorMode.Semantic })
        {
            var path = Path.Combine(folder, $"{source.Name}_{mode.ToString().ToLowerInvariant()}_{what}.png");
            PngEncoder.Save(path, SceneRenderer.Render(scene, new RenderOptions(Width: 1000, Color: mode, View: RenderView.Oblique)));
            paths.Add(path);
        }
        return paths;
    }
}
