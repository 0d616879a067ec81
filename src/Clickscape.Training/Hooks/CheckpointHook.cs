using Clickscape.Training.Engine;

namespace Clickscape.Training.Hooks;

/// <summary>Options of <c>Checkpoint-v1</c>.</summary>
public sealed class CheckpointHookOptions
{
    /// <summary>Write <c>last</c> every this many steps (and at every epoch end and at the end).</summary>
    public int EverySteps { get; set; } = 50;

    /// <summary>Metric of the latest evaluation that chooses <c>best</c>: <c>ap</c>, <c>ap50</c>, <c>ap25</c> or <c>miou</c>.</summary>
    public string BestMetric { get; set; } = "ap";
}

/// <summary>
/// <c>Checkpoint-v1</c>: writes <c>RUN/checkpoints/last.safetensors</c> every N steps, at each epoch end and when the
/// run stops, and <c>best.safetensors</c> whenever an evaluation improves the chosen metric (a NaN metric, e.g. AP on
/// a split without instances, falls back to mIoU).
/// </summary>
public sealed class CheckpointHook : ITrainingHook
{
    private static readonly string[] Metrics = ["ap", "ap50", "ap25", "miou"];
    private EvaluationResult? _seen;

    /// <summary>Creates the hook.</summary>
    public CheckpointHook(CheckpointHookOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        if (Options.EverySteps < 1) throw new Configs.ConfigException($"config hooks.Checkpoint-v1.every_steps {Options.EverySteps}: expected ≥ 1");
        if (!Metrics.Contains(Options.BestMetric)) throw new Configs.ConfigException($"config hooks.Checkpoint-v1.best_metric '{Options.BestMetric}': expected one of {string.Join(", ", Metrics)}");
    }

    /// <summary>The options.</summary>
    public CheckpointHookOptions Options { get; }

    /// <inheritdoc/>
    public void OnStepEnd(TrainerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.State.Step % Options.EverySteps == 0) context.SaveCheckpoint(RunFolder.Last);
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SaveBest(context);
        context.SaveCheckpoint(RunFolder.Last);
    }

    /// <inheritdoc/>
    public void OnTrainEnd(TrainerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SaveBest(context);
        context.SaveCheckpoint(RunFolder.Last);
    }

    private void SaveBest(TrainerContext context)
    {
        var e = context.LastEvaluation;
        if (e is null || ReferenceEquals(e, _seen)) return;
        _seen = e;
        string metric = Options.BestMetric;
        double value = e.Metric(metric);
        if (double.IsNaN(value)) (metric, value) = ("miou", e.MeanIou);
        if (double.IsNaN(value)) return;
        var s = context.State;
        // Ties keep the earlier checkpoint, except at zero: an AP still 0 says nothing, so early in a run the newest
        // (longest-trained) checkpoint is the best until the metric moves.
        if (!double.IsNaN(s.BestValue) && s.BestMetric == metric && (value < s.BestValue || (value == s.BestValue && value > 0))) return;
        context.State = s with { BestMetric = metric, BestValue = value, BestStep = s.Step };
        context.SaveCheckpoint(RunFolder.Best);
    }
}
