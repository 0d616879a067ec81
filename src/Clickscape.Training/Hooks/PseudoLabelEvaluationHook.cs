using Clickscape.Training.Engine;

namespace Clickscape.Training.Hooks;

/// <summary>Options of <c>PseudoEvaluate-v1</c>.</summary>
public sealed class PseudoLabelEvaluationHookOptions
{
    /// <summary>Score the pseudo labels every this many epochs (and when the run stops).</summary>
    public int EveryEpochs { get; set; } = 10;

    /// <summary>Training scenes scored (the first of the split; 0 = all).</summary>
    public int MaxScenes { get; set; } = 24;
}

/// <summary>
/// <c>PseudoEvaluate-v1</c>: the accuracy of the pseudo labels a weakly supervised method would give its own training
/// scenes as training goes — ClickSeg Fig. 3 ("the quality of pseudo labels … along with training"): instance AP / AP50 /
/// AP25 and mIoU of <see cref="Methods.TrainingMethod.PseudoLabel"/> against the scenes' ground truth, logged as
/// <c>pseudo_eval</c> and drawn in <c>report.html</c>. The ground truth is only measured against, never trained on;
/// methods without pseudo labels (and training scenes without ground truth) log nothing.
/// </summary>
public sealed class PseudoLabelEvaluationHook(PseudoLabelEvaluationHookOptions options) : ITrainingHook
{
    private int _scoredAtStep = -1;

    /// <summary>The options.</summary>
    public PseudoLabelEvaluationHookOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <inheritdoc/>
    public void OnStepEnd(TrainerContext context)
    {
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.State.Epoch % Math.Max(1, Options.EveryEpochs) == 0) Run(context);
    }

    /// <inheritdoc/>
    public void OnTrainEnd(TrainerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.StopReason != "cancelled") Run(context);
    }

    private void Run(TrainerContext context)
    {
        if (_scoredAtStep == context.State.Step) return;
        _scoredAtStep = context.State.Step;
        context.EvaluatePseudoLabels(Options.MaxScenes);
    }
}
