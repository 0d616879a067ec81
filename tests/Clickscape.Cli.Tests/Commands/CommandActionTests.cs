using System.CommandLine;
using Clickscape.Cli.Commands;
using Clickscape.Data.IO;

namespace Clickscape.Cli.Tests.Commands;

/// <summary>Only deliberate validation errors become one <c>error:</c> line and exit 1; anything else is a bug
/// that must show its stack trace and exit 2.</summary>
public sealed class CommandActionTests
{
    private static (int Code, string Err) Invoke(Exception thrown)
    {
        var command = new RootCommand("test");
        CommandAction.Set(command, (_, _) => throw thrown);
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = command.Parse([]).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, error.ToString());
    }

    public static TheoryData<Exception> UserErrors() =>
    [
        new UsageException("--count 0: expected at least 1"),
        new DataFormatException("scene.ply", "truncated vertex list"),
        new FileNotFoundException("scene.ply: no such file"),
        new DirectoryNotFoundException("data/: no such folder"),
        new UnauthorizedAccessException("out/: permission denied"),
    ];

    [Theory]
    [MemberData(nameof(UserErrors))]
    public void ValidationErrorsAreOneLineAndExitOne(Exception e)
    {
        var (code, err) = Invoke(e);
        Assert.Equal(CommandAction.BadInput, code);
        Assert.Equal($"error: {e.Message}", err.TrimEnd());
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    public static TheoryData<Exception> Bugs() =>
    [
        new ArgumentException("sparse conv: features have shape [3,4], expected [3,5]"),
        new ArgumentOutOfRangeException("index", "index 7 out of range"),
        new InvalidOperationException("kernel map is corrupt"),
        new FormatException("bad number"),
    ];

    [Theory]
    [MemberData(nameof(Bugs))]
    public void AnythingElseIsACrashWithATraceAndExitTwo(Exception e)
    {
        Exception thrown;
        try
        {
            throw e; // give it a stack trace
        }
        catch (Exception caught)
        {
            thrown = caught;
        }
        var (code, err) = Invoke(thrown);
        Assert.Equal(CommandAction.InternalError, code);
        Assert.StartsWith("internal error", err, StringComparison.Ordinal);
        Assert.Contains(e.GetType().FullName!, err, StringComparison.Ordinal);
        Assert.Contains("   at ", err, StringComparison.Ordinal);
    }
}
