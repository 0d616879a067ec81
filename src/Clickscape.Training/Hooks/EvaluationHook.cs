using Clickscape.Training.Engine;

namespace Clickscape.Training.Hooks;

/// <summary>Options of <c>Evaluate-v1</c>.</summary>
public sealed class EvaluationHookOptions
{
    /// <summary>Evaluate every this many epochs (and after the last one).</summary>
    public int EveryEpochs { get; set; } = 5;

    /// <summary>The split to evaluate on.</summary>
    public string Split { get; set; } = "val";

    /// <summary>Evaluate on at most this many scenes of the split during training (0 = all).</summary>
    public int MaxScenes { get; set; }

    /// <summary>Scenes of the final evaluation, when the run stops (0 = the whole split).</summary>
    public int FinalMaxScenes { get; set; }
}

/// <summary>
/// <c>Evaluate-v1</c>: ScanNet instance AP / AP50 / AP25 (<see cref="Evaluation.ScanNet.InstanceAp"/>) and semantic mIoU
/// (<see cref="Evaluation.ScanNet.SemanticIou"/>) of the current model on a split, every N epochs and when the run
/// stops (finished, max steps or budget; not after Ctrl-C),
/// logged to <c>log.jsonl</c> (the checkpoint hook picks the best model from it). A dataset without the split is
/// reported once and not evaluated.
/// </summary>
public sealed class EvaluationHook(EvaluationHookOptions options) : ITrainingHook
{
    private int _evaluatedAtStep = -1;
    private int _evaluatedScenes = -1;

    /// <summary>The options.</summary>
    public EvaluationHookOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <inheritdoc/>
    public void OnStepEnd(TrainerContext context)
    {
    }

    /// <inheritdoc/>
    public void OnEpochEnd(TrainerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if ((context.State.Epoch) % Math.Max(1, Options.EveryEpochs) == 0) Run(context);
    }

    /// <summary>Evaluates the final model unless the user interrupted the run (Ctrl-C wants out, not a 30-scene evaluation).</summary>
    public void OnTrainEnd(TrainerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.StopReason != "cancelled") Run(context, Options.FinalMaxScenes);
    }

    private void Run(TrainerContext context, int? maxScenes = null)
    {
        int scenes = maxScenes ?? Options.MaxScenes;
        // the same model on the same scenes is evaluated once (an epoch end that is also the run's end)
        if (_evaluatedAtStep == context.State.Step && _evaluatedScenes == scenes) return;
        _evaluatedAtStep = context.State.Step;
        _evaluatedScenes = scenes;
        context.Evaluate(Options.Split, scenes);
    }
}
