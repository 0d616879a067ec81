using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clickscape.Data.Datasets;
using Clickscape.Data.IO;
using Clickscape.Training.Configs;
using Clickscape.Training.Engine;
using Clickscape.Training.Methods;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape bench train-step --method M --data DIR [--config F] [--steps K] [--warmup W] [--json F]</c>: what one
/// training step of a method costs on a dataset, measured by the trainer itself — W + K steps of the preset in a
/// scratch run folder (deleted afterwards), the median over the last K of the log's per-step times (data wait,
/// forward with the loss, backward, optimizer), and the epoch that makes at the split's size. Comparing
/// <c>full</c> with <c>clickseg</c> and <c>{"loss": {"pseudo_start_epoch": 0}}</c> gives the extra cost of ClickSeg's
/// online pseudo-labelling per epoch (issue 10). Setup (the cache, click expansion) is outside the timing.
/// </summary>
internal static class BenchTrainStepCommand
{
    public static Command Create(MethodRegistry methods)
    {
        var method = new Option<string>("--method") { Description = $"Training method: {string.Join(", ", methods.Names)}.", Required = true };
        var data = new Option<string>("--data") { Description = "Dataset folder with a train split.", Required = true };
        var preset = new Option<string>("--preset") { Description = $"Base configuration: {string.Join(", ", ConfigLoader.Presets)}.", DefaultValueFactory = _ => "cpu" };
        var config = new Option<string?>("--config") { Description = "JSON configuration merged over the preset." };
        var steps = new Option<int>("--steps") { Description = "Timed steps.", DefaultValueFactory = _ => 20 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first (JIT, pools, kernel maps).", DefaultValueFactory = _ => 5 };
        var threads = new ThreadsOption();
        var json = new Option<string?>("--json") { Description = "Also write the JSON result to this file." };
        var command = new Command("train-step", "Time training steps of a method on a dataset (median of the trainer's own per-step times).")
            { method, data, preset, config, steps, warmup, threads, json };
        CommandAction.Set(command, (parse, output) =>
        {
            int k = parse.GetValue(steps), w = parse.GetValue(warmup), t = threads.Count(parse);
            if (k < 1) throw new UsageException($"--steps {k}: expected at least one timed step");
            if (w < 0) throw new UsageException($"--warmup {w}: expected ≥ 0");
            string name = parse.GetValue(method)!;
            var cfgJson = methods.Get(name).Configure(ConfigLoader.LoadPreset(parse.GetValue(preset)!));
            if (parse.GetValue(config) is { } file) cfgJson = ConfigLoader.Merge(cfgJson, ConfigLoader.LoadFile(file));
            cfgJson["method"] = name;
            cfgJson["hooks"] = new JsonArray(); // no evaluation or checkpoint work inside the timed steps
            var cfg = TrainConfig.FromJson(cfgJson).With("train.max_steps", k + w).With("train.threads", t);
            string scratch = Path.Combine(Path.GetTempPath(), "clickscape-bench-" + Guid.NewGuid().ToString("N"));
            try
            {
                var outcome = new Trainer().Run(cfg, new TrainingRequest { Data = parse.GetValue(data)!, Run = scratch });
                var timed = RunLog.Read(Path.Combine(scratch, "log.jsonl")).Where(e => (string?)e["kind"] == "step").Skip(w).ToList();
                if (timed.Count == 0) throw new UsageException($"--data {parse.GetValue(data)}: the run stopped after {outcome.State.Step} steps, before any timed step (the split is smaller than --warmup batches?)");
                double Median(Func<JsonObject, double> f) => BenchStatistics.Median(timed.Select(f));
                static double Num(JsonObject e, string key) => e[key] is JsonValue v && v.TryGetValue(out double d) ? d : 0;
                double step = Median(e => Num(e, "time_data_s") + Num(e, "time_forward_s") + Num(e, "time_backward_s") + Num(e, "time_optimizer_s"));
                int trainScenes = SceneDataset.Open(parse.GetValue(data)!).Split("train").Count;
                int batches = (trainScenes + cfg.Data.BatchSize - 1) / cfg.Data.BatchSize;
                var text = JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["bench"] = "train-step",
                    ["method"] = name,
                    ["threads"] = t,
                    ["batch_size"] = cfg.Data.BatchSize,
                    ["steps"] = timed.Count,
                    ["step_ms"] = Math.Round(1000 * step, 1),
                    ["data_ms"] = Math.Round(1000 * Median(e => Num(e, "time_data_s")), 1),
                    ["forward_ms"] = Math.Round(1000 * Median(e => Num(e, "time_forward_s")), 1),
                    ["backward_ms"] = Math.Round(1000 * Median(e => Num(e, "time_backward_s")), 1),
                    ["optimizer_ms"] = Math.Round(1000 * Median(e => Num(e, "time_optimizer_s")), 1),
                    ["median_voxels"] = Median(e => Num(e, "voxels")),
                    ["train_scenes"] = trainScenes,
                    ["epoch_s"] = Math.Round(step * batches, 1),
                    ["pseudo_labelling"] = timed.Any(e => e["pseudo_semantic"] is not null || e["pseudo_discriminative"] is not null),
                    ["simd"] = System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "avx512" : System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "avx2" : "scalar",
                });
                output.WriteLine(text);
                if (parse.GetValue(json) is { } path) AtomicFile.WriteAllText(path, text + "\n");
                return 0;
            }
            finally
            {
                if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
            }
        });
        return command;
    }
}
