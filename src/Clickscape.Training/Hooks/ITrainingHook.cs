using Clickscape.Training.Engine;

namespace Clickscape.Training.Hooks;

/// <summary>
/// A declared trainer hook (Pointcept's hooks): evaluation, checkpointing, … Hooks run in configuration order at
/// each step end, each epoch end and once when training ends (also when it stops early on a budget or Ctrl-C).
/// </summary>
public interface ITrainingHook
{
    /// <summary>After each optimizer step.</summary>
    void OnStepEnd(TrainerContext context);

    /// <summary>After the last batch of an epoch.</summary>
    void OnEpochEnd(TrainerContext context);

    /// <summary>When the run stops (finished, budget, cancellation).</summary>
    void OnTrainEnd(TrainerContext context);
}
