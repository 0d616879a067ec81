using System.Buffers;
using Clickscape.Tensors.Kernels;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Sparse;

/// <summary>
/// Sparse 3-D convolution as gather → GEMM → scatter-add over a <see cref="KernelMap"/>, forward and backward,
/// for the regular (submanifold or strided) and the transposed direction
/// (Graham et al., "3D Semantic Segmentation with Submanifold Sparse Convolutional Networks", CVPR 2018;
/// Choy et al., MinkowskiEngine, CVPR 2019; the CPU path of torchsparse / spconv).
/// </summary>
/// <remarks>
/// <para>Weights are K³ matrices W[k] of shape Cin × Cout, row-major, k the map's offset index. Regular:
/// <c>y[o] = Σ_k Σ_(i,o)∈M_k x[i] · W[k]</c>. Transposed (the inverse of a strided conv, same map):
/// <c>y[i] = Σ_k Σ_(i,o)∈M_k x[o] · W[k]</c> — x lives on the map's output rows, y on its input rows.</para>
/// <para>Backward: <c>dx[i] = Σ dy[o] · W[k]ᵀ</c> and <c>dW[k] = Σ x[i]ᵀ dy[o]</c> over the same pairs.</para>
/// <para>Work is split into tiles of destination rows; a thread owns a contiguous range of tiles and for each
/// tile and offset multiplies that offset's source rows (≤ one tile of them) by W[k] with
/// <see cref="Gemm.MultiplyGathered"/> — the GEMM's packing reads the rows through the map's index, so no gathered
/// copy is written — and adds the product into its own destination rows. Backward likewise reads the
/// output-gradient rows (both GEMMs) and the input rows (dW) through the index. No two threads
/// write the same row, so results are the same bits on every run. The identity offset of a submanifold map is a
/// plain GEMM on the tile's rows (no gather, no scatter), and it initializes the tile. The weight gradient is
/// accumulated per thread over its tiles (one GEMM per tile and offset) and the per-thread partial sums are
/// added in a fixed order, so it is bit-identical for a given thread count.</para>
/// <para>Nothing larger than a tile of one offset is materialized: memory beyond the outputs is
/// O(threads · tile · C).</para>
/// </remarks>
public static class SparseConvolution
{
    /// <summary>
    /// Destination rows per tile: budget / max(C) between 64 and budget / 16, and at most an eighth of the rows so
    /// small sets still split over threads. The forward keeps two tile buffers (gathered rows are read through the
    /// index; the product) and takes a budget of 65 536 floats (4096 rows at C = 16, 256 KiB per buffer); the
    /// backward keeps three plus the 27·Cin·Cout weight-gradient partial and takes 32 768 (2048 rows at C = 16), so
    /// its working set stays in the 1 MiB L2 (measured: the larger forward tile is ~7 % faster at C = 16–32, the
    /// same size for backward slightly slower). Larger tiles mean taller GEMMs (m ≈ tile · pairs / (N · K³)),
    /// which run closer to peak. Depends only on the shapes, never on the thread count.
    /// </summary>
    internal static int TileRows(int targetRows, int inChannels, int outChannels, bool forward = false)
    {
        int budget = forward ? 65536 : 32768;
        int rows = Math.Clamp(budget / Math.Max(inChannels, outChannels), 64, budget / 16);
        int eighth = (targetRows / 8 + 15) & ~15;
        return Math.Max(64, Math.Min(rows, eighth));
    }

    /// <summary>
    /// Regular convolution: <paramref name="y"/> (map.Output.Count × cout) = conv(<paramref name="x"/>
    /// (map.Input.Count × cin)) with <paramref name="weights"/> (K³ × cin × cout). Overwrites y.
    /// </summary>
    public static void Forward(KernelMap map, ReadOnlyMemory<float> x, ReadOnlyMemory<float> weights,
        Memory<float> y, int inChannels, int outChannels)
    {
        ArgumentNullException.ThrowIfNull(map);
        CheckShapes("sparse conv", map, x.Length, map.Input.Count, inChannels, y.Length, map.Output.Count, outChannels, weights.Length);
        Propagate(map.ByOutput, x, weights, transposeWeights: false, y, inChannels, outChannels);
    }

    /// <summary>
    /// Backward of <see cref="Forward"/>: writes <paramref name="gradX"/> (map.Input.Count × cin) and
    /// <paramref name="gradWeights"/> (K³ × cin × cout) from <paramref name="gradY"/> (map.Output.Count × cout).
    /// Pass an empty memory for a gradient that is not needed. Overwrites both, or adds into them when
    /// <paramref name="accumulate"/> is true (autograd gradient buffers).
    /// </summary>
    public static void Backward(KernelMap map, ReadOnlyMemory<float> x, ReadOnlyMemory<float> weights,
        ReadOnlyMemory<float> gradY, Memory<float> gradX, Memory<float> gradWeights, int inChannels, int outChannels,
        bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(map);
        CheckShapes("sparse conv backward", map, x.Length, map.Input.Count, inChannels, gradY.Length, map.Output.Count, outChannels, weights.Length);
        CheckGradients("sparse conv backward", gradX.Length, x.Length, gradWeights.Length, weights.Length);
        BackPropagate(map.ByInput, x, weights, gradY, gradX, gradWeights, inChannels, outChannels, accumulate);
    }

    /// <summary>
    /// Transposed convolution over the same map: <paramref name="y"/> (map.Input.Count × cout) from
    /// <paramref name="x"/> (map.Output.Count × cin), weights K³ × cin × cout. Overwrites y.
    /// </summary>
    public static void TransposedForward(KernelMap map, ReadOnlyMemory<float> x, ReadOnlyMemory<float> weights,
        Memory<float> y, int inChannels, int outChannels)
    {
        ArgumentNullException.ThrowIfNull(map);
        CheckShapes("sparse transposed conv", map, x.Length, map.Output.Count, inChannels, y.Length, map.Input.Count, outChannels, weights.Length);
        Propagate(map.ByInput, x, weights, transposeWeights: false, y, inChannels, outChannels);
    }

    /// <summary>Backward of <see cref="TransposedForward"/>; gradX is map.Output.Count × cin. Overwrites both, or adds with <paramref name="accumulate"/>.</summary>
    public static void TransposedBackward(KernelMap map, ReadOnlyMemory<float> x, ReadOnlyMemory<float> weights,
        ReadOnlyMemory<float> gradY, Memory<float> gradX, Memory<float> gradWeights, int inChannels, int outChannels,
        bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(map);
        CheckShapes("sparse transposed conv backward", map, x.Length, map.Output.Count, inChannels, gradY.Length, map.Input.Count, outChannels, weights.Length);
        CheckGradients("sparse transposed conv backward", gradX.Length, x.Length, gradWeights.Length, weights.Length);
        BackPropagate(map.ByOutput, x, weights, gradY, gradX, gradWeights, inChannels, outChannels, accumulate);
    }

    private static void CheckShapes(string what, KernelMap map, int xLength, int xRows, int cin, int yLength, int yRows, int cout, int wLength)
    {
        if (cin < 1 || cout < 1) throw new ArgumentOutOfRangeException(nameof(cin), $"{what}: channels must be ≥ 1, got in={cin} out={cout}");
        if (xLength != (long)xRows * cin) throw new ArgumentException($"{what}: input features hold {xLength} floats, expected {xRows} rows × {cin} channels");
        if (yLength != (long)yRows * cout) throw new ArgumentException($"{what}: output features hold {yLength} floats, expected {yRows} rows × {cout} channels");
        if (wLength != (long)map.Volume * cin * cout) throw new ArgumentException($"{what}: weights hold {wLength} floats, expected {map.Volume} offsets × {cin} × {cout}");
    }

    private static void CheckGradients(string what, int gxLength, int xLength, int gwLength, int wLength)
    {
        if (gxLength != 0 && gxLength != xLength) throw new ArgumentException($"{what}: input gradient holds {gxLength} floats, expected {xLength} (or empty to skip)");
        if (gwLength != 0 && gwLength != wLength) throw new ArgumentException($"{what}: weight gradient holds {gwLength} floats, expected {wLength} (or empty to skip)");
    }

    /// <summary>First index in [lo, hi) of <paramref name="sorted"/> with value ≥ <paramref name="value"/>.</summary>
    private static int LowerBound(int[] sorted, int lo, int hi, int value)
    {
        while (lo < hi)
        {
            int mid = (int)(((uint)lo + (uint)hi) >> 1);
            if (sorted[mid] < value) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary>
    /// dst[t] = Σ_k Σ_(t,s)∈pairs_k src[s] · op(W[k]) with op = identity (src has cin, dst cout) or transpose
    /// (src has cout, dst cin). W[k] is stored cin × cout either way.
    /// </summary>
    private static void Propagate(OffsetPairs pairs, ReadOnlyMemory<float> src, ReadOnlyMemory<float> weights,
        bool transposeWeights, Memory<float> dst, int inChannels, int outChannels)
    {
        int cs = transposeWeights ? outChannels : inChannels;
        int ct = transposeWeights ? inChannels : outChannels;
        int wSize = inChannels * outChannels;
        int volume = pairs.Volume;
        int tileRows = TileRows(pairs.TargetCount, inChannels, outChannels, forward: true);
        int tiles = (pairs.TargetCount + tileRows - 1) / tileRows;
        ComputeThreads.For(tiles, 1, (tile0, tile1) =>
        {
            var product = ArrayPool<float>.Shared.Rent(tileRows * ct);
            var cursor = new int[volume];
            for (int k = 0; k < volume; k++) cursor[k] = LowerBound(pairs.Target, pairs.Start[k], pairs.Start[k + 1], tile0 * tileRows);
            ReadOnlySpan<float> s = src.Span, w = weights.Span;
            Span<float> d = dst.Span;
            for (int tile = tile0; tile < tile1; tile++)
            {
                int r0 = tile * tileRows, r1 = Math.Min(pairs.TargetCount, r0 + tileRows);
                var dTile = d.Slice(r0 * ct, (r1 - r0) * ct);
                if (pairs.Identity >= 0)
                {
                    // Centre offset of a submanifold map: source rows = destination rows, a plain GEMM that also initializes the tile.
                    Gemm.Multiply(false, transposeWeights, r1 - r0, ct, cs, 1f, s.Slice(r0 * cs, (r1 - r0) * cs), cs,
                        w.Slice(pairs.Identity * wSize, wSize), outChannels, 0f, dTile, ct);
                }
                else
                {
                    dTile.Clear();
                }
                for (int k = 0; k < volume; k++)
                {
                    int j0 = cursor[k], j1 = j0, end = pairs.Start[k + 1];
                    while (j1 < end && pairs.Target[j1] < r1) j1++;
                    cursor[k] = j1;
                    int m = j1 - j0;
                    if (m == 0 || k == pairs.Identity) continue;
                    if (m > tileRows) throw new InvalidOperationException($"sparse conv: offset {k} pairs a destination row twice; the kernel map is corrupt");
                    // Gather → GEMM in one: the GEMM packs the source rows straight from src through the index.
                    Gemm.MultiplyGathered(false, transposeWeights, m, ct, cs, 1f, s, cs, pairs.Source.AsSpan(j0, m),
                        w.Slice(k * wSize, wSize), outChannels, [], 0f, product.AsSpan(0, m * ct), ct);
                    RowGatherScatter.ScatterAdd(product, ct, pairs.Target.AsSpan(j0, m), d);
                }
            }
            ArrayPool<float>.Shared.Return(product);
        });
    }

    /// <summary>
    /// Backward over pairs sorted by the rows of x (targets = rows of x and gradX, sources = rows of gradY):
    /// gradX[t] = Σ gradY[s] · W[k]ᵀ and gradW[k] = Σ x[t]ᵀ gradY[s], in one pass over the tiles; both GEMMs read
    /// the gradY and x rows through the map's index (measured faster than gathering the gradY rows once).
    /// </summary>
    private static void BackPropagate(OffsetPairs pairs, ReadOnlyMemory<float> x, ReadOnlyMemory<float> weights,
        ReadOnlyMemory<float> gradY, Memory<float> gradX, Memory<float> gradWeights, int inChannels, int outChannels, bool accumulate)
    {
        bool needX = !gradX.IsEmpty, needW = !gradWeights.IsEmpty;
        if (!needX && !needW) return;
        int cin = inChannels, cout = outChannels, wSize = cin * cout;
        int volume = pairs.Volume;
        int tileRows = TileRows(pairs.TargetCount, inChannels, outChannels);
        int tiles = (pairs.TargetCount + tileRows - 1) / tileRows;
        var partials = new List<(int Tile, float[] Sum)>();
        var gate = new Lock();
        ComputeThreads.For(tiles, 1, (tile0, tile1) =>
        {
            var product = needX ? ArrayPool<float>.Shared.Rent(tileRows * cin) : [];
            // The per-thread dW partial (27·Cin·Cout floats, often > 85 KB) comes from the engine's pool: a fresh
            // array per call would land on the large-object heap every backward pass and make a training run's
            // memory climb until the GC's next full collection.
            var partial = needW ? TensorStoragePool.Rent(volume * wSize) : [];
            if (needW) partial.AsSpan(0, volume * wSize).Clear();
            var cursor = new int[volume];
            for (int k = 0; k < volume; k++) cursor[k] = LowerBound(pairs.Target, pairs.Start[k], pairs.Start[k + 1], tile0 * tileRows);
            ReadOnlySpan<float> xs = x.Span, w = weights.Span, gy = gradY.Span;
            Span<float> gx = gradX.Span;
            for (int tile = tile0; tile < tile1; tile++)
            {
                int r0 = tile * tileRows, r1 = Math.Min(pairs.TargetCount, r0 + tileRows), rows = r1 - r0;
                if (pairs.Identity >= 0)
                {
                    var gyTile = gy.Slice(r0 * cout, rows * cout);
                    var wId = w.Slice(pairs.Identity * wSize, wSize);
                    if (needX) Gemm.Multiply(false, true, rows, cin, cout, 1f, gyTile, cout, wId, cout, accumulate ? 1f : 0f, gx.Slice(r0 * cin, rows * cin), cin);
                    if (needW) Gemm.Multiply(true, false, cin, cout, rows, 1f, xs.Slice(r0 * cin, rows * cin), cin, gyTile, cout, 1f, partial.AsSpan(pairs.Identity * wSize, wSize), cout);
                }
                else if (needX && !accumulate)
                {
                    gx.Slice(r0 * cin, rows * cin).Clear();
                }
                for (int k = 0; k < volume; k++)
                {
                    int j0 = cursor[k], j1 = j0, end = pairs.Start[k + 1];
                    while (j1 < end && pairs.Target[j1] < r1) j1++;
                    cursor[k] = j1;
                    int m = j1 - j0;
                    if (m == 0 || k == pairs.Identity) continue;
                    if (m > tileRows) throw new InvalidOperationException($"sparse conv: offset {k} pairs a destination row twice; the kernel map is corrupt");
                    var targets = pairs.Target.AsSpan(j0, m);
                    var sources = pairs.Source.AsSpan(j0, m);
                    var wk = w.Slice(k * wSize, wSize);
                    if (needX)
                    {
                        Gemm.MultiplyGathered(false, true, m, cin, cout, 1f, gy, cout, sources, wk, cout, [], 0f, product.AsSpan(0, m * cin), cin);
                        RowGatherScatter.ScatterAdd(product, cin, targets, gx);
                    }
                    if (needW)
                    {
                        Gemm.MultiplyGathered(true, false, cin, cout, m, 1f, xs, cin, targets, gy, cout, sources, 1f, partial.AsSpan(k * wSize, wSize), cout);
                    }
                }
            }
            if (needX) ArrayPool<float>.Shared.Return(product);
            if (needW)
            {
                lock (gate) partials.Add((tile0, partial));
            }
        });
        if (!needW) return;
        // Sum the per-thread partial weight gradients in tile order: deterministic for a given thread count.
        var gw = gradWeights.Span;
        if (!accumulate) gw.Clear();
        partials.Sort((a, b) => a.Tile.CompareTo(b.Tile));
        foreach (var (_, sum) in partials)
        {
            System.Numerics.Tensors.TensorPrimitives.Add(gw, sum.AsSpan(0, gw.Length), gw);
            TensorStoragePool.Return(sum);
        }
    }
}
