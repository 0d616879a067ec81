using System.CommandLine;
using Clickscape.Cli.Commands;

namespace Clickscape.Cli;

/// <summary>The <c>clickscape</c> program: one command per file under <c>Commands/</c>.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the program in-process with the given output streams (used by the tests).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var root = BuildRootCommand();
        var parse = root.Parse(args);
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>The command tree.</summary>
    public static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("Clickscape: label 3D scans from a few clicks.");
        foreach (var command in Commands())
            root.Subcommands.Add(command);
        return root;
    }

    private static IEnumerable<Command> Commands()
    {
        yield return DemoCommand.Create();
        yield return InfoCommand.Create();
        yield return ConvertCommand.Create();
        yield return EvaluateCommand.Create();
        yield return ClicksCommand.Create();
        yield return OversegmentCommand.Create();
        yield return SynthCommand.Create();
        yield return RenderCommand.Create();
        yield return BenchCommand.Create();
        yield return TrainCommand.Create();
        yield return PredictCommand.Create();
        yield return PseudoLabelCommand.Create();
        yield return ServeCommand.Create();
    }
}
