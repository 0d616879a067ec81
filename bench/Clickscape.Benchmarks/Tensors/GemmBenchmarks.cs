using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Clickscape.Tensors.Kernels;
using Clickscape.Tensors.Threading;

namespace Clickscape.Benchmarks.Tensors;

/// <summary>
/// SGEMM on the shapes the engine runs: sparse-conv forward X·W (N×C)·(C×C), its weight gradient Xᵀ·G
/// (N×C)ᵀ·(N×C), and square 1024³ / 2048³, on 1 and 2 threads. GFLOP/s = 2·m·n·k / time; the
/// <c>Flop</c> column is printed per case (divide by the mean in ns to get GFLOP/s).
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project bench/Clickscape.Benchmarks -- --filter *GemmBenchmarks*</c>.</remarks>
[MemoryDiagnoser]
[Config(typeof(GflopsConfig))]
public class GemmBenchmarks
{
    /// <summary>One benchmark shape: the label says which GEMM of the network it is.</summary>
    public sealed record Shape(string Label, bool TransA, int M, int N, int K)
    {
        public override string ToString() => Label;
    }

    public static IEnumerable<Shape> Shapes()
    {
        foreach (int rows in new[] { 20_000, 100_000 })
            foreach (int channels in new[] { 16, 32, 64, 128 })
                yield return new Shape($"XW {rows}x{channels}", false, rows, channels, channels);
        foreach (int rows in new[] { 20_000, 100_000 })
            foreach (int channels in new[] { 16, 32, 64, 128 })
                yield return new Shape($"XtG {rows}x{channels}", true, channels, channels, rows);
        yield return new Shape("square 1024", false, 1024, 1024, 1024);
        yield return new Shape("square 2048", false, 2048, 2048, 2048);
    }

    [ParamsSource(nameof(Shapes))]
    public Shape Case { get; set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    private float[] _a = [], _b = [], _c = [];
    private int _savedThreads;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _a = new float[(long)Case.M * Case.K];
        _b = new float[(long)Case.K * Case.N];
        _c = new float[(long)Case.M * Case.N];
        for (int i = 0; i < _a.Length; i++) _a[i] = (float)rng.NextDouble() - 0.5f;
        for (int i = 0; i < _b.Length; i++) _b[i] = (float)rng.NextDouble() - 0.5f;
        _savedThreads = ComputeThreads.Count;
        ComputeThreads.Count = Threads;
    }

    [GlobalCleanup]
    public void Cleanup() => ComputeThreads.Count = _savedThreads;

    [Benchmark]
    public void Multiply()
    {
        int lda = Case.TransA ? Case.M : Case.K;
        Gemm.Multiply(Case.TransA, false, Case.M, Case.N, Case.K, 1f, _a, lda, _b, Case.N, 0f, _c, Case.N);
    }
}

/// <summary>Adds the GFLOP/s column to <see cref="GemmBenchmarks"/>.</summary>
public sealed class GflopsConfig : ManualConfig
{
    public GflopsConfig() => AddColumn(new GflopsColumn());
}

/// <summary>2·m·n·k / mean time, from the <see cref="GemmBenchmarks.Shape"/> parameter of each case.</summary>
public sealed class GflopsColumn : IColumn
{
    public string Id => nameof(GflopsColumn);
    public string ColumnName => "GFLOP/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "2·m·n·k / mean time, in 10^9 floating-point operations per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } stats || benchmarkCase.Parameters["Case"] is not GemmBenchmarks.Shape shape) return "-";
        double flop = 2.0 * shape.M * shape.N * shape.K;
        return (flop / stats.Mean).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
