using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Clickscape.Data.Clicks;
using Clickscape.Data.Datasets;
using Clickscape.Data.IO;
using Clickscape.Models.SegGroup;
using Clickscape.Tensors.Threading;
using Clickscape.Training.Data;
using Clickscape.Training.Methods.SegGroup;
using Clickscape.Training.Prediction;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape bench pseudo-label RUN --scene PATH --clicks FILE [--segments DIR] [--repeat K] [--threads N] [--json F]</c>: the time
/// SegGroup takes to label one clicked scan — reading it, its over-segmentation, segment graph and seg-level labels
/// (<c>prepare_ms</c>, once), then all grouping layers, the final clustering and the classifier
/// (<c>label_ms</c>, median of K after one warm-up) — with the process's peak memory. The target of issue 11: under
/// 10 s in total for a 150 000-point scan on a 2-core machine.
/// </summary>
internal static class BenchPseudoLabelCommand
{
    public static Command Create()
    {
        var run = new Argument<string>("RUN") { Description = "A seggroup run folder (best, else last checkpoint) or checkpoint file." };
        var scene = new Option<string>("--scene") { Description = "A scene file or folder (e.g. a generated large room, 150k vertices) with its over-segmentation.", Required = true };
        var clicks = new Option<string>("--clicks") { Description = "The scene's click set (clickscape.clicks/1 JSON, e.g. from clicks simulate --policy maxseg).", Required = true };
        var segments = new Option<string?>("--segments") { Description = "Folder of the scene's over-segmentation (default: beside it)." };
        var repeat = new Option<int>("--repeat") { Description = "Timed labellings after one warm-up.", DefaultValueFactory = _ => 3 };
        var threads = new ThreadsOption();
        var json = new Option<string?>("--json") { Description = "Also write the JSON result to this file." };
        var command = new Command("pseudo-label", "Time SegGroup pseudo-labelling of one clicked scan: prepare (read, segments, graph) and all layers + final clustering.")
        {
            run, scene, clicks, segments, repeat, threads, json,
        };
        CommandAction.Set(command, (parse, output) =>
        {
            int k = parse.GetValue(repeat), t = threads.Count(parse);
            if (k < 1) throw new UsageException($"--repeat {k}: expected at least one timed labelling");
            using var computeThreads = ComputeThreads.Use(t);
            var text = Measure(parse.GetValue(run)!, parse.GetValue(scene)!, parse.GetValue(clicks)!, parse.GetValue(segments), k, t);
            output.WriteLine(text);
            if (parse.GetValue(json) is { } path) AtomicFile.WriteAllText(path, text + "\n");
            return 0;
        });
        return command;
    }

    private static string Measure(string run, string scenePath, string clicksPath, string? segments, int repeat, int threads)
    {
        using var predictor = Predictor.Open(run);
        if (predictor.Method is not SegGroupMethod) throw new UsageException($"{run}: the run trains '{predictor.Method.Name}'; bench pseudo-label times seggroup runs");
        var net = (SegGroupNet)predictor.Model;
        var options = SegGroupMethod.LossOptions(predictor.Config);
        var dataset = SceneDataset.Open(scenePath, new SceneDatasetOptions { Segments = segments });
        var source = dataset.SingleScene();
        long t0 = Stopwatch.GetTimestamp();
        var set = ClickSet.Load(clicksPath);
        var loaded = source.Load();
        if (set.Validate(loaded) is { } problem) throw new DataFormatException(clicksPath, problem);
        var prepared = PreparedScene.Prepare(source, null, predictor.Config.Data.VoxelSize, requireLabels: false);
        SegGroupScene input;
        try
        {
            (input, _) = SegGroupSceneBuilder.Build(dataset, source, loaded, prepared, set.Clicks, options.AdjacencyK);
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(clicksPath, e.Message, e);
        }
        double prepareMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        var labels = SegGroupPseudoLabeler.Label(net, input); // warm-up: JIT, pools
        var times = new List<double>();
        for (int i = 0; i < repeat; i++)
        {
            long s = Stopwatch.GetTimestamp();
            labels = SegGroupPseudoLabeler.Label(net, input);
            times.Add(Stopwatch.GetElapsedTime(s).TotalMilliseconds);
        }
        times.Sort();
        double median = BenchStatistics.Median(times);
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["bench"] = "pseudo-label",
            ["method"] = predictor.Config.Method,
            ["scene"] = source.Name,
            ["points"] = input.PointCount,
            ["segments"] = input.SegmentCount,
            ["clicks"] = set.Clicks.Count,
            ["threads"] = threads,
            ["prepare_ms"] = Math.Round(prepareMs, 1),
            ["label_ms"] = Math.Round(median, 1),
            ["label_best_ms"] = Math.Round(times[0], 1),
            ["total_ms"] = Math.Round(prepareMs + median, 1),
            ["instances"] = labels.Instances.Count,
            ["peak_rss_mib"] = Math.Round(BenchStatistics.PeakRssMiB(), 1),
        });
    }
}
