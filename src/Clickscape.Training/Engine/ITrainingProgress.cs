namespace Clickscape.Training.Engine;

/// <summary>One step as the progress display shows it.</summary>
/// <param name="Step">Steps done.</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="Epoch">Current epoch (1-based for display).</param>
/// <param name="Epochs">Epochs of the run.</param>
/// <param name="Terms">Loss terms of the step (first = total).</param>
/// <param name="ScenesPerSecond">Throughput over the recent steps.</param>
/// <param name="Remaining">Estimated time to the end (null before it can be estimated).</param>
public sealed record StepProgress(int Step, int TotalSteps, int Epoch, int Epochs, IReadOnlyList<(string Name, double Value)> Terms, double ScenesPerSecond, TimeSpan? Remaining);

/// <summary>Where the trainer reports progress: a terminal bar, plain lines, or nothing (tests).</summary>
public interface ITrainingProgress
{
    /// <summary>After each step.</summary>
    void Step(StepProgress progress);

    /// <summary>A one-line message (evaluation results, resume, stop reasons).</summary>
    void Message(string text);
}
