namespace Clickscape.Cli.Tests;

/// <summary>
/// Base of the command tests: a fresh temporary folder per test (<see cref="Dir"/>, deleted afterwards) and
/// <see cref="Run"/>, which runs <c>clickscape</c> in-process and captures exit code, stdout and stderr.
/// </summary>
public abstract class CommandTest : IDisposable
{
    /// <summary>A temporary folder owned by this test.</summary>
    protected string Dir { get; } = Directory.CreateTempSubdirectory("clickscape-cli-").FullName;

    /// <summary>Runs the program with <paramref name="args"/>.</summary>
    protected static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = Program.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Directory.Delete(Dir, recursive: true);
        GC.SuppressFinalize(this);
    }
}
