using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Clickscape.Cli.Commands;
using Clickscape.Data.IO;

namespace Clickscape.Cli;

/// <summary>The <c>clickscape</c> program: one command per file under <c>Commands/</c>.</summary>
public static class Program
{
    /// <summary>Entry point.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the program in-process with the given output streams (used by the tests).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var root = BuildRootCommand();
        // No response files: "@/dev/zero" (or a FIFO, or a huge file) as an argument would be read to the end
        // before any check of ours; every argument is taken literally instead.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0 && parse.Action is ParseErrorAction)
        {
            // System.CommandLine would print the errors and the whole help text; we promise one line.
            error.WriteLine(ParseErrorLine(parse));
            return CommandAction.BadInput;
        }
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }

    /// <summary>
    /// The one-line form of the parse errors (unknown option, value of the wrong type, missing option or
    /// argument): <c>error: …; … (see 'clickscape CMD --help')</c>, every token cleaned by <see cref="ErrorText.OneLine"/>.
    /// </summary>
    internal static string ParseErrorLine(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var messages = parse.Errors.Select(e => e.Message.TrimEnd('.')).Distinct(StringComparer.Ordinal).ToList();
        var names = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as CommandResult)
            names.Add(result.Command is RootCommand ? "clickscape" : result.Command.Name);
        names.Reverse();
        return "error: " + ErrorText.OneLine($"{string.Join("; ", messages)} (see '{string.Join(' ', names)} --help')");
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
        yield return InteractiveCommand.Create();
    }
}
