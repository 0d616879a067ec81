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
/// (the seg-level labels the weak methods start from) → train the fully supervised <c>full</c> method (the
/// <c>cpu</c> preset) within the budget → predict the val rooms → score them with the official ScanNet metrics →
/// render predictions beside ground truth → <c>run/report.html</c> (loss curves, metrics, pictures).
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder (data/, clicks/, run/, pred/, eval/).", DefaultValueFactory = _ => "demo-out" };
        var count = new Option<int>("--count") { Description = "Rooms to generate (every fifth is a val room).", DefaultValueFactory = _ => 24 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated data, the clicks and the training.", DefaultValueFactory = _ => 1 };
        var budget = new Option<double>("--budget-minutes") { Description = "Training time budget in minutes.", DefaultValueFactory = _ => 5 };
        var threads = new Option<int?>("--threads") { Description = "Compute threads (default: all cores)." };
        var command = new Command("demo", "Generate rooms, click every object, train the full method, predict, evaluate, report.") { output, count, seed, budget, threads };
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

        var runDir = Path.Combine(outDir, "run");
        stdout.WriteLine(string.Create(inv, $"3/6 training the fully supervised method (full, cpu preset) for at most {budgetMinutes:0.#} min → {runDir}"));
        // The cpu preset, with the budget as the only stop: as many epochs as the budget allows, a constant learning
        // rate (a decaying schedule needs the run's length, which the machine's speed decides), and a val evaluation
        // every 50 epochs (plus the one at the end).
        var config = ConfigLoader.Merge(ConfigLoader.LoadPreset("cpu"), JsonNode.Parse("""
            {
              "method": "full",
              "train": { "epochs": 100000 },
              "schedule": { "type": "Constant" },
              "hooks": [
                { "type": "Evaluate-v1", "every_epochs": 50, "split": "val", "max_scenes": 0 },
                { "type": "Checkpoint-v1", "every_steps": 100, "best_metric": "ap" }
              ]
            }
            """)!.AsObject());
        var cfg = TrainConfig.FromJson(config).With("train.seed", (long)seed).With("train.budget_minutes", budgetMinutes);
        if (threads is int t) cfg = cfg.With("train.threads", t);
        var outcome = ConsoleProgress.Run(stdout, false, progress => new Trainer().Run(cfg, new TrainingRequest
        {
            Data = dataDir,
            Run = runDir,
            Split = "train",
            Progress = progress,
        }));
        stdout.WriteLine(string.Create(inv, $"    {outcome.StopReason}: {outcome.State.Step} steps, {outcome.ScenesPerSecond:F2} scenes/s"));

        var predDir = Path.Combine(outDir, "pred");
        stdout.WriteLine($"4/6 predicting the val rooms with the last checkpoint → {predDir}");
        using (var predictor = Predictor.Open(new RunFolder(runDir).Checkpoint(RunFolder.Last)))
            predictor.PredictDataset(dataDir, "val", predDir);

        stdout.WriteLine("5/6 scoring the predictions (official ScanNet metrics)");
        var instanceScenes = ScanNetGroundTruth.LoadInstanceScenes(Path.Combine(predDir, ScanNetPredictionWriter.InstanceFolder), dataset, "val");
        var ap = new InstanceAp().Evaluate(instanceScenes);
        var semanticScenes = ScanNetGroundTruth.LoadSemanticScenes(Path.Combine(predDir, ScanNetPredictionWriter.SemanticFolder), dataset, "val");
        var iou = new SemanticIou().Evaluate(semanticScenes.Select(s => (s.GroundTruth, s.Prediction)));
        var resultPath = Path.Combine(outDir, "eval", "result.json");
        Directory.CreateDirectory(Path.GetDirectoryName(resultPath)!);
        AtomicFile.WriteAllText(resultPath, JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["ap"] = Finite(ap.Ap), ["ap50"] = Finite(ap.Ap50), ["ap25"] = Finite(ap.Ap25), ["miou"] = Finite(iou.MeanIou),
            ["scenes"] = instanceScenes.Count, ["steps"] = outcome.State.Step,
        }) + "\n");

        stdout.WriteLine("6/6 rendering predictions beside the ground truth; writing the report");
        var images = RenderComparison(dataset, predDir, Path.Combine(runDir, "renders"));
        RunReport.Write(new RunFolder(runDir), TrainConfig.Read(new RunFolder(runDir).Config), images);

        stdout.WriteLine();
        stdout.WriteLine("Summary");
        stdout.WriteLine($"  rooms                      {count} ({dataset.Split("train").Count} train, {dataset.Split("val").Count} val)");
        stdout.WriteLine(string.Create(inv, $"  clicks (1t1c)              {clicks.Clicks}; seg-level labels cover {clicks.Quality.LabelledFraction * 100:F1} % of points, AP50 {clicks.Quality.Instance.Ap50 * 100:F1}"));
        stdout.WriteLine(string.Create(inv, $"  full, val AP / AP50 / AP25 {ap.Ap * 100:F1} / {ap.Ap50 * 100:F1} / {ap.Ap25 * 100:F1}"));
        stdout.WriteLine(string.Create(inv, $"  full, val mIoU             {iou.MeanIou * 100:F1}"));
        stdout.WriteLine(string.Create(inv, $"  training                   {outcome.State.Step} steps in {outcome.Elapsed.TotalMinutes:F1} min ({outcome.StopReason})"));
        stdout.WriteLine(string.Create(inv, $"  time                       {clock.Elapsed.TotalMinutes:F1} min"));
        stdout.WriteLine($"  report                     {new RunFolder(runDir).Report}");
        stdout.WriteLine($"  evaluate again with        clickscape evaluate --pred {Path.Combine(predDir, ScanNetPredictionWriter.InstanceFolder)} --gt {dataDir} --split val");
    }

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
    /// Renders the first val room's ground truth and prediction, instance and semantic colours, into
    /// <paramref name="folder"/>; returns the PNG paths (ground truth first, then prediction, for each colouring).
    /// </summary>
    private static List<string> RenderComparison(SceneDataset dataset, string predDir, string folder)
    {
        var source = dataset.Split("val")[0];
        var truth = source.Load();
        var predicted = source.Load();
        predicted.SemanticLabels = ScanNetEvaluationFiles.ReadVertexIds(Path.Combine(predDir, ScanNetPredictionWriter.SemanticFolder, source.Name + ".txt"));
        var instance = new int[predicted.PointCount];
        int id = 0;
        foreach (var entry in ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(predDir, ScanNetPredictionWriter.InstanceFolder, source.Name + ".txt")))
        {
            id++;
            var mask = ScanNetEvaluationFiles.ReadMaskVertices(entry.FullPath, predicted.PointCount);
            foreach (int v in mask)
                if (instance[v] == Labels.NoInstance) instance[v] = id; // higher-confidence masks come first and win
        }
        predicted.InstanceIds = instance;
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var mode in new[] { RenderColorMode.Instance, RenderColorMode.Semantic })
        {
            foreach (var (what, scene) in new[] { ("truth", truth), ("prediction", predicted) })
            {
                var path = Path.Combine(folder, $"{source.Name}_{mode.ToString().ToLowerInvariant()}_{what}.png");
                PngEncoder.Save(path, SceneRenderer.Render(scene, new RenderOptions(Width: 1000, Color: mode, View: RenderView.Oblique)));
                paths.Add(path);
            }
        }
        return paths;
    }
}
