using System.Globalization;
using Spectre.Console;

namespace Clickscape.Training.Engine;

/// <summary>
/// Training progress on a console: a Spectre.Console bar (epoch, step, loss terms, scenes/s, ETA) when the output is
/// an interactive terminal, otherwise plain lines every few steps (logs, CI, tests).
/// </summary>
public static class ConsoleProgress
{
    /// <summary>Runs <paramref name="body"/> with a bar when <paramref name="interactive"/>, else with plain lines on <paramref name="output"/>.</summary>
    public static T Run<T>(TextWriter output, bool interactive, Func<ITrainingProgress, T> body, int plainEverySteps = 10)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(body);
        if (!interactive) return body(new PlainProgress(output, plainEverySteps));
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 16 }, new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("training", maxValue: 1);
                result = body(new BarProgress(task));
                task.StopTask();
            });
        return result;
    }

    /// <summary>"loss 1.2345 semantic 0.9876 …".</summary>
    public static string Terms(IReadOnlyList<(string Name, double Value)> terms) =>
        string.Join(" ", terms.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Name} {t.Value:F4}")));

    private static string Eta(TimeSpan? t) => t is { } r ? (r.TotalHours >= 1 ? r.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : r.ToString(@"m\:ss", CultureInfo.InvariantCulture)) : "?";

    /// <summary>Plain progress lines.</summary>
    private sealed class PlainProgress(TextWriter output, int every) : ITrainingProgress
    {
        public void Step(StepProgress p)
        {
            if (p.Step % Math.Max(1, every) != 0 && p.Step != p.TotalSteps && p.Step != 1) return;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"epoch {p.Epoch}/{p.Epochs} step {p.Step}/{p.TotalSteps} {Terms(p.Terms)} {p.ScenesPerSecond:F2} scenes/s eta {Eta(p.Remaining)}"));
        }

        public void Message(string text) => output.WriteLine(text);
    }

    /// <summary>The Spectre.Console bar.</summary>
    private sealed class BarProgress(ProgressTask task) : ITrainingProgress
    {
        public void Step(StepProgress p)
        {
            task.MaxValue = Math.Max(1, p.TotalSteps);
            task.Value = p.Step;
            // compact: the bar and the ETA take ~30 columns, the rest of an 80-column terminal holds this
            var terms = string.Join(" ", p.Terms.Where(t => t.Name != "grad_norm").Select(t => string.Create(CultureInfo.InvariantCulture, $"{Short(t.Name)} {t.Value:F3}")));
            task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                $"ep {p.Epoch}/{p.Epochs} step {p.Step}/{p.TotalSteps} {terms} {p.ScenesPerSecond:F1}/s"));
        }

        public void Message(string text) => AnsiConsole.MarkupLine(Markup.Escape(text));

        private static string Short(string term) => term switch
        {
            "semantic" => "sem",
            "offset" => "off",
            "direction" => "dir",
            "discriminative" => "disc",
            _ => term,
        };
    }
}
