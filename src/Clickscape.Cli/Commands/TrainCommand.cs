using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Clickscape.Training.Configs;
using Clickscape.Training.Distributed;
using Clickscape.Training.Engine;
using Clickscape.Training.Methods;
using Clickscape.Training.Methods.PointWssis;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape train --method M --data DIR --out RUN [--preset cpu|paper] [--config F] [--split train] [--labels DIR]
/// [--seed S] [--batch-size B] [--max-steps K] [--budget-minutes N] [--threads N] [--resume RUN] [--clicks DIR]</c>: trains a method
/// with the shared <see cref="Trainer"/>. The configuration is the preset (default <c>cpu</c>), then <c>--config</c>
/// merged over it, then the options; the resolved result goes to <c>RUN/config.json</c>. With <c>--resume RUN</c>
/// the run's own <c>config.json</c> is used (only <c>--max-steps</c>, <c>--budget-minutes</c> and <c>--threads</c> may
/// change) and training continues from <c>RUN/checkpoints/last.safetensors</c>. Ctrl-C stops at the next step with a
/// checkpoint. Started by <c>mpirun -np N</c> (Open MPI), it trains data-parallel: every rank its slice of each batch,
/// gradients all-reduced (<see cref="DataParallel"/>), rank 0 writing the run folder.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var methods = MethodRegistry.CreateDefault();
        var method = new Option<string>("--method") { Description = $"Training method: {string.Join(", ", methods.Names)}.", Required = true };
        var data = new Option<string>("--data") { Description = "Dataset folder (splits/*.txt + scenes), scene folder or scene file.", Required = true };
        var outDir = new Option<string?>("--out") { Description = "Run folder: config.json, checkpoints/, log.jsonl, report.html, cache/." };
        var preset = new Option<string>("--preset") { Description = $"Base configuration: {string.Join(", ", ConfigLoader.Presets)}.", DefaultValueFactory = _ => "cpu" };
        var config = new Option<string?>("--config") { Description = "JSON configuration merged over the preset (may name its own _base_)." };
        var split = new Option<string>("--split") { Description = "Split to train on (splits/<name>.txt; 'all' = every scene).", DefaultValueFactory = _ => "train" };
        var labels = new Option<string?>("--labels") { Description = "Train on labels from this folder (DIR/semantic/<scene>.txt, DIR/instance/<scene>.txt + masks) instead of the ground truth." };
        var seed = new Option<long?>("--seed") { Description = "Seed of initialization, order and augmentation." };
        var batch = new Option<int?>("--batch-size") { Description = "Scenes per batch." };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Stop after this many optimizer steps in total." };
        var budget = new Option<double?>("--budget-minutes") { Description = "Stop (with a checkpoint) after this many minutes of this invocation." };
        var threads = new ThreadsOption();
        var resume = new Option<string?>("--resume") { Description = "Continue the run in this folder from its last checkpoint." };
        var clicks = new Option<string?>("--clicks") { Description = "Click sets (DIR/<scene>.json) for weak, clickseg-base, clickseg (default: simulated 1t1c) and seggroup (default: simulated maxseg)." };
        var columns = new ColumnsOption();
        var variant = new Option<string?>("--variant") { Description = "Method variant (model.variant); parts: baseline | multi-level | fusion-single | fusion-multi | fusion-cross (default)." };
        var fullFraction = new Option<double?>("--full-fraction") { Description = "pointwssis: fraction of the training images with full masks (the rest: one point per object)." };
        var command = new Command("train", $"Train a segmentation method; writes RUN/config.json, checkpoints, log.jsonl and report.html. --method {PointWssisPipeline.MethodName} trains on an image dataset (annotations.json) and writes RUN/models/.")
        {
            method, data, outDir, preset, config, split, labels, seed, batch, maxSteps, budget, threads, resume, clicks, columns, fullFraction, variant,
        };
        CommandAction.Set(command, (parse, output) =>
        {
            try
            {
                if (parse.GetValue(method) == PointWssisPipeline.MethodName)
                {
                    // the scene trainer's options have no meaning for the image pipeline: say so rather than ignore them
                    if (parse.GetValue(maxSteps) is not null || parse.GetValue(budget) is not null || parse.GetValue(labels) is not null || parse.GetValue(clicks) is not null || parse.GetValue(columns) is not null)
                        throw new UsageException($"--max-steps, --budget-minutes, --labels, --clicks and --columns are not used by {PointWssisPipeline.MethodName}; size its stages with teacher_steps, refine_steps and student_steps in --config");
                    return PointWssisTrain.Run(parse, output, data, outDir, config, seed, batch, threads, fullFraction, resume, split);
                }
                if (parse.GetValue(fullFraction) is not null) throw new UsageException($"--full-fraction is an option of --method {PointWssisPipeline.MethodName}");
                return Run(parse, output, methods, method, data, outDir, preset, config, split, labels, seed, batch, maxSteps, budget, threads, resume, clicks, columns, variant);
            }
            catch (ConfigException e)
            {
                throw new UsageException(e.Message, e);
            }
        });
        return command;
    }

    /// <summary>The MPI world when started by mpirun; a missing or foreign MPI library is a one-line error.</summary>
    private static MpiProcessGroup? JoinMpi()
    {
        try
        {
            return MpiProcessGroup.FromEnvironment();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or InvalidOperationException)
        {
            throw new UsageException($"mpirun: {e.Message}", e);
        }
    }

    private static int Run(ParseResult parse, TextWriter output, MethodRegistry methods, Option<string> method, Option<string> data, Option<string?> outDir,
        Option<string> preset, Option<string?> config, Option<string> split, Option<string?> labels, Option<long?> seed, Option<int?> batch,
        Option<int?> maxSteps, Option<double?> budget, Option<int?> threads, Option<string?> resume, Option<string?> clicks, ColumnsOption columns, Option<string?> variant)
    {
        string? columnNames = columns.Text(parse);
        string methodName = parse.GetValue(method)!;
        methods.Get(methodName);
        string? resumeRun = parse.GetValue(resume), runDir = parse.GetValue(outDir);
        if (resumeRun is null && runDir is null) throw new UsageException("--out RUN is required (or --resume RUN to continue a run)");
        if (resumeRun is not null && runDir is not null && Path.GetFullPath(resumeRun) != Path.GetFullPath(runDir))
            throw new UsageException($"--out {runDir} and --resume {resumeRun} name different run folders; give one of them");
        runDir ??= resumeRun!;
        if (parse.GetValue(batch) is < 1) throw new UsageException($"--batch-size {parse.GetValue(batch)}: expected ≥ 1");
        if (parse.GetValue(maxSteps) is < 1) throw new UsageException($"--max-steps {parse.GetValue(maxSteps)}: expected ≥ 1");
        if (parse.GetValue(budget) is double b && !(b > 0)) throw new UsageException($"--budget-minutes {b.ToString(CultureInfo.InvariantCulture)}: expected > 0");
        if (parse.GetValue(threads) is < 1) throw new UsageException($"--threads {parse.GetValue(threads)}: expected ≥ 1");

        TrainConfig cfg;
        if (resumeRun is not null)
        {
            var path = new RunFolder(resumeRun).Config;
            if (!File.Exists(path)) throw new UsageException($"--resume {resumeRun}: no config.json there (not a run folder)");
            cfg = TrainConfig.Read(path);
            if (cfg.Method != methodName) throw new UsageException($"--method {methodName}: the run in {resumeRun} trains '{cfg.Method}'");
            if (parse.GetValue(seed) is long s && s != cfg.Loop.Seed) throw new UsageException($"--seed {s}: the run in {resumeRun} was started with seed {cfg.Loop.Seed}; a resumed run keeps its seed");
            if (parse.GetValue(batch) is int bs && bs != cfg.Data.BatchSize) throw new UsageException($"--batch-size {bs}: the run in {resumeRun} uses {cfg.Data.BatchSize}; a resumed run keeps its batch size");
            if (columnNames is not null && columnNames != cfg.Data.Columns) throw new UsageException($"--columns {columnNames}: the run in {resumeRun} reads '{cfg.Data.Columns ?? "(none)"}'; a resumed run keeps its columns");
            if (parse.GetValue(variant) is { } v && cfg.Model?["variant"]?.ToString() != v)
                throw new UsageException($"--variant {v}: the run in {resumeRun} trains variant '{cfg.Model?["variant"]}'; a resumed run keeps its variant");
        }
        else
        {
            var json = methods.Get(methodName).Configure(ConfigLoader.LoadPreset(parse.GetValue(preset)!));
            if (parse.GetValue(config) is { } file) json = ConfigLoader.Merge(json, ConfigLoader.LoadFile(file));
            json["method"] = methodName;
            cfg = TrainConfig.FromJson(json);
            if (parse.GetValue(seed) is long s) cfg = cfg.With("train.seed", s);
            if (parse.GetValue(batch) is int bs) cfg = cfg.With("data.batch_size", bs);
            if (columnNames is not null) cfg = cfg.With("data.columns", columnNames);
            if (parse.GetValue(variant) is { } v)
            {
                var variants = methods.Get(methodName).Variants;
                if (variants.Count == 0) throw new UsageException($"--variant {v}: method '{methodName}' has no variants");
                if (!variants.Contains(v)) throw new UsageException($"--variant {v}: method '{methodName}' has {string.Join(", ", variants)}");
                cfg = cfg.With("model.variant", v);
            }
        }

        if (parse.GetValue(maxSteps) is int k) cfg = cfg.With("train.max_steps", k);
        if (parse.GetValue(budget) is double minutes) cfg = cfg.With("train.budget_minutes", minutes);
        if (parse.GetValue(threads) is int t) cfg = cfg.With("train.threads", t);

        // under mpirun (Open MPI): data-parallel over the ranks, rank 0 writes the run folder (docs/scale.md)
        using var group = JoinMpi();
        bool console = ReferenceEquals(output, Console.Out);
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        if (console) Console.CancelKeyPress += onCancel;
        try
        {
            var outcome = ConsoleProgress.Run(output, console && !Console.IsOutputRedirected, progress => new Trainer().Run(cfg, new TrainingRequest
            {
                Data = parse.GetValue(data)!,
                Run = runDir,
                Split = parse.GetValue(split)!,
                Labels = parse.GetValue(labels),
                Clicks = parse.GetValue(clicks),
                Resume = resumeRun is not null,
                Progress = progress,
                Cancellation = cancel.Token,
                Group = group,
            }));
            if (group is null || group.Rank == 0)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{outcome.StopReason}: {outcome.State.Step} steps, {outcome.ScenesPerSecond:F2} scenes/s; report {new RunFolder(runDir).Report}"));
            group?.Finish();
            return 0;
        }
        finally
        {
            if (console) Console.CancelKeyPress -= onCancel;
        }
    }
}
