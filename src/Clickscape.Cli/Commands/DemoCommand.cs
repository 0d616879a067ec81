using Clickscape.Geometry.Scenes;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Clickscape.Data.Clicks;
using Clickscape.Data.Formats.Png;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.Rendering;
using Clickscape.Data.Synthetic.Scenes;
using Clickscape.Evaluation.PseudoLabels;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape demo [--out DIR] [--count N] [--seed S]</c>: the main job on generated data. Today it
/// generates ScanNet-layout rooms, reads them back, simulates one click per object, expands the clicks to
/// over-segments (the seg-level labels ClickSeg and SegGroup start from), scores those labels against the
/// ground truth with the official metrics, renders pictures and prints a summary. Training, labelling and
/// evaluating a model join the loop as the methods land.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "demo-out" };
        var count = new Option<int>("--count") { Description = "Rooms to generate.", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "Seed of the generated data and the clicks.", DefaultValueFactory = _ => 1 };
        var budget = new Option<int>("--budget-minutes") { Description = "Time budget for training (used once methods train).", DefaultValueFactory = _ => 10 };
        var command = new Command("demo", "Generate rooms, click every object, expand clicks to segments, evaluate and render.") { output, count, seed, budget };
        CommandAction.Set(command, (parse, stdout) =>
        {
            var outDir = parse.GetValue(output)!;
            int n = parse.GetValue(count);
            int s = parse.GetValue(seed);
            if (n < 1) throw new UsageException($"--count {n}: expected ≥ 1");
            if (parse.GetValue(budget) < 1) throw new UsageException($"--budget-minutes {parse.GetValue(budget)}: expected ≥ 1");
            Run(outDir, n, s, stdout);
            return 0;
        });
        return command;
    }

    private static void Run(string outDir, int count, int seed, TextWriter stdout)
    {
        var clock = Stopwatch.StartNew();
        var dataDir = Path.Combine(outDir, "data");
        stdout.WriteLine($"1/4 generating {count} ScanNet-layout rooms (seed {seed}) → {dataDir}");
        SceneGenerator.WriteDataset(dataDir, count, (ulong)seed, SceneSize.Small, (i, g) =>
            stdout.WriteLine($"    {g.Scene.Name}: {g.Scene.PointCount,7} vertices, {g.Scene.FaceCount,7} faces, {g.Scene.InstanceIds!.Max(),3} instances, {g.SegIndices.Distinct().Count(),4} segments"));
        var generated = clock.Elapsed;

        stdout.WriteLine("2/4 one click per object (1t1c), expanded to over-segments");
        var clicksDir = Path.Combine(outDir, "clicks");
        var pseudo = new List<PseudoLabelScene>();
        int clicks = 0;
        foreach (var sceneDir in ScanNetScene.SceneFolders(dataDir))
        {
            var scene = ScanNetScene.Load(sceneDir);
            var segments = ScanNetScene.LoadOrComputeSegments(sceneDir, scene);
            var set = ClickSimulator.Simulate(scene, new ClickSimulator.Options(ClickPolicy.OneThingOneClick, seed), segments);
            set.Save(Path.Combine(clicksDir, $"{scene.Name}.json"));
            clicks += set.Clicks.Count;
            var expanded = ClickExpansion.ToSegments(set, segments);
            var gtInstance = new int[scene.PointCount];
            var pseudoSemantic = new int[scene.PointCount];
            var pseudoInstance = new int[scene.PointCount];
            for (int i = 0; i < scene.PointCount; i++)
            {
                gtInstance[i] = scene.InstanceIds![i] == Labels.NoInstance ? Labels.NoInstance : scene.SemanticLabels![i] * 1000 + scene.InstanceIds[i];
                pseudoSemantic[i] = expanded.Semantic[i] == ClickExpansion.Unlabelled ? Labels.Unlabelled : expanded.Semantic[i];
                pseudoInstance[i] = expanded.Instance[i] == ClickExpansion.Unlabelled ? Labels.NoInstance : expanded.Instance[i];
            }
            pseudo.Add(new PseudoLabelScene(scene.Name, scene.SemanticLabels!, gtInstance, pseudoSemantic, pseudoInstance));
            WriteBenchmarkFiles(Path.Combine(outDir, "eval"), scene.Name, scene.SemanticLabels!, gtInstance, pseudoSemantic, pseudoInstance);
        }

        stdout.WriteLine("3/4 scoring the seg-level labels against the ground truth (official ScanNet metrics)");
        var quality = new PseudoLabelQuality().Evaluate(pseudo);

        stdout.WriteLine("4/4 rendering");
        var renders = Path.Combine(outDir, "renders");
        var first = ScanNetScene.Load(ScanNetScene.SceneFolders(dataDir)[0]);
        foreach (var mode in new[] { RenderColorMode.Rgb, RenderColorMode.Instance, RenderColorMode.Semantic })
        {
            var path = Path.Combine(renders, $"{first.Name}_{mode.ToString().ToLowerInvariant()}.png");
            Directory.CreateDirectory(renders);
            PngEncoder.Save(path, SceneRenderer.Render(first, new RenderOptions(Width: 1600, Color: mode)));
            stdout.WriteLine($"    {path}");
        }

        var inv = CultureInfo.InvariantCulture;
        stdout.WriteLine();
        stdout.WriteLine("Summary");
        stdout.WriteLine($"  scenes                    {count}");
        stdout.WriteLine($"  clicks                    {clicks}");
        stdout.WriteLine(string.Create(inv, $"  points labelled by clicks {quality.LabelledFraction * 100:F2} % (after expansion to segments)"));
        stdout.WriteLine(string.Create(inv, $"  seg-level labels mIoU     {quality.Semantic.MeanIou * 100:F1} (unlabelled points count as misses)"));
        stdout.WriteLine(string.Create(inv, $"  seg-level labels AP50     {quality.Instance.Ap50 * 100:F1}   AP {quality.Instance.Ap * 100:F1}"));
        stdout.WriteLine(string.Create(inv, $"  time                      {clock.Elapsed.TotalSeconds:F1} s (generation {generated.TotalSeconds:F1} s)"));
        stdout.WriteLine($"  evaluate again with       clickscape evaluate --pred {Path.Combine(outDir, "eval", "instance")} --gt {Path.Combine(outDir, "eval", "gt-instance")}");
        stdout.WriteLine("  next                      training (ClickSeg, SegGroup) joins this loop as the methods land");
    }

    /// <summary>
    /// Writes the seg-level labels and the ground truth in the ScanNet benchmark text formats
    /// (REFERENCE §1.3, §1.5), so <c>clickscape evaluate</c> and the official scripts can score them:
    /// <c>eval/instance/&lt;scene&gt;.txt</c> + masks (one mask per clicked object, class = the click's, confidence 1),
    /// <c>eval/gt-instance/&lt;scene&gt;.txt</c> (label·1000 + instance), <c>eval/semantic</c> and <c>eval/gt-semantic</c>
    /// (one nyu40 id per vertex).
    /// </summary>
    private static void WriteBenchmarkFiles(string evalDir, string scene, int[] gtSemantic, int[] gtInstance, int[] pseudoSemantic, int[] pseudoInstance)
    {
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(evalDir, "gt-instance", $"{scene}.txt"), gtInstance);
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(evalDir, "gt-semantic", $"{scene}.txt"), gtSemantic);
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(evalDir, "semantic", $"{scene}.txt"), pseudoSemantic);
        var masks = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < pseudoInstance.Length; i++)
        {
            if (pseudoInstance[i] == Labels.NoInstance) continue;
            if (!masks.TryGetValue(pseudoInstance[i], out var list)) masks[pseudoInstance[i]] = list = [];
            list.Add(i);
        }
        var predictions = masks.Values.Select(v => new ScanNetPredictedMask(v.ToArray(), pseudoSemantic[v[0]], 1.0)).ToList();
        ScanNetEvaluationFiles.WriteInstancePredictions(Path.Combine(evalDir, "instance"), scene, pseudoInstance.Length, predictions);
    }
}
