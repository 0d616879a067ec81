using Clickscape.Training.Engine;

namespace Clickscape.Training.Tests.Engine;

public sealed class ConsoleProgressTests
{
    [Fact]
    public void NonTerminalOutput_GetsPlainLines_EveryNSteps()
    {
        using var writer = new StringWriter();
        int result = ConsoleProgress.Run(writer, interactive: false, progress =>
        {
            for (int s = 1; s <= 25; s++)
                progress.Step(new StepProgress(s, 25, 1, 3, [("loss", 1.5), ("semantic", 0.25)], 2.5, TimeSpan.FromSeconds(75)));
            progress.Message("eval done");
            return 7;
        }, plainEverySteps: 10);
        Assert.Equal(7, result);
        var lines = writer.ToString().Trim().Split('\n');
        Assert.Equal(["epoch 1/3 step 1/25 loss 1.5000 semantic 0.2500 2.50 scenes/s eta 1:15",
            "epoch 1/3 step 10/25 loss 1.5000 semantic 0.2500 2.50 scenes/s eta 1:15",
            "epoch 1/3 step 20/25 loss 1.5000 semantic 0.2500 2.50 scenes/s eta 1:15",
            "epoch 1/3 step 25/25 loss 1.5000 semantic 0.2500 2.50 scenes/s eta 1:15",
            "eval done"], lines);
        Assert.DoesNotContain('\u001b', writer.ToString()); // no terminal escapes
    }
}
