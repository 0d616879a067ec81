using BenchmarkDotNet.Attributes;
using Clickscape.Geometry.Clustering;

namespace Clickscape.Benchmarks.Geometry;

/// <summary>
/// Mean-shift (flat kernel, bandwidth 0.1, bin seeding) on 20 000 room points in the unit cube, and seeded
/// k-means (32 clusters, given init) on 100 000 × 19 features, as perf-ref/cluster.py runs scikit-learn
/// (MeanShift 1.0 s single-threaded; KMeans lloyd 0.15 s on one thread).
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project bench/Clickscape.Benchmarks -- --filter *ClusteringBenchmarks*</c>.</remarks>
[MemoryDiagnoser]
public class ClusteringBenchmarks
{
    private float[] _cube = [];
    private float[] _features = [];
    private int[] _seeds = [];
    private int[] _clicks = [];

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cube = GeometryBenchData.UnitCubeRoom(20_000, 7);
        (_features, _seeds, _clicks) = GeometryBenchData.Features19();
    }

    [Benchmark]
    public MeanShiftResult MeanShift20kBw01() => MeanShift.Cluster(_cube, 3, 0.1, binSeeding: true, threads: Threads);

    /// <summary>Plain Lloyd from 32 random rows, like scikit-learn's KMeans(init=rows, n_init=1).</summary>
    [Benchmark]
    public KMeansResult KMeansGivenInit32x100kx19() => SeededKMeans.Cluster(_features, 19, _seeds, threads: Threads, keepAnnotatedPoints: false);

    /// <summary>ClickSeg's seeded k-means from one click per cluster.</summary>
    [Benchmark]
    public KMeansResult SeededKMeansClicks32x100kx19() => SeededKMeans.Cluster(_features, 19, _clicks, threads: Threads);
}
