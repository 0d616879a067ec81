using System.CommandLine;
using Clickscape.Tensors.Threading;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>--threads N</c>: the compute threads of one command. Every command that computes adds it with one line
/// (<c>var threads = new ThreadsOption();</c>) and runs its work inside <c>using var _ = threads.Use(parse);</c>,
/// which checks the value and puts the previous <see cref="ComputeThreads.Count"/> back when the command ends.
/// </summary>
internal sealed class ThreadsOption : Option<int?>
{
    public ThreadsOption()
        : base("--threads")
    {
        Description = "Compute threads (default: CLICKSCAPE_THREADS or all cores).";
    }

    /// <summary>The thread count given (checked), else the current <see cref="ComputeThreads.Count"/>.</summary>
    public int Count(ParseResult parse)
    {
        int? t = parse.GetValue(this);
        if (t is < 1) throw new UsageException($"--threads {t}: expected a positive thread count");
        return t ?? ComputeThreads.Count;
    }

    /// <summary>Uses <see cref="Count"/> threads until the returned scope is disposed.</summary>
    public IDisposable Use(ParseResult parse) => ComputeThreads.Use(Count(parse));
}
