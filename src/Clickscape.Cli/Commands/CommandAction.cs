using System.CommandLine;
using Clickscape.Data.IO;

namespace Clickscape.Cli.Commands;

/// <summary>
/// Runs a command body and turns the errors a user can cause into one line on standard error and exit code 1 —
/// never a stack trace. Only deliberate validation errors count: <see cref="UsageException"/> (an option out of
/// range), <see cref="DataFormatException"/> (a file or folder that is not what it should be) and file-system
/// errors (missing, unreadable, unwritable). Anything else — an <see cref="ArgumentException"/> from inside the
/// engine included — is a bug: it is printed with its stack trace and the exit code is 2.
/// </summary>
internal static class CommandAction
{
    /// <summary>Exit code for bad input.</summary>
    public const int BadInput = 1;

    /// <summary>Exit code for an internal error (a bug).</summary>
    public const int InternalError = 2;

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
            catch (Exception e)
            {
                error.WriteLine($"internal error (a bug in clickscape, please report it with this trace): {e}");
                return InternalError;
            }
        });

    private static bool IsUserError(Exception e) =>
        e is UsageException or DataFormatException or IOException or UnauthorizedAccessException or InvalidDataException;

    private static string OneLine(string message) => ErrorText.OneLine(message);
}
