using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Kernels;

/// <summary>
/// The cache-blocked GEMM driver (Goto &amp; van de Geijn 2008; the BLIS five-loop structure of Van Zee &amp;
/// van de Geijn, "BLIS: A Framework for Rapidly Instantiating BLAS Functionality", ACM TOMS 41(3), 2015).
/// </summary>
/// <remarks>
/// <para>Loops, outermost first: jc over Nc columns of C; pc over Kc of the inner dimension (pack the
/// Kc×Nc panel of op(B), shared by all threads, ~L3); ic over Mc rows (each thread packs its own Mc×Kc block of
/// op(A), ~L2); jr over 32-column B slivers (Kc×32 stays in L1 while the A slivers stream past); ir over
/// Mr-row A slivers → microkernel.</para>
/// <para>Threads: rows of C are split in whole A slivers (ic loop), so no two threads write one element.
/// When the inner dimension is huge and C small (the weight gradient Xᵀ·G of a sparse conv), k is cut
/// into chunks whose length depends only on k, each chunk's partial product goes to its own buffer, and the
/// partials are summed in chunk order. Every element therefore sees the same operation sequence for any
/// thread count: results are bit-identical across runs and across <see cref="ComputeThreads.Count"/>.</para>
/// </remarks>
public static unsafe partial class Gemm
{
    /// <summary>Rows of an A sliver = rows of a microtile.</summary>
    internal const int Mr = 8;
    /// <summary>Columns of a full B sliver (2 zmm); the last sliver of a panel is 16 or 32 wide.</summary>
    internal const int NrWide = 32;
    private const int NrNarrow = 16;
    /// <summary>Inner-dimension block: a Kc×32 B sliver (32 KiB) stays in the 48 KiB L1.</summary>
    internal const int Kc = 256;
    /// <summary>Rows of a packed A block, a multiple of 2·Mr: Mc×Kc floats (144 KiB) stay in the 1 MiB L2.</summary>
    internal const int Mc = 144;
    /// <summary>Columns of a packed B panel, a multiple of 32: Kc×Nc floats (4 MiB) stay in L3.</summary>
    internal const int Nc = 4096;
    /// <summary>Smallest piece of work (FLOP) worth handing to another thread. Tests lower it to run the
    /// threaded paths on small matrices.</summary>
    internal static long MinTaskFlops { get; set; } = 1 << 21;
    /// <summary>Inner dimensions from here on, with both m and n at most <see cref="KSplitMaxMn"/>, take the k-split path.</summary>
    private const int KSplitMinK = 2048;
    private const int KSplitMaxMn = 256;

    /// <summary>Raw operands of one (sub-)GEMM: op(A) is M×K, op(B) K×N, C M×N.</summary>
    /// <remarks>ARows / BRows, when not null, pick the stored rows of A / B (a gathered operand, see
    /// <see cref="MultiplyGathered"/>): stored row r is row ARows[r] of the buffer at A.</remarks>
    private readonly struct Operands(
        bool transA, bool transB, int m, int n, int k, float alpha, float* a, nint lda, float* b, nint ldb,
        float beta, float* c, nint ldc, int* aRows = null, int* bRows = null)
    {
        public readonly bool TransA = transA, TransB = transB;
        public readonly int M = m, N = n, K = k;
        public readonly float Alpha = alpha, Beta = beta;
        public readonly float* A = a, B = b, C = c;
        public readonly nint Lda = lda, Ldb = ldb, Ldc = ldc;
        public readonly int* ARows = aRows, BRows = bRows;

        /// <summary>Stored rows of A, starting at stored row <paramref name="row"/> and column <paramref name="column"/>.</summary>
        public RowSource ARowsFrom(int row, int column) => new RowSource(A, Lda, ARows).Skip(row).Right(column);

        /// <summary>Stored rows of B, starting at stored row <paramref name="row"/> and column <paramref name="column"/>.</summary>
        public RowSource BRowsFrom(int row, int column) => new RowSource(B, Ldb, BRows).Skip(row).Right(column);

        /// <summary>The same product restricted to inner indices [k0, k0 + length), written to another C.</summary>
        public Operands InnerRange(int k0, int length, float* c, nint ldc, float alpha, float beta)
        {
            // The inner index runs along stored rows of a transposed A / a plain B, along columns otherwise.
            var a = new RowSource(A, Lda, ARows);
            var b = new RowSource(B, Ldb, BRows);
            a = TransA ? a.Skip(k0) : a.Right(k0);
            b = TransB ? b.Right(k0) : b.Skip(k0);
            return new(TransA, TransB, M, N, length, alpha, a.Base, Lda, b.Base, Ldb, beta, c, ldc, a.Rows, b.Rows);
        }
    }

    private static void MultiplyBlocked(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            MultiplyBlocked(new Operands(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc));
        }
    }

    private static void MultiplyBlocked(in Operands o)
    {
        if (o.K == 0 || o.Alpha == 0f) ScaleC(o);
        else if (o.K >= KSplitMinK && o.M <= KSplitMaxMn && o.N <= KSplitMaxMn) MultiplyKSplit(o);
        else MultiplyPanels(o, parallel: true);
    }

    /// <summary>C = beta·C (BLAS: with k = 0 or alpha = 0, A and B are not read; beta = 0 writes zeros).</summary>
    private static void ScaleC(in Operands o)
    {
        for (int i = 0; i < o.M; i++)
        {
            var row = new Span<float>(o.C + i * o.Ldc, o.N);
            if (o.Beta == 0f) row.Clear();
            else TensorPrimitives.Multiply(row, o.Beta, row);
        }
    }

    /// <summary>
    /// Huge k, small C: chunk products P_q = op(A)[:, chunk q]·op(B)[chunk q, :] on any thread, then
    /// C = alpha·(P_0 + P_1 + …) + beta·C summed in chunk order. The chunk length depends on k only.
    /// </summary>
    private static void MultiplyKSplit(Operands o)
    {
        int chunkK = Math.Max(4 * Kc, RoundUp((o.K + 31) / 32, Kc));
        int chunks = (o.K + chunkK - 1) / chunkK;
        int mn = o.M * o.N;
        var partials = (float*)NativeMemory.AlignedAlloc((nuint)((long)mn * chunks * sizeof(float)), 64);
        try
        {
            long chunkFlops = 2L * o.M * o.N * chunkK;
            ComputeThreads.For(chunks, (int)Math.Max(1, MinTaskFlops / chunkFlops), (q0, q1) =>
            {
                for (int q = q0; q < q1; q++)
                {
                    int k0 = q * chunkK;
                    var chunk = o.InnerRange(k0, Math.Min(chunkK, o.K - k0), partials + (long)q * mn, o.N, 1f, 0f);
                    MultiplyPanels(chunk, parallel: false);
                }
            });
            var sum = new Span<float>(partials, mn);
            for (int q = 1; q < chunks; q++) TensorPrimitives.Add(sum, new ReadOnlySpan<float>(partials + (long)q * mn, mn), sum);
            for (int i = 0; i < o.M; i++)
            {
                var row = new Span<float>(o.C + i * o.Ldc, o.N);
                var s = sum.Slice(i * o.N, o.N);
                if (o.Beta == 0f) TensorPrimitives.Multiply(s, o.Alpha, row);
                else
                {
                    TensorPrimitives.Multiply(row, o.Beta, row);
                    TensorPrimitives.FusedMultiplyAdd(s, o.Alpha, row, row);
                }
            }
        }
        finally
        {
            NativeMemory.AlignedFree(partials);
        }
    }

    /// <summary>The jc/pc loops: pack each Kc×Nc panel of op(B), then sweep the rows of C (in parallel).</summary>
    private static void MultiplyPanels(Operands o, bool parallel)
    {
        int panelWidth = RoundUp(Math.Min(o.N, Nc), NrWide);
        var bBuffer = Rent(ref _bPack, (nint)Kc * panelWidth);
        float* bPack = bBuffer.Pointer;
        try
        {
            int slivers = (o.M + Mr - 1) / Mr;
            for (int jc = 0; jc < o.N; jc += Nc)
            {
                int nc = Math.Min(Nc, o.N - jc);
                for (int pc = 0; pc < o.K; pc += Kc)
                {
                    int kc = Math.Min(Kc, o.K - pc);
                    PackPanelB(o, pc, kc, jc, nc, bPack, parallel);
                    // First k-block applies the caller's beta; later blocks accumulate onto C.
                    float beta = pc == 0 ? o.Beta : 1f;
                    if (!parallel)
                    {
                        MultiplyRowBlock(o, 0, o.M, pc, kc, jc, nc, bPack, beta);
                        continue;
                    }
                    int minSlivers = (int)Math.Max(1, MinTaskFlops / (2L * Mr * nc * kc));
                    int jcc = jc;
                    ComputeThreads.For(slivers, minSlivers, (s0, s1) =>
                        MultiplyRowBlock(o, s0 * Mr, Math.Min(o.M, s1 * Mr), pc, kc, jcc, nc, bPack, beta));
                }
            }
        }
        finally
        {
            Return(ref _bPack, bBuffer);
        }
    }

    /// <summary>
    /// Packs op(B)[pc..pc+kc, jc..jc+nc] as slivers: sliver s holds columns 32s.. and sits at
    /// bPack + 32·s·kc; the last one is 16 wide when at most 16 columns remain, else 32 (zero padded).
    /// </summary>
    private static void PackPanelB(in Operands o, int pc, int kc, int jc, int nc, float* bPack, bool parallel)
    {
        int slivers = (nc + NrWide - 1) / NrWide;
        var op = o;
        void PackSlivers(int s0, int s1)
        {
            for (int s = s0; s < s1; s++)
            {
                int j = s * NrWide;
                int cols = Math.Min(NrWide, nc - j);
                int w = SliverWidth(cols);
                float* dst = bPack + (nint)j * kc;
                if (op.TransB) PackStrided(op.BRowsFrom(jc + j, pc), cols, kc, dst, w);
                else PackContiguous(op.BRowsFrom(pc, jc + j), cols, kc, dst, w);
            }
        }
        long floats = (long)kc * nc;
        if (parallel && floats >= 1 << 17) ComputeThreads.For(slivers, 16, PackSlivers);
        else PackSlivers(0, slivers);
    }

    /// <summary>
    /// Rows [i0, i1) of C (i0 a multiple of Mr) against one packed B panel: the ic, jr and ir loops.
    /// </summary>
    private static void MultiplyRowBlock(in Operands o, int i0, int i1, int pc, int kc, int jc, int nc, float* bPack, float beta)
    {
        var aBuffer = Rent(ref _aPack, (nint)Mc * Kc);
        float* aPack = aBuffer.Pointer;
        float* tile = stackalloc float[2 * Mr * NrWide];
        try
        {
            for (int ic = i0; ic < i1; ic += Mc)
            {
                int mc = Math.Min(Mc, i1 - ic);
                // Pack op(A)[ic..ic+mc, pc..pc+kc] as Mr-row slivers; sliver i sits at aPack + i·kc.
                for (int i = 0; i < mc; i += Mr)
                {
                    int rows = Math.Min(Mr, mc - i);
                    float* dst = aPack + (nint)i * kc;
                    if (o.TransA) PackContiguous(o.ARowsFrom(pc, ic + i), rows, kc, dst, Mr);
                    else PackStrided(o.ARowsFrom(ic + i, pc), rows, kc, dst, Mr);
                }
                for (int j = 0; j < nc; j += NrWide)
                {
                    int cols = Math.Min(NrWide, nc - j);
                    int w = SliverWidth(cols);
                    float* bSliver = bPack + (nint)j * kc;
                    for (int i = 0; i < mc;)
                    {
                        int tileRows = TileRows(w, mc - i);
                        int rows = Math.Min(tileRows, mc - i);
                        float* aSliver = aPack + (nint)i * kc;
                        float* cTile = o.C + (ic + i) * o.Ldc + jc + j;
                        i += tileRows;
                        if (rows == tileRows && cols == w)
                        {
                            MicroTile(tileRows, w, kc, aSliver, bSliver, cTile, o.Ldc, o.Alpha, beta);
                            continue;
                        }
                        // Partial tile: compute the padded tile into scratch, copy the valid part.
                        MicroTile(tileRows, w, kc, aSliver, bSliver, tile, w, 1f, 0f);
                        for (int r = 0; r < rows; r++)
                        {
                            float* cRow = cTile + r * o.Ldc;
                            float* tRow = tile + r * w;
                            for (int jj = 0; jj < cols; jj++)
                                cRow[jj] = beta == 0f ? o.Alpha * tRow[jj] : o.Alpha * tRow[jj] + beta * cRow[jj];
                        }
                    }
                }
            }
        }
        finally
        {
            Return(ref _aPack, aBuffer);
        }
    }

    private static int SliverWidth(int cols) => cols <= NrNarrow ? NrNarrow : NrWide;

    private static int RoundUp(int x, int multiple) => (x + multiple - 1) / multiple * multiple;

    /// <summary>A 64-byte aligned native buffer kept per thread between calls.</summary>
    private struct PackBuffer
    {
        public float* Pointer;
        public nint Floats;
    }

    [ThreadStatic] private static PackBuffer _aPack;
    [ThreadStatic] private static PackBuffer _bPack;

    /// <summary>
    /// Takes the thread's cached buffer (growing it when too small). The cache slot is emptied while the
    /// buffer is in use, so a nested GEMM on the same thread allocates its own instead of sharing it.
    /// </summary>
    private static PackBuffer Rent(ref PackBuffer cache, nint floats)
    {
        var buffer = cache;
        cache = default;
        if (buffer.Floats < floats)
        {
            NativeMemory.AlignedFree(buffer.Pointer);
            buffer.Pointer = (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), 64);
            buffer.Floats = floats;
        }
        return buffer;
    }

    private static void Return(ref PackBuffer cache, PackBuffer buffer)
    {
        if (cache.Pointer == null) cache = buffer;
        else NativeMemory.AlignedFree(buffer.Pointer);
    }
}
