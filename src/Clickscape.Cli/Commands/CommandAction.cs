using System.CommandLine;
using Clickscape.Data.IO;

namespace Clickscape.Cli.Commands;

/// <summary>
/// Runs a command body and turns the errors a user can cause (a bad file, a missing folder, an argument out
/// of range) into one line on standard error and exit code 1 — never a stack trace. Anything else is a bug
/// and propagates.
/// </summary>
internal static class CommandAction
{
    /// <summary>Exit code for bad input.</summary>
    public const int BadInput = 1;

    /// <summary>Sets <paramref name="body"/> as the action of <paramref name="command"/>.</summary>
    public static void Set(Command command, Func<ParseResult, TextWriter, int> body) =>
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            try
            {
                return body(parse, output);
            }
            catch (Exception e) when (IsUserError(e))
            {
                error.WriteLine($"error: {OneLine(e.Message)}");
                return BadInput;
            }
        });

    private static bool IsUserError(Exception e) =>
        e is UsageException or DataFormatException or FileNotFoundException or DirectoryNotFoundException or IOException
            or UnauthorizedAccessException or ArgumentException or FormatException or InvalidDataException;

    private static string OneLine(string message) => ErrorText.OneLine(message);
}
