using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Optim;
using Clickscape.Training.Configs;
using Clickscape.Training.Methods;

namespace Clickscape.Training.Engine;

/// <summary>What hooks see of a running <see cref="Trainer"/>: the state, the model, and the actions they may take.</summary>
public sealed class TrainerContext
{
    private readonly Func<string, int, EvaluationResult?> _evaluate;
    private readonly Func<int, EvaluationResult?> _evaluatePseudoLabels;
    private readonly Action<string> _save;

    internal TrainerContext(TrainConfig config, TrainingMethod method, Module model, Optimizer optimizer, RunFolder run, ITrainingProgress progress,
        Func<string, int, EvaluationResult?> evaluate, Func<int, EvaluationResult?> evaluatePseudoLabels, Action<string> save)
    {
        _evaluatePseudoLabels = evaluatePseudoLabels;
        Config = config;
        Method = method;
        Model = model;
        Optimizer = optimizer;
        Run = run;
        Progress = progress;
        _evaluate = evaluate;
        _save = save;
    }

    /// <summary>The configuration.</summary>
    public TrainConfig Config { get; }

    /// <summary>The method being trained.</summary>
    public TrainingMethod Method { get; }

    /// <summary>The network.</summary>
    public Module Model { get; }

    /// <summary>The optimizer.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The run folder.</summary>
    public RunFolder Run { get; }

    /// <summary>Progress display.</summary>
    public ITrainingProgress Progress { get; }

    /// <summary>The run's state (hooks may record the best evaluation in it).</summary>
    public TrainingState State { get; set; } = new();

    /// <summary>Why the run stopped (<c>finished</c>, <c>max_steps</c>, <c>budget</c>, <c>cancelled</c>); null while it runs.</summary>
    public string? StopReason { get; internal set; }

    /// <summary>Every evaluation of this invocation, in order.</summary>
    public List<EvaluationResult> Evaluations { get; } = [];

    /// <summary>The latest evaluation, or null.</summary>
    public EvaluationResult? LastEvaluation => Evaluations.Count == 0 ? null : Evaluations[^1];

    /// <summary>Evaluates the model on <paramref name="split"/> (at most <paramref name="maxScenes"/> scenes, 0 = all) and logs the result; null when the dataset has no such split.</summary>
    public EvaluationResult? Evaluate(string split, int maxScenes = 0)
    {
        var result = _evaluate(split, maxScenes);
        if (result is not null) Evaluations.Add(result);
        return result;
    }

    /// <summary>
    /// Scores the pseudo labels the method would now give its own training scenes (<see cref="TrainingMethod.PseudoLabel"/>;
    /// at most <paramref name="maxScenes"/> of the training split, 0 = all) against their ground truth and logs them as
    /// <c>pseudo_eval</c> — a measurement for the report (ClickSeg Fig. 3), never a training signal; not added to
    /// <see cref="Evaluations"/>, so no checkpoint is chosen by it. Null when the method has none or the scenes have no ground truth.
    /// </summary>
    public EvaluationResult? EvaluatePseudoLabels(int maxScenes = 0) => _evaluatePseudoLabels(maxScenes);

    /// <summary>Writes the checkpoint <paramref name="name"/> (<see cref="RunFolder.Last"/> or <see cref="RunFolder.Best"/>) with the current state.</summary>
    public void SaveCheckpoint(string name) => _save(name);
}
