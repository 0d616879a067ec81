using BenchmarkDotNet.Attributes;
using Clickscape.Tensors.Sparse;
using Clickscape.Tensors.Threading;

namespace Clickscape.Benchmarks.Tensors;

/// <summary>
/// Submanifold sparse convolution 3³ on a room voxelized at 2 cm (<see cref="SparseRoomScene"/>: 235 925 voxels,
/// 2 784 943 map pairs, 11.8 per voxel; the PyTorch reference perf-ref/sparse_conv.py has 236 144 voxels), the
/// same work as the reference's "2 cm" rows: kernel map build, forward, forward + backward (dX and dW).
/// Compare with <c>/usr/bin/python3 perf-ref/sparse_conv.py</c> at the same thread count.
/// </summary>
[MemoryDiagnoser]
public class SparseConvBenchmarks
{
    private SparseCoords _coords = null!;
    private int[] _rawCoords = null!;
    private KernelMap _map = null!;
    private float[] _x = null!, _w = null!, _gy = null!, _y = null!, _gx = null!, _gw = null!;
    private float[] _points = null!;

    /// <summary>Compute threads (the reference is measured at 1 and 2).</summary>
    [Params(1, 2)]
    public int Threads { get; set; }

    /// <summary>Channels in and out.</summary>
    [Params(32)]
    public int Channels { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        ComputeThreads.Count = Threads;
        _points = SparseRoomScene.Points();
        _coords = Voxelizer.Voxelize(_points, ReadOnlySpan<float>.Empty, 0, 0.02f).Coords;
        _rawCoords = _coords.Coordinates.ToArray();
        _map = _coords.GetKernelMap(3);
        int n = _coords.Count, c = Channels;
        var rng = new Random(0);
        _x = Random(rng, n * c, 1f);
        _gy = Random(rng, n * c, 1f);
        _w = Random(rng, 27 * c * c, 1f / MathF.Sqrt(27 * c));
        _y = new float[n * c];
        _gx = new float[n * c];
        _gw = new float[_w.Length];
        SparseConvolution.Backward(_map, _x, _w, _gy, _gx, _gw, c, c); // builds the reversed map once, as training does
        Console.WriteLine($"// scene: {_points.Length / 3} points, {n} voxels at 2 cm, {_map.PairCount} map pairs");
    }

    private static float[] Random(Random rng, int length, float scale)
    {
        var v = new float[length];
        for (int i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return v;
    }

    /// <summary>Coordinate set + hash + 27-offset kernel map from raw coordinates (the reference times sort + searchsorted).</summary>
    [Benchmark]
    public KernelMap KernelMapBuild()
    {
        var coords = new SparseCoords(_rawCoords);
        return KernelMap.Build(coords, coords, 3, 1, 1);
    }

    /// <summary>Forward: y = Σ_k scatter(gather(x) · W[k]).</summary>
    [Benchmark]
    public void Forward() => SparseConvolution.Forward(_map, _x, _w, _y, Channels, Channels);

    /// <summary>Forward, then backward computing dX and dW (the reference's "custom fn" column).</summary>
    [Benchmark]
    public void ForwardBackward()
    {
        SparseConvolution.Forward(_map, _x, _w, _y, Channels, Channels);
        SparseConvolution.Backward(_map, _x, _w, _gy, _gx, _gw, Channels, Channels);
    }

    /// <summary>Voxelization of the ~0.8 M scene points at 2 cm (sorted voxels, point↔voxel maps).</summary>
    [Benchmark]
    public Voxelization Voxelize() => Voxelizer.Voxelize(_points, ReadOnlySpan<float>.Empty, 0, 0.02f);
}
