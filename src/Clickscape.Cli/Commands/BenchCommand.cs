using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Clickscape.Data.IO;
using Clickscape.Models.PointGroup;
using Clickscape.Models.Profiling;
using Clickscape.Tensors.Sparse;
using Clickscape.Tensors.Threading;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape bench list</c> names the built-in benchmarks; <c>clickscape bench unet-step --scene DIR</c> times
/// training steps of the PointGroup-size sparse U-Net (<see cref="PgUNet"/>) on the scene written by
/// <c>perf-ref/unet_step.py --dump DIR</c>, the same work as <c>unet_step.py --config "custom fn" T --steps K</c>:
/// two warm-up steps, then K timed steps; prints JSON with the median step time, peak RSS (VmHWM, reset before the
/// first step as the script does), per-step process CPU time, the kernel-map build time and the losses.
/// With <c>CLICKSCAPE_PROFILE=1</c> one extra profiled step adds a breakdown by layer kind.
/// </summary>
internal static class BenchCommand
{
    private static readonly (string Name, string Description)[] Benchmarks =
    [
        ("unet-step", "one Adam training step of the PointGroup-size sparse U-Net (5 levels, widths 16–80) on unet_step.py's scene"),
        ("predict", "one scan's labels from a trained run: read + voxelize, then network + grouping"),
        ("train-step", "training steps of a method on a dataset (the trainer's own per-step times; full vs clickseg)"),
        ("parts", "clustering (< 100 ms), a training step and inference per 10 000-point shape of the part fusion method"),
        ("oversegment-quality", "purity / boundary recall vs segment count of the point-cloud over-segmentation methods"),
        ("pseudo-label", "SegGroup pseudo labels of one clicked scan: prepare + all grouping layers and the final clustering"),
        ("studio", "Clickscape Studio: open a 150k-point scene, transfer + first draw of a 3M-point scan, mask update after a refine click (headless Chromium)"),
        ("interactive", "scan opening and per-click latency of interactive segmentation on a 150 000-point scan"),
        ("clickseg-exact", "ClickSeg's voxel / cluster-level Eq. 6 fusion, mean-shift and PSEUDO_GEN against the exact N² forms on a small crop"),
    ];

    public static Command Create()
    {
        var command = new Command("bench", "Run built-in performance benchmarks (timings are printed, never stored in the repo).");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateUNetStep());
        command.Subcommands.Add(BenchPredictCommand.Create());
        command.Subcommands.Add(BenchTrainStepCommand.Create(Clickscape.Training.Methods.MethodRegistry.CreateDefault()));
        command.Subcommands.Add(OversegmentQualityBench.Create());
        command.Subcommands.Add(BenchPseudoLabelCommand.Create());
        command.Subcommands.Add(BenchStudioCommand.Create());
        command.Subcommands.Add(BenchInteractiveCommand.Create());
        command.Subcommands.Add(BenchPartsCommand.Create());
        command.Subcommands.Add(BenchClickSegExactCommand.Create());
        return command;
    }

    private static Command CreateList()
    {
        var command = new Command("list", "Name the benchmarks.");
        CommandAction.Set(command, (_, output) =>
        {
            foreach (var (name, description) in Benchmarks) output.WriteLine($"{name,-20} {description}");
            return 0;
        });
        return command;
    }

    private static Command CreateUNetStep()
    {
        var scene = new Option<string>("--scene") { Description = "Folder written by perf-ref/unet_step.py --dump (coords, feats, sem, inst, off_gt .npy).", Required = true };
        var threads = new ThreadsOption();
        var steps = new Option<int>("--steps") { Description = "Timed steps after two warm-up steps.", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Weight initialization seed.", DefaultValueFactory = _ => 0 };
        var json = new Option<string?>("--json") { Description = "Also write the JSON result to this file." };
        var command = new Command("unet-step", "Time training steps of the PointGroup-size sparse U-Net on unet_step.py's dumped scene.") { scene, threads, steps, seed, json };
        CommandAction.Set(command, (parse, output) =>
        {
            int t = threads.Count(parse), k = parse.GetValue(steps);
            if (k < 1) throw new UsageException($"--steps {k}: expected at least one timed step");
            string dir = parse.GetValue(scene)!;
            var text = Run(dir, t, k, parse.GetValue(seed), parse.InvocationConfiguration.Error);
            output.WriteLine(text);
            if (parse.GetValue(json) is { } path) AtomicFile.WriteAllText(path, text + "\n");
            return 0;
        });
        return command;
    }

    private static string Run(string dir, int threads, int steps, int seed, TextWriter log)
    {
        var data = PgBenchScene.Load(dir);
        using var computeThreads = ComputeThreads.Use(threads);
        var mapMs = MapBuildMilliseconds(data, Path.Combine(dir, "coords.npy"));
        var coords = data.CreateCoords(Path.Combine(dir, "coords.npy"));
        using var model = new PgUNet(new Random(seed), data.Channels, PgUNet.ScriptWidths, 2, 20, 16);
        using var step = new PgTrainingStep(model, coords, data.Features, data.Targets);
        double rssBefore = BenchStatistics.StatusMiB("VmRSS:");
        bool reset = ResetPeakRss();
        var losses = new List<float>();
        for (int i = 0; i < 2; i++) losses.Add(step.Step());
        var wall = new List<double>();
        var cpu = new List<double>();
        using var process = Process.GetCurrentProcess();
        for (int i = 0; i < steps; i++)
        {
            process.Refresh();
            var c0 = process.TotalProcessorTime;
            long t0 = Stopwatch.GetTimestamp();
            losses.Add(step.Step());
            wall.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            process.Refresh();
            cpu.Add((process.TotalProcessorTime - c0).TotalMilliseconds);
        }
        double peak = BenchStatistics.StatusMiB("VmHWM:");
        IReadOnlyList<(string Kind, double ForwardMs, double BackwardMs, int Calls)>? profile = null;
        double profiledStepMs = 0;
        if (LayerProfile.Enabled)
        {
            LayerProfile.Reset();
            long t0 = Stopwatch.GetTimestamp();
            step.Step();
            profiledStepMs = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            profile = LayerProfile.Report();
        }
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"unet-step: {data.Count} voxels, {model.ParameterCount()} parameters, {threads} thread(s), step median {BenchStatistics.Median(wall):F1} ms, loss {losses[0]:F3} -> {losses[^1]:F3}"));
        return Json(data.Count, model.ParameterCount(), threads, steps, wall, cpu, mapMs, rssBefore, peak, reset, losses, profile, profiledStepMs);
    }

    /// <summary>Median over 3 builds of every level's kernel maps (5 sub-manifold 3³ maps, 4 stride-2 maps) on a fresh coordinate set.</summary>
    private static double MapBuildMilliseconds(PgBenchScene data, string source)
    {
        var times = new List<double>();
        for (int r = 0; r < 3; r++)
        {
            var coords = data.CreateCoords(source);
            long t0 = Stopwatch.GetTimestamp();
            var level = coords;
            for (int l = 0; l < PgUNet.ScriptWidths.Count; l++)
            {
                level.GetKernelMap(3);
                if (l == PgUNet.ScriptWidths.Count - 1) break;
                level.GetKernelMap(2, 2);
                level = level.Downsample(2);
            }
            times.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        }
        return BenchStatistics.Median(times);
    }

    /// <summary>Resets VmHWM to the current RSS (Linux ≥ 4.0: write 5 to /proc/self/clear_refs), as unet_step.py does.</summary>
    private static bool ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static string Json(int voxels, long parameters, int threads, int steps, List<double> wall, List<double> cpu, double mapMs,
        double rssBefore, double peak, bool peakReset, List<float> losses,
        IReadOnlyList<(string Kind, double ForwardMs, double BackwardMs, int Calls)>? profile, double profiledStepMs)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("benchmark", "unet-step");
            w.WriteNumber("step_ms", Math.Round(BenchStatistics.Median(wall), 2));
            w.WriteNumber("step_ms_best", Math.Round(wall.Min(), 2));
            w.WriteNumber("cpu_ms_per_step", Math.Round(BenchStatistics.Median(cpu), 2));
            w.WriteNumber("map_build_ms", Math.Round(mapMs, 2));
            WriteNumberOrNull(w, "peak_rss_mib", peak);
            WriteNumberOrNull(w, "rss_before_mib", rssBefore);
            w.WriteBoolean("peak_reset_before_first_step", peakReset);
            w.WriteNumber("voxels", voxels);
            w.WriteNumber("parameters", parameters);
            w.WriteNumber("threads", threads);
            w.WriteNumber("warmup_steps", 2);
            w.WriteNumber("steps", steps);
            w.WriteNumber("loss_first", Math.Round(losses[0], 5));
            w.WriteStartArray("losses");
            foreach (var l in losses) w.WriteNumberValue(Math.Round(l, 5));
            w.WriteEndArray();
            w.WriteStartArray("step_ms_all");
            foreach (var t in wall) w.WriteNumberValue(Math.Round(t, 2));
            w.WriteEndArray();
            w.WriteString("loadavg", LoadAverage());
            if (profile is not null)
            {
                w.WriteStartObject("profile");
                w.WriteNumber("profiled_step_ms", Math.Round(profiledStepMs, 2));
                foreach (var (kind, f, b, calls) in profile)
                {
                    w.WriteStartObject(kind);
                    w.WriteNumber("forward_ms", Math.Round(f, 2));
                    w.WriteNumber("backward_ms", Math.Round(b, 2));
                    w.WriteNumber("calls", calls);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, Math.Round(value, 1));
        else w.WriteNull(name);
    }
}
