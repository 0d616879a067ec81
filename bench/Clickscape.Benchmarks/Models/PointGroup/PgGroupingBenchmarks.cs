using BenchmarkDotNet.Attributes;
using Clickscape.Models.PointGroup;

namespace Clickscape.Benchmarks.Models.PointGroup;

/// <summary>
/// PointGroup dual-set grouping (<see cref="PgGrouping.Group"/>, default options) of a 150 000-point scan with the
/// outputs of a good network faked from ground truth (<see cref="PgGroupingBenchScan"/>): offsets exact (σ = 0, the
/// densest case: every object's shifted points collapse onto its centre) or with 1 cm / 3 cm noise. Grouping runs once
/// per scan at predict time; the budget for network + grouping is 2 s per 150k-point scan.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project bench/Clickscape.Benchmarks -- --filter *PgGrouping*</c>.</remarks>
[MemoryDiagnoser]
public class PgGroupingBenchmarks
{
    private PgGroupingBenchScan _scan = null!;
    private readonly PgGroupingOptions _options = new();

    /// <summary>Offset noise σ in metres.</summary>
    [Params(0f, 0.01f, 0.03f)]
    public float OffsetNoise { get; set; }

    [GlobalSetup]
    public void Setup() => _scan = PgGroupingBenchScan.Create(150_000, OffsetNoise);

    [Benchmark]
    public int Group150k() =>
        PgGrouping.Group(_scan.Positions, _scan.Offsets, _scan.Probabilities, PgGroupingBenchScan.Classes, PgGroupingBenchScan.Stuff, _options).Count;
}
