using Clickscape.Training.Engine;

namespace Clickscape.Training.Tests.Shared;

/// <summary>Requests cancellation when step <paramref name="step"/> is done (the trainer stops at that boundary, as Ctrl-C does).</summary>
internal sealed class CancelAtStep(CancellationTokenSource cancel, int step) : ITrainingProgress
{
    public void Step(StepProgress progress)
    {
        if (progress.Step == step) cancel.Cancel();
    }

    public void Message(string text)
    {
    }
}
