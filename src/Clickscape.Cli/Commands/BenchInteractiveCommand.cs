using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Clickscape.Data.Clicks;
using Clickscape.Data.Datasets;
using Clickscape.Data.IO;
using Clickscape.Data.Synthetic.Scenes;
using Clickscape.Geometry.Interactive;
using Clickscape.Geometry.Scenes;
using Clickscape.Tensors.Threading;
using Clickscape.Training.Configs;
using Clickscape.Training.Methods.Interactive;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape bench interactive [RUN] [--scene F] [--method interactive|interactive-fast|fallback] [--points 150000]
/// [--objects 5] [--clicks 10] [--threads N] [--json F]</c>: the latency a user feels in interactive segmentation (issue 12):
/// <c>open_ms</c>, the one-off work when a scan opens (voxelization; the backbone for <c>interactive-fast</c>; the segment
/// graph for the fallback; median of 3 after a warm-up), and per click the time from receiving the click to a mask on
/// every point of the scan (<c>median_ms</c>, <c>p95_ms</c> over every click of the simulated user on the largest
/// objects). Without RUN the network has random weights (the cost does not depend on them). The scan is F, or a
/// generated large room resampled to exactly <c>--points</c> points (seed 7).
/// </summary>
internal static class BenchInteractiveCommand
{
    public static Command Create()
    {
        var run = new Argument<string?>("run") { Description = "Run of interactive / interactive-fast (omit: random weights, or the fallback).", Arity = ArgumentArity.ZeroOrOne };
        var scene = new Option<string?>("--scene") { Description = "A labelled scan (default: a generated large room resampled to --points)." };
        var method = new Option<string?>("--method") { Description = $"{string.Join(", ", InteractiveEvaluation.MethodNames)} (default: the run's, else interactive-fast)." };
        var points = new Option<int>("--points") { Description = "Points of the generated scan.", DefaultValueFactory = _ => 150_000 };
        var objects = new Option<int>("--objects") { Description = "Largest objects the simulated user segments.", DefaultValueFactory = _ => 5 };
        var clicks = new Option<int>("--clicks") { Description = "Clicks per object.", DefaultValueFactory = _ => 10 };
        var threads = new ThreadsOption();
        var json = new Option<string?>("--json") { Description = "Also write the JSON result to this file." };
        var command = new Command("interactive", "Time interactive segmentation: scan opening and per-click latency on a 150 000-point scan.")
        {
            run, scene, method, points, objects, clicks, threads, json,
        };
        CommandAction.Set(command, (parse, output) =>
        {
            int n = parse.GetValue(points), o = parse.GetValue(objects), k = parse.GetValue(clicks), t = threads.Count(parse);
            if (n < 1000) throw new UsageException($"--points {n}: expected at least 1000");
            if (o < 1) throw new UsageException($"--objects {o}: expected at least 1");
            if (k < 1 || k > 20) throw new UsageException($"--clicks {k}: expected 1..20");
            using var computeThreads = ComputeThreads.Use(t);
            try
            {
                string? runPath = parse.GetValue(run), m = parse.GetValue(method);
                using var evaluation = runPath is null ? InteractiveEvaluation.Untrained(m ?? "interactive-fast") : InteractiveEvaluation.Open(runPath, m);
                var text = Measure(evaluation, LoadScene(parse.GetValue(scene), n), o, k, t).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
                output.WriteLine(text);
                if (parse.GetValue(json) is { } path) AtomicFile.WriteAllText(path, text + "\n");
            }
            catch (ConfigException e)
            {
                throw new UsageException(e.Message, e);
            }
            return 0;
        });
        return command;
    }

    private static Scene LoadScene(string? path, int points)
    {
        if (path is not null)
        {
            var s = SceneDataset.Open(path).SingleScene().Load();
            if (s.InstanceIds is null) throw new DataFormatException(path, "scan has no instance labels: the simulated user needs the objects' masks");
            return s;
        }
        var room = SceneGenerator.Generate(7, 0, SceneSize.Large).Scene;
        // exactly `points` points: a random subset, or every point plus random repeats
        var random = new Random(7);
        var indices = room.PointCount >= points
            ? Enumerable.Range(0, room.PointCount).OrderBy(_ => random.Next()).Take(points).Order().ToArray()
            : [.. Enumerable.Range(0, room.PointCount), .. Enumerable.Range(0, points - room.PointCount).Select(_ => random.Next(room.PointCount))];
        var scene = room.Slice(indices);
        scene.Faces = null;
        scene.Name = $"generated-large-{points}";
        return scene;
    }

    private static JsonObject Measure(InteractiveEvaluation evaluation, Scene scene, int objects, int clicks, int threads)
    {
        evaluation.OpenScene(scene); // warm-up: JIT, pools
        var opens = new List<double>();
        IInteractiveSegmenter segmenter = null!;
        for (int r = 0; r < 3; r++)
        {
            long t0 = Stopwatch.GetTimestamp();
            segmenter = evaluation.OpenScene(scene);
            opens.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        var ids = scene.InstanceIds!;
        var largest = ids.Where(v => v > 0).GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Take(objects).Select(g => g.Key).ToList();
        var times = new List<double>();
        foreach (int id in largest)
        {
            var gt = ids.Select(v => v == id).ToArray();
            var user = new InteractiveClickSimulator(scene, gt, id, 0);
            var session = new InteractiveSession(segmenter);
            var mask = session.Mask;
            for (int c = 0; c < clicks; c++)
            {
                if (user.NextClick(mask, c) is not { } click) break;
                long t0 = Stopwatch.GetTimestamp();
                mask = session.Add(new InteractiveClick(click.Point, click.Positive));
                times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            }
        }
        var sorted = times.Order().ToList();
        double Percentile(double q) => sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
        var json = new JsonObject
        {
            ["benchmark"] = "interactive",
            ["method"] = evaluation.Method,
            ["weights"] = evaluation.Checkpoint ?? (evaluation.Model is null ? "none" : "random (no RUN)"),
            ["scene"] = scene.Name,
            ["points"] = scene.PointCount,
            ["threads"] = threads,
            ["objects"] = largest.Count,
            ["clicks"] = times.Count,
            ["open_ms"] = BenchStatistics.Median(opens),
            ["median_ms"] = Percentile(0.5),
            ["p95_ms"] = Percentile(0.95),
            ["max_ms"] = sorted.Count == 0 ? double.NaN : sorted[^1],
            ["load_average"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "",
            ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        };
        return json;
    }

}
