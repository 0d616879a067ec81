using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Clickscape.Tensors.Kernels;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Direct 2-D convolution, forward and backward, on a padded, polyphase-split copy of the input (Zhang,
/// Franchetti &amp; Low, "High Performance Zero-Memory Overhead Direct Convolutions", ICML 2018, for the register
/// blocking; the polyphase split of a strided filter is the polyphase decomposition of multirate filter banks,
/// Vaidyanathan, "Multirate Systems and Filter Banks", 1993). The heavy loops are <see cref="ShiftedGemm"/>.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> The zero-padded input (Hp = H + 2p rows, Wp = W + 2p columns) is split into s × s phases
/// (s = stride): phase (φr, φc) holds padded pixels (ρ·s + φr, κ·s + φc) at ρ·Wq + κ, Wq = ⌈Wp/s⌉. Padded row
/// oh·s + kh·d lies in row phase (kh·d) mod s at row oh + ⌊kh·d/s⌋, likewise for columns, so with the output put
/// on a virtual grid of row stride Wq (position q = oh·Wq + ow, columns ow ≥ OutW computed and discarded), tap
/// t = (ci, kh, kw) reads the phase plane at q + shift(t), shift = ⌊kh·d/s⌋·Wq + ⌊kw·d/s⌋: every tap is a
/// contiguous window of one buffer, for any stride and dilation, and the product
/// y[co, q] = Σ_t W[co, t] · P[offset(t) + q] needs no im2col matrix (9× the input for 3 × 3) and no packing of it.
/// The phase copy is the input once (plus padding); the discarded columns cost (Wq − OutW)/Wq (3 % at 64 × 64,
/// p = 1).</para>
/// <para><b>Backward.</b> With G put on the same virtual grid (zeros in the discarded columns and around):
/// ∂W[co, t] = Σ_q G[co, q] · P[offset(t) + q] (<see cref="ShiftedGemm.DotTile"/>, no col matrix either), and the
/// input gradient is the adjoint, ∂P_φ[ci, r] = Σ_{t in phase φ} Σ_co W[co, ci, t] · G[co, r − shift(t)]: for stride 1
/// a convolution of G with the flipped kernel, for stride s one such convolution per phase with that phase's taps.
/// It is the forward kernel again, on G stored from GLead ≥ the largest shift (zeros before), computed only on the
/// phase rows that hold input pixels, so there is no col2im scatter and no two threads add to one pixel (each pixel
/// is one position of one phase). The bias gradient sums G per channel.</para>
/// <para><b>Threads.</b> Forward and input gradient: work items are (image, block of grid positions), each
/// writing its own output. Weight gradient: items are 4 × 4 blocks of ∂W, each summing over images and position
/// chunks in a fixed order. So every element sees the same operations for any thread count (bit-identical
/// results across <see cref="ComputeThreads.Count"/>), and images, rows and channels are all parallel.</para>
/// <para><b>Blocking.</b> A forward block of positions (≤ 32 K floats of output, 128 KiB) reads about
/// Cin × (block + 2·Wq) floats of the phases (174 KiB for 64 channels at 64 × 64), both in L2 (1 MiB), while the
/// 8-row weight sliver (Cin·9·8 floats, 18 KiB) stays in L1 across the block's tiles. The weight gradient runs
/// groups of 16 output channels tap block by tap block over chunks of up to 8192 positions: the group's G rows stay
/// in L2, each tap window is read once per group, and the 16 horizontal sums that end every block and chunk stay
/// rare (1024-position chunks and row-block order measured 6 % slower at 64 × 64; aligning G's rows to 64 bytes
/// gained another 5 %).</para>
/// <para><b>Non-finite inputs.</b> The discarded grid columns pair real pixels with G = 0 in the weight gradient, so
/// an infinite input pixel turns into NaN in ∂W entries of taps that never read it at a valid position (the
/// definition gives a finite value there); finite inputs give the definition's result up to rounding.</para>
/// </remarks>
internal static unsafe class Conv2dDirect
{
    /// <summary>Output floats of one forward / input-gradient work item (rows × block positions).</summary>
    private const int BlockFloats = 32 * 1024;

    /// <summary>Grid positions per weight-gradient chunk: a group's G rows (16 × 8192 floats, 512 KiB) stay in L2,
    /// and each chunk ends with 16 horizontal sums per ∂W block, so chunks are as long as that allows.</summary>
    private const int WeightChunk = 8192;

    /// <summary>Rows of ∂W (output channels) whose blocks run tap block by tap block together.</summary>
    private const int GroupRows = 16;

    /// <summary>The phase layout of one convolution (see the type remarks).</summary>
    internal readonly struct Layout
    {
        public Layout(Conv2d.Geometry g)
        {
            Geometry = g;
            int s = g.Stride;
            Wq = CeilDiv(g.W + 2 * g.Padding, s);
            Hq = CeilDiv(g.H + 2 * g.Padding, s);
            MaxShift = ShiftOf(g.KH - 1, g.KW - 1);
            Q = g.OutH * Wq;
            QPad = RoundUp(Q, ShiftedGemm.TileWidth);
            R = Hq * Wq;
            // Forward tiles read up to position QPad − 1 + MaxShift of a plane; input-gradient tiles (whole tiles
            // from a row start below R) read G up to R + 30 + GLead. 16-float multiples keep every plane 64-byte
            // aligned (the buffers are).
            PlaneP = RoundUp(Math.Max(R, QPad + MaxShift), 16);
            // G starts at GLead ≥ MaxShift, a 16-float multiple, so the weight gradient's G loads are aligned.
            GLead = RoundUp(MaxShift, 16);
            PlaneG = RoundUp(Math.Max(R + ShiftedGemm.TileWidth, QPad) + GLead, 16);
            GRows = RoundUp(g.COut, ShiftedGemm.DotRows);
            long imageP = (long)g.CIn * s * s * PlaneP, imageG = (long)GRows * PlaneG;
            // Tap offsets within one image are ints.
            if (imageP > int.MaxValue || imageG > int.MaxValue)
                throw new ArgumentException($"Conv2d: one image of {g.CIn}×{g.H}×{g.W} (→ {g.COut}×{g.OutH}×{g.OutW}) is too large for the direct kernel");
            ImageP = imageP;
            ImageG = imageG;
        }

        public Conv2d.Geometry Geometry { get; }

        /// <summary>Row stride of the phase planes and of the virtual output grid.</summary>
        public int Wq { get; }

        /// <summary>Rows of a phase plane.</summary>
        public int Hq { get; }

        /// <summary>Largest tap shift (the bottom-right tap).</summary>
        public int MaxShift { get; }

        /// <summary>Where G's grid starts in its plane (zeros before: the input gradient reads back to GLead − MaxShift).</summary>
        public int GLead { get; }

        /// <summary>Grid positions of the output (OutH rows of Wq), and that rounded up to whole tiles.</summary>
        public int Q { get; }

        public int QPad { get; }

        /// <summary>Positions of a phase plane (Hq rows of Wq).</summary>
        public int R { get; }

        /// <summary>Floats per phase plane and per G plane (G is stored from GLead on; zeros around).</summary>
        public int PlaneP { get; }

        public int PlaneG { get; }

        /// <summary>G planes per image: output channels rounded up to whole dot blocks (extra planes are zero).</summary>
        public int GRows { get; }

        public long ImageP { get; }

        public long ImageG { get; }

        public int Phases => Geometry.Stride * Geometry.Stride;

        /// <summary>Grid shift of tap (kh, kw): ⌊kh·d/s⌋·Wq + ⌊kw·d/s⌋.</summary>
        public int ShiftOf(int kh, int kw) => kh * Geometry.Dilation / Geometry.Stride * Wq + kw * Geometry.Dilation / Geometry.Stride;

        /// <summary>Phase of tap (kh, kw): ((kh·d) mod s)·s + (kw·d) mod s.</summary>
        public int PhaseOf(int kh, int kw) => kh * Geometry.Dilation % Geometry.Stride * Geometry.Stride + kw * Geometry.Dilation % Geometry.Stride;
    }

    /// <summary>y = conv(x, w) + b for all images; y is overwritten.</summary>
    internal static void Forward(float[] x, float[] weight, float[]? bias, Conv2d.Geometry g, float[] y)
    {
        var lay = new Layout(g);
        int taps = g.K, rows = RoundUp(g.COut, ShiftedGemm.Mr);
        using var phaseBuffer = new PinnedBuffer((long)g.N * lay.ImageP);
        using var packedBuffer = new PinnedBuffer((long)rows * taps);
        using var offsetBuffer = new PinnedBuffer(taps);
        float* phases = phaseBuffer.Pointer, packed = packedBuffer.Pointer;
        int* offsets = (int*)offsetBuffer.Pointer;
        SplitPhases(x, lay, phases);
        // A sliver k holds rows 8k..8k+7 of W [Cout, Cin·KH·KW] tap by tap: packed[(k·taps + t)·8 + r] (zeros past Cout).
        for (int k = 0; k < rows; k += ShiftedGemm.Mr)
        {
            int valid = Math.Min(ShiftedGemm.Mr, g.COut - k);
            float* sliver = packed + (long)k * taps;
            for (int r = 0; r < ShiftedGemm.Mr; r++)
            {
                if (r >= valid)
                {
                    for (int t = 0; t < taps; t++) sliver[t * ShiftedGemm.Mr + r] = 0f;
                    continue;
                }
                var row = weight.AsSpan((k + r) * taps, taps);
                for (int t = 0; t < taps; t++) sliver[t * ShiftedGemm.Mr + r] = row[t];
            }
        }
        for (int ci = 0, t = 0; ci < g.CIn; ci++)
            for (int kh = 0; kh < g.KH; kh++)
                for (int kw = 0; kw < g.KW; kw++, t++)
                    offsets[t] = (ci * lay.Phases + lay.PhaseOf(kh, kw)) * lay.PlaneP + lay.ShiftOf(kh, kw);

        int block = BlockPositions(rows);
        int blocks = CeilDiv(lay.QPad, block);
        ComputeThreads.For(g.N * blocks, MinItems(2L * rows * taps * Math.Min(block, lay.QPad)), (i0, i1) =>
        {
            var scratchBuffer = RentScratch((long)rows * block);
            float* scratch = scratchBuffer.Pointer;
            try
            {
                fixed (float* py = y)
                fixed (float* pb = bias)
                {
                    for (int item = i0; item < i1; item++)
                    {
                        int n = item / blocks, q0 = item % blocks * block, length = Math.Min(block, lay.QPad - q0);
                        Multiply(rows, taps, packed, phases + n * lay.ImageP + q0, offsets, length, scratch, block);
                        for (int co = 0; co < g.COut; co++)
                            StoreOutputRows(lay, scratch + (long)co * block, q0, length, py + ((long)n * g.COut + co) * g.L, pb == null ? 0f : pb[co], pb != null);
                    }
                }
            }
            finally
            {
                ReturnScratch(scratchBuffer);
            }
        });
    }

    /// <summary>
    /// Adds the gradients of Σ gy·y to dx [N, Cin, H, W], dw [Cout, Cin, KH, KW] and db [Cout] (each skipped when
    /// null). The phases of x are rebuilt rather than kept from the forward pass (one copy of the input).
    /// </summary>
    internal static void Backward(float[] x, float[] weight, float[] gy, Conv2d.Geometry g, float[]? dx, float[]? dw, float[]? db)
    {
        if (db is not null)
            for (int n = 0; n < g.N; n++)
                for (int co = 0; co < g.COut; co++)
                    db[co] += TensorPrimitives.Sum(gy.AsSpan((n * g.COut + co) * g.L, g.L));
        if (dx is null && dw is null) return;

        var lay = new Layout(g);
        using var gridBuffer = new PinnedBuffer((long)g.N * lay.ImageG);
        SpreadGradient(gy, lay, gridBuffer.Pointer);
        if (dw is not null) WeightGradient(x, lay, gridBuffer.Pointer, dw);
        if (dx is not null) InputGradient(weight, lay, gridBuffer.Pointer, dx);
    }

    /// <summary>∂W[co, t] += Σ_n Σ_q G[n, co, q] · P[n, offset(t) + q], in 4 × 4 blocks of ∂W, each block summing
    /// images and chunks of positions in order (the same bits for any thread count): chunks are whole images (as many
    /// as fit in <see cref="WeightChunk"/> positions) or pieces of one.</summary>
    private static void WeightGradient(float[] x, in Layout lay, float* grid, float[] dw)
    {
        var g = lay.Geometry;
        int taps = g.K, tapsPad = RoundUp(taps, ShiftedGemm.DotRows);
        var layout = lay;
        using var phaseBuffer = new PinnedBuffer((long)g.N * lay.ImageP);
        using var sumBuffer = new PinnedBuffer((long)lay.GRows * tapsPad);
        using var offsetBuffer = new PinnedBuffer(tapsPad);
        float* phases = phaseBuffer.Pointer, sums = sumBuffer.Pointer;
        int* offsets = (int*)offsetBuffer.Pointer;
        SplitPhases(x, lay, phases);
        // Padding taps read offset 0 (any readable window); their sums land in columns that are dropped.
        for (int t = 0; t < tapsPad; t++) offsets[t] = 0;
        for (int ci = 0, t = 0; ci < g.CIn; ci++)
            for (int kh = 0; kh < g.KH; kh++)
                for (int kw = 0; kw < g.KW; kw++, t++)
                    offsets[t] = (ci * lay.Phases + lay.PhaseOf(kh, kw)) * lay.PlaneP + lay.ShiftOf(kh, kw);
        new Span<float>(sums, lay.GRows * tapsPad).Clear();

        // Block b of ∂W is (row block rb, tap block tb). Blocks are numbered group by group — a group is up to
        // GroupRows/4 row blocks, taken tap block by tap block — so that consecutive blocks share the tap windows
        // (read from L2 once per group, not once per row block) and the group's G rows stay in L2.
        int tapBlocks = tapsPad / ShiftedGemm.DotRows, rowBlocks = lay.GRows / ShiftedGemm.DotRows, blocks = rowBlocks * tapBlocks;
        const int GroupBlocks = GroupRows / ShiftedGemm.DotRows;
        long blockFlops = 2L * ShiftedGemm.DotRows * ShiftedGemm.DotRows * lay.QPad * g.N;
        // Small images go several to a chunk (one horizontal sum per block for all of them); a large one is cut.
        int imagesPerChunk = Math.Max(1, WeightChunk / lay.QPad);
        ComputeThreads.For(blocks, (int)Math.Max(1, Gemm.MinTaskFlops / blockFlops), (b0, b1) =>
        {
            for (int n0 = 0; n0 < layout.Geometry.N; n0 += imagesPerChunk)
            {
                int images = Math.Min(imagesPerChunk, layout.Geometry.N - n0);
                for (int c0 = 0; c0 < layout.QPad; c0 += WeightChunk)
                {
                    int length = Math.Min(WeightChunk, layout.QPad - c0);
                    float* gImage = grid + n0 * layout.ImageG + layout.GLead + c0;
                    float* pImage = phases + n0 * layout.ImageP + c0;
                    for (int b = b0; b < b1; b++)
                    {
                        int group = b / (GroupBlocks * tapBlocks), inGroup = Math.Min(GroupBlocks, rowBlocks - group * GroupBlocks);
                        int local = b - group * GroupBlocks * tapBlocks;
                        int rb = (group * GroupBlocks + local % inGroup) * ShiftedGemm.DotRows, tb = local / inGroup * ShiftedGemm.DotRows;
                        ShiftedGemm.DotTile(length, images, gImage + (long)rb * layout.PlaneG, layout.PlaneG, (nint)layout.ImageG,
                            pImage, (nint)layout.ImageP, offsets + tb, sums + (long)rb * tapsPad + tb, tapsPad);
                    }
                }
            }
        });
        for (int co = 0; co < g.COut; co++)
            TensorPrimitives.Add(dw.AsSpan(co * taps, taps), new ReadOnlySpan<float>(sums + (long)co * tapsPad, taps), dw.AsSpan(co * taps, taps));
    }

    /// <summary>
    /// dx += the adjoint of the forward product: per phase φ, ∂P_φ[ci, r] = Σ_co Σ_{t in φ} W[co, ci, t] · G[co, r − shift(t)],
    /// the forward kernel with Cout as input channels, the phase's taps flipped (offset GLead − shift) and Cin
    /// as output rows; then each phase position is added to its input pixel.
    /// </summary>
    private static void InputGradient(float[] weight, in Layout lay, float* grid, float[] dx)
    {
        var g = lay.Geometry;
        int rows = RoundUp(g.CIn, ShiftedGemm.Mr), kernel = g.KH * g.KW, taps = g.COut * kernel;
        var layout = lay;
        // Per phase, its taps (kh, kw) in row-major order; phase φ's packed weights and offsets start at tap
        // index start[φ]·Cout of the concatenated arrays.
        var phaseTaps = new List<(int Kh, int Kw)>[lay.Phases];
        for (int p = 0; p < lay.Phases; p++) phaseTaps[p] = [];
        for (int kh = 0; kh < g.KH; kh++)
            for (int kw = 0; kw < g.KW; kw++) phaseTaps[lay.PhaseOf(kh, kw)].Add((kh, kw));
        var start = new int[lay.Phases];
        for (int p = 1; p < lay.Phases; p++) start[p] = start[p - 1] + phaseTaps[p - 1].Count;

        using var packedBuffer = new PinnedBuffer((long)rows * taps);
        using var offsetBuffer = new PinnedBuffer(taps);
        float* packed = packedBuffer.Pointer;
        int* offsets = (int*)offsetBuffer.Pointer;
        for (int p = 0; p < lay.Phases; p++)
        {
            var list = phaseTaps[p];
            int count = list.Count, j0 = start[p] * g.COut;
            // Row ci, tap j = co·count + i of this phase's matrix is W[co, ci, kh_i, kw_i], packed in 8-row
            // slivers as in the forward pass (zeros past Cin).
            float* dst = packed + (long)rows * j0;
            var tapIndex = list.Select(t => t.Kh * g.KW + t.Kw).ToArray();
            for (int k = 0; k < rows; k += ShiftedGemm.Mr)
            {
                int valid = Math.Min(ShiftedGemm.Mr, g.CIn - k);
                for (int co = 0, j = 0; co < g.COut; co++)
                    for (int i = 0; i < count; i++, j++)
                    {
                        float* d = dst + (long)k * g.COut * count + (long)j * ShiftedGemm.Mr;
                        long src = ((long)co * g.CIn + k) * kernel + tapIndex[i];
                        for (int r = 0; r < valid; r++) d[r] = weight[src + r * kernel];
                        for (int r = valid; r < ShiftedGemm.Mr; r++) d[r] = 0f;
                    }
            }
            for (int co = 0; co < g.COut; co++)
                for (int i = 0; i < count; i++)
                    offsets[j0 + co * count + i] = co * lay.PlaneG + lay.GLead - lay.ShiftOf(list[i].Kh, list[i].Kw);
        }

        // Phase p computes only its rows ρ that hold input pixels (ρ·s + φr − padding in [0, H)): positions
        // [first[p], first[p] + span[p]), span rounded up to whole tiles. (The padding rows would be computed and
        // dropped: 36 % of the work for an 8 × 8 map with padding 1.)
        var first = new int[lay.Phases];
        var span = new int[lay.Phases];
        for (int p = 0; p < lay.Phases; p++)
        {
            int fr = p / g.Stride;
            int rho0 = Math.Max(0, CeilDiv(g.Padding - fr, g.Stride)), rho1 = Math.Min(lay.Hq, FloorDiv(g.H - 1 + g.Padding - fr, g.Stride) + 1);
            first[p] = rho0 * lay.Wq;
            span[p] = rho1 > rho0 ? RoundUp((rho1 - rho0) * lay.Wq, ShiftedGemm.TileWidth) : 0;
        }
        int block = BlockPositions(rows);
        int blocks = CeilDiv(span.Max(), block), items = g.N * lay.Phases * blocks;
        ComputeThreads.For(items, MinItems(2L * rows * g.COut * kernel / lay.Phases * Math.Min(block, span.Max())), (i0, i1) =>
        {
            var scratchBuffer = RentScratch((long)rows * block);
            float* scratch = scratchBuffer.Pointer;
            try
            {
                fixed (float* pdx = dx)
                {
                    for (int item = i0; item < i1; item++)
                    {
                        int n = item / (layout.Phases * blocks), p = item / blocks % layout.Phases, b = item % blocks * block;
                        int count = phaseTaps[p].Count;
                        if (count == 0 || b >= span[p]) continue; // no tap reads this phase (its pixels get no gradient), or past its rows
                        int r0 = first[p] + b, length = Math.Min(block, span[p] - b), j0 = start[p] * layout.Geometry.COut;
                        Multiply(rows, layout.Geometry.COut * count, packed + (long)rows * j0, grid + n * layout.ImageG + r0, offsets + j0, length, scratch, block);
                        for (int ci = 0; ci < layout.Geometry.CIn; ci++)
                            AddPhaseRows(layout, p, scratch + (long)ci * block, r0, length, pdx + ((long)n * layout.Geometry.CIn + ci) * layout.Geometry.H * layout.Geometry.W);
                    }
                }
            }
            finally
            {
                ReturnScratch(scratchBuffer);
            }
        });
    }

    /// <summary>c[row, 0..length) = Σ_j A[row, j] · s[offsets[j] + ·] for all rows (multiple of 8), length a multiple of
    /// 32: the weight sliver stays in L1 while its tiles sweep the block.</summary>
    private static void Multiply(int rows, int taps, float* packed, float* s, int* offsets, int length, float* c, int ldc)
    {
        for (int k = 0; k < rows; k += ShiftedGemm.Mr)
        {
            float* sliver = packed + (long)k * taps;
            float* cRows = c + (long)k * ldc;
            for (int q = 0; q < length; q += ShiftedGemm.TileWidth)
                ShiftedGemm.Tile(taps, sliver, s + q, offsets, cRows + q, ldc);
        }
    }

    /// <summary>P[n, ci, φ] ← the padded input's phase φ (zeros in the padding and past the last row), in parallel
    /// over image planes.</summary>
    private static void SplitPhases(float[] x, Layout lay, float* phases)
    {
        var g = lay.Geometry;
        int s = g.Stride, p = g.Padding;
        ComputeThreads.For(g.N * g.CIn, 8, (i0, i1) =>
        {
            fixed (float* px = x)
            {
                for (int plane = i0; plane < i1; plane++)
                {
                    float* src = px + (long)plane * g.H * g.W;
                    float* dst = phases + (long)plane * lay.Phases * lay.PlaneP;
                    new Span<float>(dst, lay.Phases * lay.PlaneP).Clear();
                    for (int fr = 0; fr < s; fr++)
                        for (int fc = 0; fc < s; fc++)
                        {
                            float* phase = dst + (fr * s + fc) * lay.PlaneP;
                            // Phase columns κ with input column κ·s + fc − p inside [0, W).
                            int k0 = Math.Max(0, CeilDiv(p - fc, s)), k1 = Math.Min(lay.Wq, FloorDiv(g.W - 1 + p - fc, s) + 1);
                            if (k1 <= k0) continue;
                            for (int rho = 0; rho < lay.Hq; rho++)
                            {
                                int ih = rho * s + fr - p;
                                if ((uint)ih >= (uint)g.H) continue;
                                float* srcRow = src + (long)ih * g.W + (k0 * s + fc - p);
                                float* dstRow = phase + rho * lay.Wq;
                                if (s == 1) new ReadOnlySpan<float>(srcRow, k1 - k0).CopyTo(new Span<float>(dstRow + k0, k1 - k0));
                                else
                                    for (int k = k0; k < k1; k++) dstRow[k] = srcRow[(k - k0) * s];
                            }
                        }
                }
            }
        });
    }

    /// <summary>G[n, co, GLead + oh·Wq + ow] ← gy[n, co, oh, ow]; zeros in the discarded columns, around and in the
    /// padding planes up to GRows.</summary>
    private static void SpreadGradient(float[] gy, Layout lay, float* grid)
    {
        var g = lay.Geometry;
        ComputeThreads.For(g.N * lay.GRows, 8, (i0, i1) =>
        {
            fixed (float* pg = gy)
            {
                for (int plane = i0; plane < i1; plane++)
                {
                    int n = plane / lay.GRows, co = plane % lay.GRows;
                    float* dst = grid + (long)plane * lay.PlaneG;
                    new Span<float>(dst, lay.PlaneG).Clear();
                    if (co >= g.COut) continue;
                    float* src = pg + ((long)n * g.COut + co) * g.L;
                    for (int oh = 0; oh < g.OutH; oh++)
                        new ReadOnlySpan<float>(src + (long)oh * g.OutW, g.OutW).CopyTo(new Span<float>(dst + lay.GLead + oh * lay.Wq, g.OutW));
                }
            }
        });
    }

    /// <summary>Copies grid positions [q0, q0 + length) of one output channel (c[q − q0]) to its image plane, dropping
    /// the columns ow ≥ OutW and the rows past OutH, adding the bias.</summary>
    private static void StoreOutputRows(in Layout lay, float* c, int q0, int length, float* plane, float bias, bool hasBias)
    {
        int outW = lay.Geometry.OutW, end = Math.Min(q0 + length, lay.Q);
        for (int q = q0; q < end;)
        {
            int oh = q / lay.Wq, ow = q - oh * lay.Wq;
            int rowEnd = Math.Min(end, oh * lay.Wq + lay.Wq);
            int count = Math.Min(rowEnd, oh * lay.Wq + outW) - q;
            if (count > 0)
            {
                var src = new ReadOnlySpan<float>(c + (q - q0), count);
                var dst = new Span<float>(plane + (long)oh * outW + ow, count);
                if (hasBias) TensorPrimitives.Add(src, bias, dst);
                else src.CopyTo(dst);
            }
            q = rowEnd;
        }
    }

    /// <summary>Adds phase positions [r0, r0 + length) of one input channel (c[r − r0]) to the input pixels they are:
    /// position ρ·Wq + κ of phase (φr, φc) is pixel (ρ·s + φr − p, κ·s + φc − p); padding positions are dropped.</summary>
    private static void AddPhaseRows(in Layout lay, int phase, float* c, int r0, int length, float* plane)
    {
        var g = lay.Geometry;
        int s = g.Stride, p = g.Padding, fr = phase / s, fc = phase % s;
        int k0 = Math.Max(0, CeilDiv(p - fc, s)), k1 = Math.Min(lay.Wq, FloorDiv(g.W - 1 + p - fc, s) + 1);
        int end = Math.Min(r0 + length, lay.R);
        for (int r = r0; r < end;)
        {
            int rho = r / lay.Wq, kappa = r - rho * lay.Wq;
            int rowEnd = Math.Min(end, rho * lay.Wq + lay.Wq);
            int ih = rho * s + fr - p;
            int lo = Math.Max(kappa, k0), hi = Math.Min(rowEnd - rho * lay.Wq, k1);
            if ((uint)ih < (uint)g.H && hi > lo)
            {
                float* src = c + (rho * lay.Wq + lo - r0);
                float* dst = plane + (long)ih * g.W + (lo * s + fc - p);
                if (s == 1)
                {
                    var d = new Span<float>(dst, hi - lo);
                    TensorPrimitives.Add(d, new ReadOnlySpan<float>(src, hi - lo), d);
                }
                else
                    for (int k = 0; k < hi - lo; k++) dst[k * s] += src[k];
            }
            r = rowEnd;
        }
    }

    /// <summary>Grid positions per work item for an output of <paramref name="rows"/> rows: BlockFloats / rows,
    /// whole tiles, at least one tile.</summary>
    private static int BlockPositions(int rows) => Math.Max(ShiftedGemm.TileWidth, BlockFloats / rows / ShiftedGemm.TileWidth * ShiftedGemm.TileWidth);

    /// <summary>Work items per thread so that a thread gets at least <see cref="Gemm.MinTaskFlops"/> (tiny convolutions run inline).</summary>
    private static int MinItems(long itemFlops) => (int)Math.Max(1, Gemm.MinTaskFlops / Math.Max(1, itemFlops));

    /// <summary>A pooled array (<see cref="TensorStoragePool"/>) pinned while a kernel runs, its pointer moved to the
    /// next 64-byte boundary: the image-sized buffers come from (and go back to) the engine's pool like tensor storage
    /// (timed no different from fresh aligned native allocations).</summary>
    private readonly struct PinnedBuffer : IDisposable
    {
        private readonly float[] _array;
        private readonly GCHandle _handle;

        public PinnedBuffer(long floats)
        {
            if (floats > Array.MaxLength - 16) throw new ArgumentException($"Conv2d: a working buffer of {floats} floats exceeds the largest array");
            _array = TensorStoragePool.Rent((int)floats + 16);
            _handle = GCHandle.Alloc(_array, GCHandleType.Pinned);
            Pointer = (float*)(((nint)_handle.AddrOfPinnedObject() + 63) & ~(nint)63);
        }

        public float* Pointer { get; }

        public void Dispose()
        {
            _handle.Free();
            TensorStoragePool.Return(_array);
        }
    }

    /// <summary>A 64-byte aligned native tile-output buffer kept per thread between calls (as Gemm's pack buffers).</summary>
    private struct Scratch
    {
        public float* Pointer;
        public long Floats;
    }

    [ThreadStatic] private static Scratch _scratch;

    /// <summary>Takes the thread's cached scratch (growing it); the slot is emptied while in use, so a nested call
    /// allocates its own.</summary>
    private static Scratch RentScratch(long floats)
    {
        var buffer = _scratch;
        _scratch = default;
        if (buffer.Floats < floats)
        {
            NativeMemory.AlignedFree(buffer.Pointer);
            buffer.Pointer = (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), 64);
            buffer.Floats = floats;
        }
        return buffer;
    }

    private static void ReturnScratch(Scratch buffer)
    {
        if (_scratch.Pointer == null) _scratch = buffer;
        else NativeMemory.AlignedFree(buffer.Pointer);
    }

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    private static int CeilDiv(int a, int b) => a <= 0 ? -(-a / b) : (a + b - 1) / b;

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
