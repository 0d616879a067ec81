namespace Clickscape.Tensors.Sparse;

/// <summary>
/// An immutable set of integer voxel coordinates (batch, x, y, z), one per feature row of a sparse tensor,
/// with its coordinate hash, its downsampled (coarser) coordinate sets and its kernel maps cached on it
/// (MinkowskiEngine's coordinate manager; torchsparse's per-stride cache).
/// </summary>
/// <remarks>
/// Coordinates are in units of this set's own grid: the set produced by <see cref="Downsample"/> with stride 2
/// holds floor(c / 2), and <see cref="TensorStride"/> records the product of strides relative to the input voxels.
/// Rows are unique; construction throws on a repeated voxel. Thread-safe: caches are built under a lock.
/// </remarks>
public sealed class SparseCoords
{
    private readonly int[] _coordinates;
    private readonly ulong[] _keys;
    private readonly Lock _gate = new();
    private CoordinateHash? _hash;
    private readonly Dictionary<int, SparseCoords> _downsampled = [];
    private readonly Dictionary<(int Kernel, int Stride, int Dilation), KernelMap> _maps = [];

    /// <summary>
    /// Creates a coordinate set from <paramref name="coordinates"/>, N rows of (batch, x, y, z).
    /// </summary>
    /// <param name="coordinates">Row-major N×4 integers; copied.</param>
    /// <param name="tensorStride">Voxel size of this grid relative to the finest grid (≥ 1).</param>
    public SparseCoords(ReadOnlySpan<int> coordinates, int tensorStride = 1)
        : this(coordinates.ToArray(), tensorStride, validateUnique: true)
    {
    }

    private SparseCoords(int[] coordinates, int tensorStride, bool validateUnique)
    {
        if (coordinates.Length % 4 != 0)
            throw new ArgumentException($"sparse coordinates: expected N×4 integers (batch, x, y, z), got {coordinates.Length} values");
        if (tensorStride < 1) throw new ArgumentOutOfRangeException(nameof(tensorStride), tensorStride, "sparse coordinates: tensor stride must be ≥ 1");
        _coordinates = coordinates;
        TensorStride = tensorStride;
        int n = coordinates.Length / 4;
        _keys = new ulong[n];
        for (int i = 0; i < n; i++)
        {
            int b = coordinates[4 * i], x = coordinates[4 * i + 1], y = coordinates[4 * i + 2], z = coordinates[4 * i + 3];
            if (!CoordinateHash.IsPackable(b, x, y, z))
                throw new ArgumentOutOfRangeException(nameof(coordinates), $"sparse coordinates: row {i} = (batch {b}, {x}, {y}, {z}) outside batch [0, {CoordinateHash.MaxBatch}], coordinates [{CoordinateHash.MinCoordinate}, {CoordinateHash.MaxCoordinate}]");
            _keys[i] = CoordinateHash.PackUnchecked(b, x, y, z);
        }
        if (validateUnique) _hash = CoordinateHash.Build(_keys, "sparse coordinates");
        bool ordered = true;
        for (int i = 1; i < n && ordered; i++) ordered = _keys[i] > _keys[i - 1];
        IsKeyOrdered = ordered;
    }

    /// <summary>True when rows ascend in (batch, x, y, z) order (as <see cref="Voxelizer"/> and <see cref="Downsample"/> produce).</summary>
    public bool IsKeyOrdered { get; }

    /// <summary>Creates a coordinate set of batch 0 from N rows of (x, y, z).</summary>
    public static SparseCoords FromXyz(ReadOnlySpan<int> xyz, int tensorStride = 1)
    {
        if (xyz.Length % 3 != 0) throw new ArgumentException($"sparse coordinates: expected N×3 integers (x, y, z), got {xyz.Length} values");
        int n = xyz.Length / 3;
        var c = new int[4 * n];
        for (int i = 0; i < n; i++)
        {
            c[4 * i + 1] = xyz[3 * i];
            c[4 * i + 2] = xyz[3 * i + 1];
            c[4 * i + 3] = xyz[3 * i + 2];
        }
        return new SparseCoords(c, tensorStride, validateUnique: true);
    }

    /// <summary>Number of voxels (rows).</summary>
    public int Count => _keys.Length;

    /// <summary>Voxel size of this grid relative to the finest grid.</summary>
    public int TensorStride { get; }

    /// <summary>The set this one was downsampled from (<see cref="Downsample"/>), or null: the default output of a transposed convolution.</summary>
    public SparseCoords? Finer { get; private init; }

    /// <summary>Row-major N×4 (batch, x, y, z).</summary>
    public ReadOnlySpan<int> Coordinates => _coordinates;

    /// <summary>Packed keys (see <see cref="CoordinateHash.Pack"/>), one per row.</summary>
    public ReadOnlySpan<ulong> Keys => _keys;

    internal ulong[] KeyArray => _keys;

    /// <summary>Coordinate (batch, x, y, z) of row <paramref name="row"/>.</summary>
    public (int Batch, int X, int Y, int Z) this[int row] =>
        (_coordinates[4 * row], _coordinates[4 * row + 1], _coordinates[4 * row + 2], _coordinates[4 * row + 3]);

    /// <summary>Hash from packed key to row, built on first use.</summary>
    public CoordinateHash Hash
    {
        get
        {
            lock (_gate)
            {
                return _hash ??= CoordinateHash.Build(_keys, "sparse coordinates");
            }
        }
    }

    /// <summary>
    /// The coarser set floor(c / <paramref name="stride"/>) (per axis; batch kept), rows sorted by
    /// (batch, x, y, z) so that spatial neighbours are close in memory. Cached.
    /// </summary>
    public SparseCoords Downsample(int stride)
    {
        if (stride < 1) throw new ArgumentOutOfRangeException(nameof(stride), stride, "sparse coordinates: downsample stride must be ≥ 1");
        if (stride == 1) return this;
        lock (_gate)
        {
            if (_downsampled.TryGetValue(stride, out var cached)) return cached;
            int n = Count;
            var seen = new CoordinateHash(n);
            var unique = new List<ulong>(n);
            for (int i = 0; i < n; i++)
            {
                ulong key = CoordinateHash.PackUnchecked(_coordinates[4 * i],
                    FloorDiv(_coordinates[4 * i + 1], stride),
                    FloorDiv(_coordinates[4 * i + 2], stride),
                    FloorDiv(_coordinates[4 * i + 3], stride));
                if (seen.TryAdd(key, unique.Count)) unique.Add(key);
            }
            var keys = unique.ToArray();
            Array.Sort(keys);
            var coarse = new int[4 * keys.Length];
            for (int i = 0; i < keys.Length; i++)
            {
                (coarse[4 * i], coarse[4 * i + 1], coarse[4 * i + 2], coarse[4 * i + 3]) = CoordinateHash.Unpack(keys[i]);
            }
            var result = new SparseCoords(coarse, TensorStride * stride, validateUnique: true) { Finer = this };
            _downsampled[stride] = result;
            return result;
        }
    }

    /// <summary>
    /// The kernel map of a convolution with this set as input: submanifold when <paramref name="stride"/> is 1
    /// (output = this set; odd kernel sizes), otherwise strided with output <see cref="Downsample"/>(stride).
    /// Cached per (kernel size, stride, dilation); the transposed convolution reuses the same map reversed.
    /// </summary>
    public KernelMap GetKernelMap(int kernelSize, int stride = 1, int dilation = 1)
    {
        var output = Downsample(stride);
        lock (_gate)
        {
            if (_maps.TryGetValue((kernelSize, stride, dilation), out var cached)) return cached;
            var map = KernelMap.Build(this, output, kernelSize, stride, dilation);
            _maps[(kernelSize, stride, dilation)] = map;
            return map;
        }
    }

    internal static int FloorDiv(int a, int b)
    {
        int q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }
}
