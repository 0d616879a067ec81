using BenchmarkDotNet.Attributes;
using Clickscape.Geometry.Neighbors;

namespace Clickscape.Benchmarks.Geometry;

/// <summary>
/// k-d tree build and kNN (k = 16, the point itself included) for all of 100 000 room-surface points, on 1 and 2
/// threads. Reference: SciPy cKDTree.query 0.25 s on one thread (perf-ref/cluster.py).
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project bench/Clickscape.Benchmarks -- --filter *KdTree*</c>.</remarks>
[MemoryDiagnoser]
public class KdTreeBenchmarks
{
    private float[] _points = [];
    private KdTree _tree = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _points = GeometryBenchData.RoomSurfacePoints(100_000, 5);
        _tree = new KdTree(_points);
    }

    [Benchmark]
    public KdTree Build100k() => new(_points);

    /// <summary>The points as a batch of queries.</summary>
    [Benchmark]
    public int[] Knn16Queries100k() => _tree.Nearest(_points, 16, Threads).Indices;

    /// <summary>All points of the tree (queries in tree order).</summary>
    [Benchmark]
    public int[] Knn16All100k() => _tree.NearestAll(16, Threads).Indices;
}
