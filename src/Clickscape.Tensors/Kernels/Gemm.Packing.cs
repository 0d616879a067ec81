using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Clickscape.Tensors.Kernels;

/// <summary>
/// Packing of op(A) and op(B) blocks into the contiguous slivers the microkernels stream
/// (Goto &amp; van de Geijn, "Anatomy of High-Performance Matrix Multiplication", ACM TOMS 34(3), 2008, §4).
/// </summary>
/// <remarks>
/// <para>A sliver holds <c>w</c> rows of op(A) (w = <see cref="Mr"/>) or <c>w</c> columns of op(B)
/// (w = 16 or 32) for kc steps of the inner dimension: <c>dst[p*w + r]</c>. Both transposes of both operands
/// reduce to two copy patterns, so a transpose costs only here:</para>
/// <list type="bullet">
/// <item><see cref="PackContiguous"/>: the w values of one p are contiguous in the source (A transposed,
/// B not transposed): a row copy.</item>
/// <item><see cref="PackStrided"/>: the w values of one p are w different source rows (A not transposed,
/// B transposed): an 8×8 (and 4×8) register transpose.</item>
/// </list>
/// <para>Slivers with fewer than w valid rows/columns are padded with zeros, so the kernels never branch
/// on remainders; their extra output is discarded by the driver.</para>
/// <para>Sources are read through a <see cref="RowSource"/>: consecutive stored rows (a dense matrix), or rows
/// picked by an index list (a gathered matrix, see <see cref="MultiplyGathered"/>) — the packing copy is then
/// the gather, and the gathered matrix never exists in memory.</para>
/// </remarks>
public static unsafe partial class Gemm
{
    /// <summary>Stored rows of an operand: row r starts at Base + r·Ld, or at Base + Rows[r]·Ld when gathered.
    /// Base already includes the column offset of the block being packed.</summary>
    private readonly struct RowSource(float* @base, nint ld, int* rows)
    {
        public readonly float* Base = @base;
        public readonly nint Ld = ld;
        public readonly int* Rows = rows;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public float* Row(int r) => Rows == null ? Base + r * Ld : Base + Rows[r] * Ld;

        /// <summary>The same source starting <paramref name="r"/> stored rows further down.</summary>
        public RowSource Skip(int r) => Rows == null ? new(Base + r * Ld, Ld, null) : new(Base, Ld, Rows + r);

        /// <summary>The same rows, <paramref name="columns"/> further right.</summary>
        public RowSource Right(nint columns) => new(Base + columns, Ld, Rows);
    }

    /// <summary>
    /// dst[p*w + j] = row p of src, element j, for j &lt; valid, 0 for valid ≤ j &lt; w, p &lt; kc.
    /// </summary>
    private static void PackContiguous(in RowSource src, int valid, int kc, float* dst, int w)
    {
        // Full slivers: one straight-line copy per p (w ∈ {8, 16, 32} = 1, 2, 4 ymm). For the skinny
        // GEMMs a kernel step is only 8–16 FMAs, so a generic inner loop here would cost more than the math.
        if (valid == w && w == 8)
        {
            for (int p = 0; p < kc; p++) Vector256.Store(Vector256.Load(src.Row(p)), dst + p * 8);
            return;
        }
        if (valid == w && w == 16)
        {
            for (int p = 0; p < kc; p++)
            {
                float* s = src.Row(p);
                float* d = dst + p * 16;
                Vector256.Store(Vector256.Load(s), d);
                Vector256.Store(Vector256.Load(s + 8), d + 8);
            }
            return;
        }
        if (valid == w && w == 32)
        {
            for (int p = 0; p < kc; p++)
            {
                float* s = src.Row(p);
                float* d = dst + p * 32;
                Vector256.Store(Vector256.Load(s), d);
                Vector256.Store(Vector256.Load(s + 8), d + 8);
                Vector256.Store(Vector256.Load(s + 16), d + 16);
                Vector256.Store(Vector256.Load(s + 24), d + 24);
            }
            return;
        }
        for (int p = 0; p < kc; p++)
        {
            float* s = src.Row(p);
            float* d = dst + p * w;
            int j = 0;
            for (; j < valid; j++) d[j] = s[j];
            for (; j < w; j++) d[j] = 0f;
        }
    }

    /// <summary>
    /// dst[p*w + r] = row r of src, element p, for r &lt; valid, 0 for valid ≤ r &lt; w, p &lt; kc: a transpose of
    /// a valid × kc block into kc rows of w.
    /// </summary>
    /// <remarks>
    /// Full slivers (valid = w, w ∈ {8, 16, 32}) go 8 source columns at a time: each group of 8 source rows
    /// is loaded as 8 ymm rows and transposed in registers (unpack → shuffle → 128-bit permute, 24 shuffles
    /// for 64 floats), giving 8 output rows of 8 floats. Columns past the last multiple of 8, and partial
    /// slivers, are scalar.
    /// </remarks>
    private static void PackStrided(in RowSource src, int valid, int kc, float* dst, int w)
    {
        int p = 0;
        if (Avx.IsSupported && valid == w && (w & 7) == 0)
        {
            for (int r = 0; r < w; r += 8)
            {
                float* s0 = src.Row(r), s1 = src.Row(r + 1), s2 = src.Row(r + 2), s3 = src.Row(r + 3);
                float* s4 = src.Row(r + 4), s5 = src.Row(r + 5), s6 = src.Row(r + 6), s7 = src.Row(r + 7);
                for (int q = 0; q + 8 <= kc; q += 8)
                    Transpose8x8(s0 + q, s1 + q, s2 + q, s3 + q, s4 + q, s5 + q, s6 + q, s7 + q, dst + q * w + r, w);
            }
            p = kc & ~7;
        }
        for (; p < kc; p++)
        {
            float* d = dst + p * w;
            int r = 0;
            for (; r < valid; r++) d[r] = src.Row(r)[p];
            for (; r < w; r++) d[r] = 0f;
        }
    }

    /// <summary>Transposes the 8×8 block whose rows start at row0 … row7 into d (row stride dw).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* row0, float* row1, float* row2, float* row3, float* row4, float* row5, float* row6, float* row7, float* d, int dw)
    {
        var r0 = Avx.LoadVector256(row0);
        var r1 = Avx.LoadVector256(row1);
        var r2 = Avx.LoadVector256(row2);
        var r3 = Avx.LoadVector256(row3);
        var r4 = Avx.LoadVector256(row4);
        var r5 = Avx.LoadVector256(row5);
        var r6 = Avx.LoadVector256(row6);
        var r7 = Avx.LoadVector256(row7);
        // Stage 1, per 128-bit lane: t0 = [r0c0 r1c0 r0c1 r1c1 | r0c4 r1c4 r0c5 r1c5], t1 = same for c2,c3 | c6,c7.
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        // Stage 2: s0 = [r0..r3 of c0 | r0..r3 of c4], s1 = c1|c5, s2 = c2|c6, s3 = c3|c7; s4..s7 for rows 4..7.
        var s0 = Avx.Shuffle(t0, t2, 0x44);
        var s1 = Avx.Shuffle(t0, t2, 0xEE);
        var s2 = Avx.Shuffle(t1, t3, 0x44);
        var s3 = Avx.Shuffle(t1, t3, 0xEE);
        var s4 = Avx.Shuffle(t4, t6, 0x44);
        var s5 = Avx.Shuffle(t4, t6, 0xEE);
        var s6 = Avx.Shuffle(t5, t7, 0x44);
        var s7 = Avx.Shuffle(t5, t7, 0xEE);
        // Stage 3: join the low (c0..c3) or high (c4..c7) lanes of the rows 0..3 and rows 4..7 halves.
        Avx.Store(d, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(d + dw, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(d + 2 * dw, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(d + 3 * dw, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(d + 4 * dw, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(d + 5 * dw, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(d + 6 * dw, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(d + 7 * dw, Avx.Permute2x128(s3, s7, 0x31));
    }
}
