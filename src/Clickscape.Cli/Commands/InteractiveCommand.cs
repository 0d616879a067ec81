using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clickscape.Data.IO;
using Clickscape.Evaluation.Interactive;
using Clickscape.Training.Configs;
using Clickscape.Training.Methods.Interactive;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape interactive evaluate [RUN] --data DIR [--max-clicks 20] [--method interactive|interactive-fast|fallback]
/// [--split val] [--max-scenes N] [--min-points N] [--json F] [--threads N]</c>: the interactive protocol (simulated user,
/// REFERENCE.md §5) on every object of DIR — a dataset, a labelled scan, or a folder of crop + mask PLY pairs — with a
/// trained network or the model-free fallback; prints NoC@80/85/90 and IoU@k overall, for seen / unseen classes and per
/// class, and writes them to <c>--json</c>.
/// </summary>
internal static class InteractiveCommand
{
    public static Command Create()
    {
        var command = new Command("interactive", "Interactive single-object segmentation: evaluate with the simulated user.");
        command.Subcommands.Add(CreateEvaluate());
        return command;
    }

    private static Command CreateEvaluate()
    {
        var run = new Argument<string?>("run") { Description = "Run folder or checkpoint of 'interactive' / 'interactive-fast' (omit for the fallback).", Arity = ArgumentArity.ZeroOrOne };
        var data = new Option<string>("--data") { Description = "Dataset, labelled scan, or folder of *_crop_i.ply + *_mask_i.ply pairs.", Required = true };
        var maxClicks = new Option<int>("--max-clicks") { Description = "Clicks per object (1..20).", DefaultValueFactory = _ => ClickMetrics.MaxClicks };
        var method = new Option<string?>("--method") { Description = $"{string.Join(", ", InteractiveEvaluation.MethodNames)} (default: the run's method, fallback without a run)." };
        var split = new Option<string>("--split") { Description = "Split of a dataset.", DefaultValueFactory = _ => "val" };
        var maxScenes = new Option<int>("--max-scenes") { Description = "At most this many scenes of the split (0 = all).", DefaultValueFactory = _ => 0 };
        var minPoints = new Option<int>("--min-points") { Description = "Objects with fewer points are skipped.", DefaultValueFactory = _ => 1 };
        var json = new Option<string?>("--json") { Description = "Write noc80/noc85/noc90/iou_at, groups and per-class tables to this file." };
        var threads = new ThreadsOption();
        var adapt = new Option<bool>("--online-adapt") { Description = "Fine-tune the network on each object's clicks (paper Tab. IV; interactive only)." };
        var adaptSteps = new Option<int>("--adapt-steps") { Description = "Adam steps after each click with --online-adapt.", DefaultValueFactory = _ => 3 };
        var command = new Command("evaluate", "NoC@80/85/90 and IoU@k of a segmenter with the protocol's simulated user.") { run, data, maxClicks, method, split, maxScenes, minPoints, json, threads, adapt, adaptSteps };
        CommandAction.Set(command, (parse, output) =>
        {
            int clicks = parse.GetValue(maxClicks);
            if (clicks < 1 || clicks > ClickMetrics.MaxClicks) throw new UsageException($"--max-clicks {clicks}: expected 1..{ClickMetrics.MaxClicks}");
            if (parse.GetValue(maxScenes) < 0) throw new UsageException($"--max-scenes {parse.GetValue(maxScenes)}: expected ≥ 0");
            if (parse.GetValue(minPoints) < 1) throw new UsageException($"--min-points {parse.GetValue(minPoints)}: expected ≥ 1");
            using var computeThreads = threads.Use(parse);
            try
            {
                string dataPath = parse.GetValue(data)!;
                if (!File.Exists(dataPath) && !Directory.Exists(dataPath)) throw new DataFormatException(dataPath, "no such file or folder (expected a dataset, a labelled scan or a folder of crop + mask PLY pairs)");
                using var evaluation = InteractiveEvaluation.Open(parse.GetValue(run), parse.GetValue(method));
                if (parse.GetValue(adapt))
                {
                    if (evaluation.Method != "interactive") throw new UsageException($"--online-adapt fine-tunes the paper's network: it needs an 'interactive' run, not {evaluation.Method}");
                    if (parse.GetValue(adaptSteps) < 1) throw new UsageException($"--adapt-steps {parse.GetValue(adaptSteps)}: expected ≥ 1");
                    evaluation.Adaptation = new OnlineAdaptationOptions { Steps = parse.GetValue(adaptSteps) };
                }
                var objects = InteractiveObjects.Load(dataPath, parse.GetValue(split) ?? "val", parse.GetValue(maxScenes), parse.GetValue(minPoints));
                var results = evaluation.Evaluate(objects, clicks, o => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{o.Scene} object {o.ObjectId} (class {o.ClassId}): {o.IouPerClick.Length} clicks, IoU@1 {100 * o.IouPerClick[0]:F1}, last {100 * o.IouPerClick[^1]:F1}")));
                if (results.Count == 0) throw new DataFormatException(dataPath, "holds no object to segment (no instance with enough points)");
                var header = new JsonObject
                {
                    ["format"] = "clickscape.interactive-eval/1",
                    ["method"] = evaluation.Method,
                    ["run"] = evaluation.Checkpoint,
                    ["data"] = Path.GetFullPath(dataPath),
                    ["max_clicks"] = clicks,
                    ["online_adaptation"] = evaluation.Adaptation is { } a ? new JsonObject { ["lr"] = a.LearningRate, ["lambda"] = a.Lambda, ["steps"] = a.Steps } : null,
                };
                var result = InteractiveEvaluation.ToJson(results, clicks, header);
                Print(output, result);
                if (parse.GetValue(json) is { } path) AtomicFile.WriteAllText(path, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
                return 0;
            }
            catch (ConfigException e)
            {
                throw new UsageException(e.Message, e);
            }
            catch (ArgumentOutOfRangeException e) when (e.Message.StartsWith("click on point", StringComparison.Ordinal))
            {
                throw new UsageException(e.Message.Split('\n')[0], e);
            }
        });
        return command;
    }

    private static void Print(TextWriter output, JsonObject result)
    {
        output.WriteLine($"{"group",-24} {"objects",7} {"NoC@80",7} {"NoC@85",7} {"NoC@90",7} {"IoU@1",6} {"IoU@3",6} {"IoU@5",6} {"IoU@10",6}");
        Row(output, $"all ({result["method"]})", result);
        foreach (var (name, group) in (JsonObject)result["groups"]!) Row(output, name, (JsonObject)group!);
        foreach (var c in (JsonArray)result["classes"]!) Row(output, $"  {c!["class"]}", (JsonObject)c);
    }

    private static void Row(TextWriter output, string name, JsonObject s)
    {
        var iou = (JsonArray)s["iou_at"]!;
        string At(int k) => k <= iou.Count ? (100 * (double)iou[k - 1]!).ToString("F1", CultureInfo.InvariantCulture) : "-";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-24} {(int)s["objects"]!,7} {(double)s["noc80"]!,7:F2} {(double)s["noc85"]!,7:F2} {(double)s["noc90"]!,7:F2} {At(1),6} {At(3),6} {At(5),6} {At(10),6}"));
    }
}
