using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Sparse;

/// <summary>
/// The kernel map of a sparse 3-D convolution: for every kernel offset k, the (input row, output row) pairs
/// with <c>input = output · stride + d_k · dilation</c> (Choy et al., "4D Spatio-Temporal ConvNets:
/// Minkowski Convolutional Neural Networks", CVPR 2019, Eq. 3; Tang et al., "TorchSparse", MLSys 2022).
/// </summary>
/// <remarks>
/// <para>Offsets: for an odd kernel size K, d ∈ {−K/2 … K/2}³ (centred); for an even K, d ∈ {0 … K−1}³ (so
/// kernel 2 stride 2 maps every input voxel c to output floor(c/2)). Offset index
/// <c>k = (ix·K + iy)·K + iz</c> with x slowest, the order of a dense [kx, ky, kz] weight.</para>
/// <para>Storage: pairs concatenated by offset (<see cref="OffsetStart"/>), within one offset sorted by output
/// row. Every output row appears at most once per offset (its input is determined by the offset), and so does
/// every input row. <see cref="ByInput"/> is the same map reversed (sorted by input row), built on first use:
/// it partitions the input-gradient pass and the transposed convolution by their destination rows.</para>
/// <para>Building is parallel over blocks of output rows; the result does not depend on the thread count.
/// A submanifold map (stride 1, output = input) has an identity offset (the centre) that holds every row
/// paired with itself; convolutions treat it as a plain GEMM.</para>
/// </remarks>
public sealed class KernelMap
{
    private const int BuildBlock = 2048;
    private OffsetPairs? _byInput;
    private readonly Lock _gate = new();

    private KernelMap(SparseCoords input, SparseCoords output, int kernelSize, int stride, int dilation,
        int identityOffset, int[] offsetStart, int[] inputRows, int[] outputRows)
    {
        Input = input;
        Output = output;
        KernelSize = kernelSize;
        Stride = stride;
        Dilation = dilation;
        IdentityOffset = identityOffset;
        _offsetStart = offsetStart;
        _inputRows = inputRows;
        _outputRows = outputRows;
        ByOutput = new OffsetPairs(offsetStart, outputRows, inputRows, output.Count, input.Count, identityOffset);
    }

    /// <summary>Input coordinate set.</summary>
    public SparseCoords Input { get; }

    /// <summary>Output coordinate set (the input itself for a submanifold map).</summary>
    public SparseCoords Output { get; }

    /// <summary>Kernel size per axis.</summary>
    public int KernelSize { get; }

    /// <summary>Stride per axis.</summary>
    public int Stride { get; }

    /// <summary>Dilation per axis.</summary>
    public int Dilation { get; }

    /// <summary>Number of offsets, K³.</summary>
    public int Volume => KernelSize * KernelSize * KernelSize;

    /// <summary>Index of the offset whose pairs are (i, i) for every row, or -1 (not submanifold).</summary>
    public int IdentityOffset { get; }

    // Read-only views outside: the convolution kernels index feature rows with these without bounds checks.
    private readonly int[] _offsetStart, _inputRows, _outputRows;

    /// <summary>Pairs of offset k are at [OffsetStart[k], OffsetStart[k+1]).</summary>
    public ReadOnlySpan<int> OffsetStart => _offsetStart;

    /// <summary>Input row of every pair.</summary>
    public ReadOnlySpan<int> InputRows => _inputRows;

    /// <summary>Output row of every pair (ascending within one offset).</summary>
    public ReadOnlySpan<int> OutputRows => _outputRows;

    /// <summary>Total number of pairs over all offsets.</summary>
    public int PairCount => _inputRows.Length;

    /// <summary>Offset of index <paramref name="k"/> in voxels (before dilation).</summary>
    public (int Dx, int Dy, int Dz) Offset(int k) => OffsetOf(k, KernelSize);

    internal OffsetPairs ByOutput { get; }

    /// <summary>The map reversed: pairs sorted by input row within each offset (targets = input rows).</summary>
    internal OffsetPairs ByInput
    {
        get
        {
            lock (_gate)
            {
                return _byInput ??= Reverse();
            }
        }
    }

    internal static (int Dx, int Dy, int Dz) OffsetOf(int k, int kernelSize)
    {
        int lo = kernelSize % 2 == 1 ? -(kernelSize / 2) : 0;
        int iz = k % kernelSize, iy = k / kernelSize % kernelSize, ix = k / (kernelSize * kernelSize);
        return (ix + lo, iy + lo, iz + lo);
    }

    /// <summary>
    /// Builds the map between <paramref name="input"/> and <paramref name="output"/> (normally obtained through
    /// <see cref="SparseCoords.GetKernelMap"/>, which caches it). Stride 1 requires output = input and an odd kernel.
    /// </summary>
    public static KernelMap Build(SparseCoords input, SparseCoords output, int kernelSize, int stride, int dilation)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (kernelSize < 1 || stride < 1 || dilation < 1)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), $"kernel map: kernel size {kernelSize}, stride {stride}, dilation {dilation} must all be ≥ 1");
        if (kernelSize * dilation > 512 || stride > 512)
            throw new ArgumentOutOfRangeException(nameof(kernelSize), $"kernel map: kernel reach {kernelSize}×{dilation} and stride {stride} must be ≤ 512 voxels");
        bool submanifold = stride == 1 && ReferenceEquals(input, output);
        if (stride == 1 && kernelSize % 2 == 0)
            throw new ArgumentException($"kernel map: a stride-1 (submanifold) convolution needs an odd kernel size, got {kernelSize}");
        if (input.TensorStride * stride != output.TensorStride)
            throw new ArgumentException($"kernel map: output tensor stride {output.TensorStride} ≠ input tensor stride {input.TensorStride} × stride {stride}");

        int volume = kernelSize * kernelSize * kernelSize;
        int identity = submanifold ? volume / 2 : -1;
        var delta = new ulong[volume];
        for (int k = 0; k < volume; k++)
        {
            var (dx, dy, dz) = OffsetOf(k, kernelSize);
            delta[k] = CoordinateHash.PackOffset(dx * dilation, dy * dilation, dz * dilation);
        }

        var hash = input.Hash;
        var outKeys = output.KeyArray;
        int[] outCoords = stride == 1 ? [] : output.Coordinates.ToArray();
        int nOut = output.Count;
        // A submanifold map is symmetric: (i, o) pairs offset d iff (o, i) pairs −d. Only the offsets before the
        // centre are looked up; the centre is the identity and the offsets after it are mirrored.
        int looked = submanifold ? identity : volume;
        int blocks = (nOut + BuildBlock - 1) / BuildBlock;
        // Per block, its pairs grouped by offset: counts[b][k], rows[b] = (input rows, output rows).
        var blockCounts = new int[blocks][];
        var blockIn = new int[blocks][];
        var blockOut = new int[blocks][];

        // Rows in key order (voxelizer / downsample output) allow the column merge below instead of one hash probe per pair.
        var columns = submanifold && input.IsKeyOrdered ? ColumnIndex.Build(input.KeyArray, input.Count) : null;

        ulong BaseKey(int o) => stride == 1
            ? outKeys[o]
            : CoordinateHash.PackUnchecked(outCoords[4 * o], outCoords[4 * o + 1] * stride,
                outCoords[4 * o + 2] * stride, outCoords[4 * o + 3] * stride);

        ComputeThreads.For(blocks, 1, (b0, b1) =>
        {
            var neighbours = new int[BuildBlock * looked];
            for (int b = b0; b < b1; b++)
            {
                int r0 = b * BuildBlock, r1 = Math.Min(nOut, r0 + BuildBlock);
                var counts = new int[looked];
                if (columns is not null)
                {
                    columns.LookUpNeighbours(outKeys, r0, r1, kernelSize, dilation, looked, neighbours, counts);
                }
                else
                {
                    // Software pipeline: prefetch the home slots of row o + Ahead while probing row o, so the probes of
                    // row o find their lines in cache (the table is several MiB, the probes are otherwise L3/DRAM misses).
                    const int Ahead = 3;
                    for (int o = r0; o < Math.Min(r1, r0 + Ahead); o++) Prefetch(hash, BaseKey(o), delta, looked);
                    for (int o = r0; o < r1; o++)
                    {
                        if (o + Ahead < r1) Prefetch(hash, BaseKey(o + Ahead), delta, looked);
                        LookUpNeighbours(hash, BaseKey(o), delta, neighbours.AsSpan((o - r0) * looked, looked), counts);
                    }
                }
                // Group this block's pairs by offset, keeping output rows ascending.
                int total = 0;
                for (int k = 0; k < looked; k++) total += counts[k];
                var ins = new int[total];
                var outs = new int[total];
                var cursor = new int[looked];
                for (int k = 1; k < looked; k++) cursor[k] = cursor[k - 1] + counts[k - 1];
                for (int o = r0; o < r1; o++)
                {
                    int baseIndex = (o - r0) * looked;
                    for (int k = 0; k < looked; k++)
                    {
                        int i = neighbours[baseIndex + k];
                        if (i < 0) continue;
                        int at = cursor[k]++;
                        ins[at] = i;
                        outs[at] = o;
                    }
                }
                blockCounts[b] = counts;
                blockIn[b] = ins;
                blockOut[b] = outs;
            }
        });

        // Layout: offset-major; within a looked-up offset, blocks in order (so output rows ascend).
        var count = new int[volume];
        for (int k = 0; k < looked; k++)
            for (int b = 0; b < blocks; b++) count[k] += blockCounts[b][k];
        if (submanifold)
        {
            count[identity] = nOut;
            for (int k = identity + 1; k < volume; k++) count[k] = count[volume - 1 - k];
        }
        var offsetStart = new int[volume + 1];
        for (int k = 0; k < volume; k++) offsetStart[k + 1] = offsetStart[k] + count[k];
        int pairs = offsetStart[volume];
        var inputRows = GC.AllocateUninitializedArray<int>(pairs);
        var outputRows = GC.AllocateUninitializedArray<int>(pairs);
        var blockStart = new int[blocks * Math.Max(1, looked)];
        for (int k = 0; k < looked; k++)
        {
            int at = offsetStart[k];
            for (int b = 0; b < blocks; b++)
            {
                blockStart[b * looked + k] = at;
                at += blockCounts[b][k];
            }
        }
        ComputeThreads.For(blocks, 1, (b0, b1) =>
        {
            for (int b = b0; b < b1; b++)
            {
                int src = 0;
                for (int k = 0; k < looked; k++)
                {
                    int c = blockCounts[b][k];
                    Array.Copy(blockIn[b], src, inputRows, blockStart[b * looked + k], c);
                    Array.Copy(blockOut[b], src, outputRows, blockStart[b * looked + k], c);
                    src += c;
                }
            }
        });
        if (submanifold)
        {
            for (int i = 0; i < nOut; i++) inputRows[offsetStart[identity] + i] = outputRows[offsetStart[identity] + i] = i;
            ComputeThreads.For(identity, 1, (k0, k1) =>
            {
                int[]? slot = null;
                for (int k = k0; k < k1; k++)
                {
                    // Offset −d = the pairs of d swapped, re-sorted by their new output row. When the rows are in key
                    // order (voxelizer and downsample output), input rows already ascend with output rows
                    // (key(i) = key(o) + δ is monotonic in key(o)), so the swap is a copy; otherwise counting-sort.
                    int m = offsetStart[k + 1] - offsetStart[k], mirrored = offsetStart[volume - 1 - k];
                    if (IsAscending(inputRows.AsSpan(offsetStart[k], m)))
                    {
                        Array.Copy(inputRows, offsetStart[k], outputRows, mirrored, m);
                        Array.Copy(outputRows, offsetStart[k], inputRows, mirrored, m);
                        continue;
                    }
                    slot ??= new int[nOut];
                    slot.AsSpan().Fill(-1);
                    for (int j = offsetStart[k]; j < offsetStart[k + 1]; j++) slot[inputRows[j]] = outputRows[j];
                    int at = offsetStart[volume - 1 - k];
                    for (int o = 0; o < nOut; o++)
                    {
                        if (slot[o] < 0) continue;
                        inputRows[at] = slot[o];
                        outputRows[at] = o;
                        at++;
                    }
                }
            });
        }
        return new KernelMap(input, output, kernelSize, stride, dilation, identity, offsetStart, inputRows, outputRows);
    }

    /// <summary>
    /// Fills <paramref name="row"/>[k] with the input row at <paramref name="baseKey"/> + delta[k] (or -1) for the
    /// first row.Length offsets and counts hits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void LookUpNeighbours(CoordinateHash hash, ulong baseKey, ulong[] delta, Span<int> row, int[] counts)
    {
        ref ulong d0 = ref MemoryMarshal.GetArrayDataReference(delta);
        for (int k = 0; k < row.Length; k++)
        {
            int i = hash.Find(baseKey + Unsafe.Add(ref d0, k));
            row[k] = i;
            if (i >= 0) counts[k]++;
        }
    }

    /// <summary>
    /// The (batch, x, y) columns of a key-ordered coordinate set: each column's voxels are consecutive rows with
    /// ascending z, and a hash maps a column to its row range. A submanifold neighbour search then needs one hash
    /// probe per neighbouring column — shared by all output voxels of one column, which are consecutive rows — and a
    /// forward merge along z inside it (the key order makes every cursor move forward only).
    /// </summary>
    private sealed class ColumnIndex
    {
        private const int ZBits = 19;
        private const ulong ZMask = (1UL << ZBits) - 1;
        private readonly CoordinateHash _hash;
        private readonly int[] _start;

        private ColumnIndex(CoordinateHash hash, int[] start) => (_hash, _start) = (hash, start);

        public static ColumnIndex Build(ulong[] keys, int n)
        {
            int columns = 0;
            for (int i = 0; i < n; i++)
            {
                if (i == 0 || keys[i] >> ZBits != keys[i - 1] >> ZBits) columns++;
            }
            var start = new int[columns + 1];
            var hash = new CoordinateHash(columns);
            int c = 0;
            for (int i = 0; i < n; i++)
            {
                if (i != 0 && keys[i] >> ZBits == keys[i - 1] >> ZBits) continue;
                start[c] = i;
                hash.GetOrAdd(keys[i] >> ZBits, c);
                c++;
            }
            start[columns] = n;
            return new ColumnIndex(hash, start);
        }

        /// <summary>Fills neighbours[(o − r0)·looked + k] for output rows [r0, r1) and the first <paramref name="looked"/> offsets.</summary>
        public void LookUpNeighbours(ulong[] keys, int r0, int r1, int kernelSize, int dilation, int looked, int[] neighbours, int[] counts)
        {
            int half = kernelSize / 2;
            int columnCount = (looked + kernelSize - 1) / kernelSize;
            var columnDelta = new ulong[columnCount];
            for (int j = 0; j < columnCount; j++)
            {
                // Column index j = ix·K + iy; a column key is a voxel key shifted right by 19, so x/y offsets move
                // it like PackOffset(0, dx, dy) moves a voxel key.
                columnDelta[j] = CoordinateHash.PackOffset(0, (j / kernelSize - half) * dilation, (j % kernelSize - half) * dilation);
            }
            var end = new int[columnCount];
            var cursor = new int[columnCount];
            ulong current = ulong.MaxValue;
            int reach = half * dilation;
            for (int o = r0; o < r1; o++)
            {
                ulong key = keys[o];
                ulong column = key >> ZBits;
                long z = (long)(key & ZMask);
                if (column != current)
                {
                    current = column;
                    for (int j = 0; j < columnCount; j++)
                    {
                        int c = _hash.Find(column + columnDelta[j]);
                        (cursor[j], end[j]) = c < 0 ? (0, 0) : (_start[c], _start[c + 1]);
                    }
                }
                int baseIndex = (o - r0) * looked;
                for (int j = 0; j < columnCount; j++)
                {
                    int p = cursor[j], e = end[j];
                    while (p < e && (long)(keys[p] & ZMask) < z - reach) p++;
                    cursor[j] = p;
                    for (int iz = 0; iz < kernelSize; iz++)
                    {
                        int k = j * kernelSize + iz;
                        if (k >= looked) break;
                        long target = z + (iz - half) * dilation;
                        while (p < e && (long)(keys[p] & ZMask) < target) p++;
                        int found = p < e && (long)(keys[p] & ZMask) == target ? p : -1;
                        neighbours[baseIndex + k] = found;
                        if (found >= 0) counts[k]++;
                    }
                }
            }
        }
    }

    private static bool IsAscending(ReadOnlySpan<int> rows)
    {
        for (int j = 1; j < rows.Length; j++)
        {
            if (rows[j] <= rows[j - 1]) return false;
        }
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Prefetch(CoordinateHash hash, ulong baseKey, ulong[] delta, int count)
    {
        ref ulong d0 = ref MemoryMarshal.GetArrayDataReference(delta);
        for (int k = 0; k < count; k++) hash.Prefetch(baseKey + Unsafe.Add(ref d0, k));
    }

    /// <summary>Sorts each offset's pairs by input row. Submanifold maps mirror offset k onto K³−1−k (d ↦ −d).</summary>
    private OffsetPairs Reverse()
    {
        int volume = Volume;
        var start = new int[volume + 1];
        var target = GC.AllocateUninitializedArray<int>(PairCount);
        var source = GC.AllocateUninitializedArray<int>(PairCount);
        for (int k = 0; k < volume; k++) start[k + 1] = start[k] + (_offsetStart[k + 1] - _offsetStart[k]);
        bool mirror = IdentityOffset >= 0;
        ComputeThreads.For(volume, 1, (k0, k1) =>
        {
            int[]? slot = null;
            for (int k = k0; k < k1; k++)
            {
                if (mirror)
                {
                    // Pairs of offset −d sorted by output row are exactly the pairs of offset d sorted by input row.
                    int m = volume - 1 - k;
                    int mirroredLength = _offsetStart[m + 1] - _offsetStart[m];
                    Array.Copy(_outputRows, _offsetStart[m], target, start[k], mirroredLength);
                    Array.Copy(_inputRows, _offsetStart[m], source, start[k], mirroredLength);
                    continue;
                }
                int len = _offsetStart[k + 1] - _offsetStart[k];
                if (IsAscending(_inputRows.AsSpan(_offsetStart[k], len)))
                {
                    // Rows in key order on both sides: sorting by output already sorted by input.
                    Array.Copy(_inputRows, _offsetStart[k], target, start[k], len);
                    Array.Copy(_outputRows, _offsetStart[k], source, start[k], len);
                    continue;
                }
                slot ??= new int[Input.Count];
                slot.AsSpan().Fill(-1);
                for (int j = _offsetStart[k]; j < _offsetStart[k + 1]; j++) slot[_inputRows[j]] = _outputRows[j];
                int at = start[k];
                for (int i = 0; i < slot.Length; i++)
                {
                    if (slot[i] < 0) continue;
                    target[at] = i;
                    source[at] = slot[i];
                    at++;
                }
            }
        });
        return new OffsetPairs(start, target, source, Input.Count, Output.Count, IdentityOffset);
    }
}

/// <summary>
/// One direction of a kernel map: per offset k, pairs (target row, source row) at [Start[k], Start[k+1]),
/// ascending by target row. Target rows are the rows a pass writes; sources the rows it gathers.
/// </summary>
internal sealed record OffsetPairs(int[] Start, int[] Target, int[] Source, int TargetCount, int SourceCount, int Identity)
{
    public int Volume => Start.Length - 1;
}
