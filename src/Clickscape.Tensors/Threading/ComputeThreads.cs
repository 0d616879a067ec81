namespace Clickscape.Tensors.Threading;

/// <summary>
/// The number of worker threads every kernel uses, and a deterministic parallel-for over row blocks.
/// </summary>
/// <remarks>
/// The count comes from the <c>CLICKSCAPE_THREADS</c> environment variable when set (a positive integer),
/// otherwise <see cref="Environment.ProcessorCount"/>. Kernels partition their work by OUTPUT rows, so no two
/// threads ever write the same element and results are bit-identical across runs for a given thread count.
/// </remarks>
public static class ComputeThreads
{
    private static int _count = ReadFromEnvironment();

    /// <summary>True on a thread that is running a block of <see cref="For"/>.</summary>
    [ThreadStatic]
    private static bool _insideParallelBlock;

    /// <summary>Threads kernels may use (≥ 1).</summary>
    public static int Count
    {
        get => _count;
        set => _count = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "thread count must be ≥ 1");
    }

    /// <summary>
    /// Sets <see cref="Count"/> to <paramref name="count"/> until the returned scope is disposed, which puts the
    /// previous count back: a command that takes <c>--threads</c> writes <c>using var _ = ComputeThreads.Use(n);</c>
    /// instead of saving and restoring the count by hand.
    /// </summary>
    public static IDisposable Use(int count)
    {
        var scope = new CountScope(_count);
        Count = count;
        return scope;
    }

    private sealed class CountScope(int previous) : IDisposable
    {
        public void Dispose() => _count = previous;
    }

    private static int ReadFromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("CLICKSCAPE_THREADS");
        if (string.IsNullOrWhiteSpace(text)) return Environment.ProcessorCount;
        return int.TryParse(text, out var n) && n >= 1
            ? n
            : throw new InvalidOperationException($"CLICKSCAPE_THREADS='{text}': expected a positive integer");
    }

    /// <summary>
    /// Runs <paramref name="body"/>(start, end) over <c>[0, length)</c> split into at most <see cref="Count"/>
    /// contiguous blocks of at least <paramref name="minBlock"/> items. Runs inline when one block suffices,
    /// so small problems pay no scheduling cost, and when called from inside another <see cref="For"/> block
    /// (a GEMM inside a sparse-convolution tile): the outer loop already uses every thread, and nesting
    /// would only oversubscribe the cores. Block boundaries depend only on the arguments, so results stay
    /// the same.
    /// </summary>
    public static void For(int length, int minBlock, Action<int, int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (length <= 0) return;
        int blocks = Math.Min(Count, Math.Max(1, length / Math.Max(1, minBlock)));
        if (blocks == 1 || _insideParallelBlock)
        {
            body(0, length);
            return;
        }
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks }, b =>
        {
            long start = (long)length * b / blocks;
            long end = (long)length * (b + 1) / blocks;
            bool outer = _insideParallelBlock;
            _insideParallelBlock = true;
            try
            {
                body((int)start, (int)end);
            }
            finally
            {
                _insideParallelBlock = outer;
            }
        });
    }
}
