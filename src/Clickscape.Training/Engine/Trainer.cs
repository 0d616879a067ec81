using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Clickscape.Data;
using Clickscape.Data.Datasets;
using Clickscape.Data.IO;
using Clickscape.Evaluation.ScanNet;
using Clickscape.Geometry.Scenes;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Optim;
using Clickscape.Tensors.Threading;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Distributed;
using Clickscape.Training.Hooks;
using Clickscape.Training.Methods;
using Clickscape.Training.Randomness;
using Clickscape.Training.Reporting;

namespace Clickscape.Training.Engine;

/// <summary>What to train on and where the run lives.</summary>
public sealed record TrainingRequest
{
    /// <summary>A dataset folder, a scene folder or a scene file.</summary>
    public required string Data { get; init; }

    /// <summary>The run folder.</summary>
    public required string Run { get; init; }

    /// <summary>The split trained on.</summary>
    public string Split { get; init; } = "train";

    /// <summary>A pseudo-label folder to take the training labels from (null = the scenes' ground truth).</summary>
    public string? Labels { get; init; }

    /// <summary>A folder of click sets (<c>&lt;scene&gt;.json</c>) for the methods trained from clicks (null = simulated or none).</summary>
    public string? Clicks { get; init; }

    /// <summary>Continue the run in <see cref="Run"/> from its last checkpoint.</summary>
    public bool Resume { get; init; }

    /// <summary>Progress display (null = none).</summary>
    public ITrainingProgress? Progress { get; init; }

    /// <summary>Stops the run at the next step boundary, with a checkpoint (Ctrl-C).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>PNG files the report embeds (rendered predictions), paths absolute or relative to the run folder.</summary>
    public IReadOnlyList<string> ReportImages { get; init; } = [];

    /// <summary>The processes of a data-parallel run (<see cref="MpiProcessGroup"/> under <c>mpirun</c>); null = this process alone. Rank 0 writes the run folder.</summary>
    public IProcessGroup? Group { get; init; }
}

/// <summary>How a run ended.</summary>
/// <param name="State">The final state (step, epoch, best metric).</param>
/// <param name="StopReason"><c>finished</c>, <c>max_steps</c>, <c>budget</c> or <c>cancelled</c>.</param>
/// <param name="Losses">The total loss of every step of this invocation.</param>
/// <param name="Evaluations">The evaluations of this invocation.</param>
/// <param name="ScenesPerSecond">Training throughput of this invocation (data, forward, backward, update).</param>
/// <param name="Elapsed">Wall-clock time of this invocation.</param>
public sealed record TrainingOutcome(TrainingState State, string StopReason, IReadOnlyList<float> Losses, IReadOnlyList<EvaluationResult> Evaluations,
    double ScenesPerSecond, TimeSpan Elapsed);

/// <summary>
/// The trainer every method shares: data (cache → augmentation → batches on a prefetch thread), the method's model
/// and loss, the optimizer with parameter groups and gradient clipping, the learning-rate schedule, hooks
/// (evaluation, checkpoints), the step log, progress, early stop on a budget or Ctrl-C, resume from the last
/// checkpoint and the HTML report. Components come from <see cref="ComponentRegistries"/> by the names in the
/// configuration.
/// </summary>
/// <remarks>
/// Reproducible: with the same configuration, seed and thread count, two runs produce the same losses and weights
/// bit for bit, and a run interrupted at any point and resumed ends with the same weights as an uninterrupted one —
/// the data stream is counter-based (<see cref="BatchLoader"/>) and everything else that changes is in the checkpoint.
/// </remarks>
public sealed class Trainer(MethodRegistry methods, ComponentRegistries registries)
{
    /// <summary>A trainer with the shipped methods and components.</summary>
    public Trainer() : this(MethodRegistry.CreateDefault(), ComponentRegistries.CreateDefault())
    {
    }

    /// <summary>Trains <paramref name="config"/> as <paramref name="request"/> says.</summary>
    public TrainingOutcome Run(TrainConfig config, TrainingRequest request)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(request);
        int previousThreads = ComputeThreads.Count;
        if (config.Loop.Threads > 0) ComputeThreads.Count = config.Loop.Threads;
        try
        {
            return RunCore(config, request);
        }
        finally
        {
            ComputeThreads.Count = previousThreads;
        }
    }

    private TrainingOutcome RunCore(TrainConfig config, TrainingRequest request)
    {
        var clock = Stopwatch.StartNew();
        var group = request.Group ?? SingleProcess.Instance;
        bool lead = group.Rank == 0; // rank 0 alone writes config, log, checkpoints and report
        var progress = lead ? request.Progress ?? NullProgress.Instance : NullProgress.Instance;
        var run = new RunFolder(request.Run);
        var method = methods.Get(config.Method);
        var hooks = config.Hooks.Select((h, i) => registries.Hooks.Create(h, default, $"hooks[{i}]")).ToList();

        // data
        var dataset = SceneDataset.Open(request.Data, config.Data.DatasetOptions());
        var scenes = dataset.Split(request.Split);
        if (scenes.Count == 0) throw new DataFormatException(request.Data, $"split '{request.Split}' lists no scenes");
        var labels = request.Labels is null ? null : new PseudoLabelFolder(request.Labels);
        if (labels is not null)
            foreach (var s in scenes) labels.Files(s.Name);
        config = method.WithTrainingData(config, dataset, scenes);

        // run folder
        string last = run.Checkpoint(RunFolder.Last);
        if (request.Resume && !File.Exists(last))
            throw new DataFormatException(run.Root, "no checkpoints/last.safetensors to resume from (start the run without --resume)");
        if (!request.Resume && File.Exists(last))
            throw new DataFormatException(run.Root, "already holds a run (checkpoints/last.safetensors); continue it with --resume or choose another --out");
        Directory.CreateDirectory(run.Root);
        if (lead) AtomicFile.WriteAllText(run.Config, config.ToJsonString() + "\n");

        var cache = new SceneCache(run.Cache);
        var data = config.Data;
        ulong seed = unchecked((ulong)config.Loop.Seed);
        using var model = method.CreateModel(config, Xoshiro256.ForStream(seed, 7).NextSeed());
        var loss = method.CreateLoss(config, new TrainingData(dataset, scenes, request.Clicks, run.Root, request.Resume, progress.Message, request.Labels,
            s => cache.Get(s, labels, data.VoxelSize, requireLabels: method.TrainsOnGroundTruth)));
        var setup = registries.Optimizers.Create(config.Optimizer, model, "optimizer");
        using var optimizer = setup.Optimizer;
        var parallel = new DataParallel(group, optimizer.Parameters, config.Loop.MicroBatches);
        var loader = new BatchLoader(scenes, s => method.TrainingScene(loss, cache.Get(s, labels, data.VoxelSize, requireLabels: method.TrainsOnGroundTruth)), data, method.ClassIds,
            (scene, points, rng) => method.Augment(scene, data, points, rng));
        int totalSteps = checked(config.Loop.Epochs * loader.BatchesPerEpoch);
        if (config.Loop.MaxSteps > 0) totalSteps = Math.Min(totalSteps, config.Loop.MaxSteps);
        var schedule = registries.Schedules.Create(config.Schedule, new ScheduleContext(setup.BaseLearningRate, totalSteps), "schedule");

        var state = new TrainingState { Rng = new Xoshiro256(seed).State };
        if (request.Resume)
        {
            // a kill during a checkpoint write leaves its temporary file (the checkpoint itself is renamed into place whole)
            foreach (var stale in Directory.EnumerateFiles(run.Checkpoints, "*.safetensors.tmp-*")) File.Delete(stale);
            state = Checkpoint.Load(last, model, optimizer);
            progress.Message(string.Create(CultureInfo.InvariantCulture, $"resuming {run.Root} at step {state.Step} (epoch {state.Epoch + 1}, batch {state.BatchInEpoch})"));
        }
        DataParallel.BroadcastState(group, model);
        if (group.Size > 1)
            progress.Message(string.Create(CultureInfo.InvariantCulture, $"data parallel: {group.Size} ranks × {config.Loop.MicroBatches} micro-batches, {parallel.GradientValues} gradient values all-reduced per step"));
        if (data.BatchSize < parallel.Layout.Workers)
            progress.Message(string.Create(CultureInfo.InvariantCulture, $"data.batch_size {data.BatchSize} < {parallel.Layout.Workers} workers (ranks × micro_batches): {parallel.Layout.Workers - data.BatchSize} of them idle every step"));
        using var log = lead ? new RunLog(run.Log, request.Resume ? state.Step : -1) : null;

        TrainerContext context = null!;
        context = new TrainerContext(config, method, model, optimizer, run, progress,
            (split, max) => lead ? Evaluate(context, dataset, cache, split, max, log!, "eval", p => method.Predict(model, config, p)) : null,
            max => lead ? Evaluate(context, dataset, cache, request.Split, max, log!, "pseudo_eval", p => method.PseudoLabel(model, config, loss, p)) : null,
            name =>
            {
                if (lead) Checkpoint.Save(run.Checkpoint(name), model, optimizer, context.State, config);
            })
        { State = state };

        var losses = new List<float>();
        string? stop = null;
        int scenesTrained = 0;
        double budgetSeconds = config.Loop.BudgetMinutes * 60;
        var recent = new Queue<(double Seconds, int Scenes)>();
        var master = Xoshiro256.FromState(context.State.Rng);
        bool finished = context.State.Step >= totalSteps || context.State.Epoch >= config.Loop.Epochs;
        model.Train();
        while (!finished && stop is null)
        {
            if (context.State.BatchInEpoch == 0)
                context.State = context.State with { EpochSeed = master.NextUInt64(), Rng = master.State };
            var s0 = context.State;
            var stepClock = Stopwatch.StartNew(); // from the end of the previous step: data waits count against throughput
            foreach (var batch in loader.Epoch(s0.Epoch, s0.EpochSeed, s0.BatchInEpoch, parallel.Layout))
            {
                // Where a step's time goes (the log's time_* fields): waiting for the prefetch thread's batch, the
                // forward pass with the loss, the backward pass, and clipping + the optimizer update.
                double dataSeconds = stepClock.Elapsed.TotalSeconds, optimizerSeconds;
                float lr = schedule.At(context.State.Step);
                optimizer.LearningRate = lr;
                List<(string Name, double Value)> terms;
                (string Name, double Value)[] timing;
                long voxels;
                double sync;
                using (TensorScope.Begin())
                {
                    optimizer.ZeroGrad();
                    var reduced = parallel.ForwardBackward(batch, part => method.Loss(model, loss, part));
                    long optimizerStart = Stopwatch.GetTimestamp();
                    double gradNorm = setup.ClipGradNorm > 0 ? GradientClipping.ClipNorm(optimizer.Parameters, setup.ClipGradNorm) : double.NaN;
                    optimizer.Step();
                    optimizerSeconds = Stopwatch.GetElapsedTime(optimizerStart).TotalSeconds;
                    timing = [("time_data_s", dataSeconds), ("time_forward_s", reduced.ForwardSeconds), ("time_backward_s", reduced.BackwardSeconds), ("time_optimizer_s", optimizerSeconds)];
                    terms = [.. reduced.Terms];
                    voxels = reduced.Voxels;
                    sync = reduced.SyncSeconds;
                    if (!double.IsNaN(gradNorm)) terms.Add(("grad_norm", gradNorm));
                }
                if (!double.IsFinite(terms[0].Value))
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"training diverged: loss {terms[0].Value} at step {context.State.Step + 1} (lower optimizer.lr or set optimizer.clip_grad_norm)"));
                losses.Add((float)terms[0].Value);
                context.State = context.State with { Step = context.State.Step + 1, BatchInEpoch = context.State.BatchInEpoch + 1, LearningRate = lr };
                scenesTrained += batch.Scenes;
                recent.Enqueue((stepClock.Elapsed.TotalSeconds, batch.Scenes));
                stepClock.Restart();
                while (recent.Count > 20) recent.Dequeue();
                double rate = recent.Sum(r => r.Scenes) / Math.Max(1e-9, recent.Sum(r => r.Seconds));
                var entry = new JsonObject
                {
                    ["kind"] = "step",
                    ["step"] = context.State.Step,
                    ["epoch"] = context.State.Epoch + 1,
                    ["lr"] = RunLog.Number(lr),
                };
                foreach (var (name, value) in terms) entry[name] = RunLog.Number(value);
                entry["voxels"] = voxels;
                foreach (var (name, value) in timing) entry[name] = RunLog.Number(value);
                entry["scenes_per_s"] = RunLog.Number(rate);
                if (!parallel.IsPlain) entry["sync_s"] = RunLog.Number(sync);
                log?.Write(entry);
                double remainingSeconds = (totalSteps - context.State.Step) * data.BatchSize / Math.Max(1e-9, rate);
                if (budgetSeconds > 0) remainingSeconds = Math.Min(remainingSeconds, Math.Max(0, budgetSeconds - clock.Elapsed.TotalSeconds)); // the budget ends it first
                var remaining = TimeSpan.FromSeconds(remainingSeconds);
                progress.Step(new StepProgress(context.State.Step, totalSteps, context.State.Epoch + 1, config.Loop.Epochs, terms, rate, remaining));
                foreach (var h in hooks) h.OnStepEnd(context);
                if (context.State.Step >= totalSteps) { stop = config.Loop.MaxSteps > 0 && totalSteps == config.Loop.MaxSteps ? "max_steps" : "finished"; break; }
                var (overBudget, cancelled) = parallel.AnyRank(budgetSeconds > 0 && clock.Elapsed.TotalSeconds >= budgetSeconds, request.Cancellation.IsCancellationRequested);
                if (overBudget) { stop = "budget"; break; }
                if (cancelled) { stop = "cancelled"; break; }
            }
            if (context.State.BatchInEpoch >= loader.BatchesPerEpoch)
            {
                context.State = context.State with { Epoch = context.State.Epoch + 1, BatchInEpoch = 0 };
                DataParallel.BroadcastBuffers(group, model);
                foreach (var h in hooks) h.OnEpochEnd(context);
            }
            finished = context.State.Step >= totalSteps || context.State.Epoch >= config.Loop.Epochs;
        }
        context.State = context.State with { Finished = finished };
        stop ??= "finished";
        context.StopReason = stop;
        foreach (var h in hooks) h.OnTrainEnd(context);
        if (!hooks.OfType<CheckpointHook>().Any()) context.SaveCheckpoint(RunFolder.Last);
        double seconds = clock.Elapsed.TotalSeconds;
        progress.Message(string.Create(CultureInfo.InvariantCulture,
            $"{stop}: step {context.State.Step}/{totalSteps}, {scenesTrained} scenes in {seconds:F1} s → {run.Root}"));
        if (lead) RunReport.Write(run, config, request.ReportImages);
        return new TrainingOutcome(context.State, stop, losses, context.Evaluations, scenesTrained / Math.Max(1e-9, seconds), clock.Elapsed);
    }

    /// <summary>
    /// The evaluations of the hooks: label every scene of the split with <paramref name="label"/> (the method's prediction, or
    /// its pseudo labels of its own training scenes), score with the ScanNet metrics, log as <paramref name="kind"/>. Null when
    /// the split is missing, the method has no pseudo labels, or (for pseudo labels) a training scene has no ground truth.
    /// </summary>
    private static EvaluationResult? Evaluate(TrainerContext context, SceneDataset dataset, SceneCache cache, string split, int maxScenes, RunLog log,
        string kind, Func<PreparedScene, ScenePrediction?> label)
    {
        if (!dataset.HasSplit(split))
        {
            context.Progress.Message($"evaluation skipped: {dataset.Root} has no split '{split}' (splits/{split}.txt)");
            return null;
        }
        var scenes = dataset.Split(split);
        if (maxScenes > 0) scenes = scenes.Take(maxScenes).ToList();
        var instanceScenes = new List<InstanceScene>();
        var semanticPairs = new List<(int[], int[])>();
        foreach (var source in scenes)
        {
            var prepared = cache.Get(source, null, context.Config.Data.VoxelSize, requireLabels: false);
            if (kind != "eval" && Array.TrueForAll(prepared.Semantic, l => l == Labels.Unlabelled))
            {
                context.Progress.Message($"{kind} skipped: scene '{source.Name}' of split '{split}' has no ground truth");
                return null;
            }
            var prediction = label(prepared);
            if (prediction is null) return null;
            instanceScenes.Add(new InstanceScene(source.Name, prepared.InstanceGroundTruth(),
                prediction.Instances.Select(m => new PredictedInstance(m.Vertices, m.LabelId, m.Confidence)).ToList()));
            semanticPairs.Add((prepared.Semantic, prediction.Semantic));
        }
        var ap = new InstanceAp().Evaluate(instanceScenes);
        var iou = new SemanticIou().Evaluate(semanticPairs);
        var s = context.State;
        var result = new EvaluationResult(split, s.Step, s.Epoch, scenes.Count, ap.Ap, ap.Ap50, ap.Ap25, iou.MeanIou, iou.OverallAccuracy,
            ap.ClassNames, ap.ClassAp, ap.ClassAp50, ap.ClassAp25, iou.ClassNames, iou.ClassIou);
        var classes = new JsonObject();
        for (int c = 0; c < result.SemanticClasses.Count; c++)
        {
            var row = new JsonObject { ["iou"] = RunLog.Number(result.ClassIou[c]) };
            int k = result.InstanceClasses.ToList().IndexOf(result.SemanticClasses[c]);
            if (k >= 0)
            {
                row["ap"] = RunLog.Number(result.ClassAp[k]);
                row["ap50"] = RunLog.Number(result.ClassAp50[k]);
                row["ap25"] = RunLog.Number(result.ClassAp25[k]);
            }
            classes[result.SemanticClasses[c]] = row;
        }
        log.Write(new JsonObject
        {
            ["kind"] = kind,
            ["step"] = s.Step,
            ["epoch"] = s.Epoch,
            ["split"] = split,
            ["scenes"] = scenes.Count,
            ["ap"] = RunLog.Number(result.Ap),
            ["ap50"] = RunLog.Number(result.Ap50),
            ["ap25"] = RunLog.Number(result.Ap25),
            ["miou"] = RunLog.Number(result.MeanIou),
            ["accuracy"] = RunLog.Number(result.Accuracy),
            ["classes"] = classes,
        });
        context.Progress.Message(string.Create(CultureInfo.InvariantCulture,
            $"{(kind == "eval" ? "eval" : "pseudo labels of")} {split} ({scenes.Count} scenes) at step {s.Step}: AP {100 * result.Ap:F1} AP50 {100 * result.Ap50:F1} AP25 {100 * result.Ap25:F1} mIoU {100 * result.MeanIou:F1}"));
        return result;
    }

    private sealed class NullProgress : ITrainingProgress
    {
        public static readonly NullProgress Instance = new();

        public void Step(StepProgress progress)
        {
        }

        public void Message(string text)
        {
        }
    }
}
