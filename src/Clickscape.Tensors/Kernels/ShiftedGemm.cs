using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Clickscape.Tensors.Kernels;

/// <summary>
/// Matrix products whose second operand is a set of shifted windows of one buffer: row j of B is
/// <c>s[offsets[j] .. offsets[j] + n)</c>. A direct convolution on a padded, flattened image is exactly this
/// product (row j = tap (ci, kh, kw) = the image shifted by kh·rowStride + kw), so B needs no im2col copy and
/// no GEMM packing: the microkernel loads its B rows straight from the image (Zhang, Franchetti &amp; Low, "High
/// Performance Zero-Memory Overhead Direct Convolutions", ICML 2018: register-blocked output channels × output
/// pixels, the GEMM microkernel's structure without the packed copy).
/// </summary>
/// <remarks>
/// <para><see cref="Tile"/>: <c>c[r, q] = Σ_j a[j·Mr + r] · s[offsets[j] + q]</c> for r &lt; <see cref="Mr"/>,
/// q &lt; <see cref="TileWidth"/>; A is packed like <see cref="Gemm"/>'s A slivers (Mr consecutive rows per j).
/// <see cref="DotTile"/>: <c>d[r, i] += Σ_{q &lt; length} g[r, q] · s[offsets[i] + q]</c> for r, i &lt; 4 (summed over
/// one or more segments) — the same product differentiated with respect to A (a convolution's weight gradient), a
/// reduction along the long dimension q, so it is written as 16 vector dot products and one horizontal sum each.</para>
/// <para>Lane layout: in <see cref="Tile"/> a vector holds 16 (zmm) or 8 (ymm) consecutive positions q of one output
/// row, so each tap's window is loaded as whole vectors (unaligned: windows start anywhere) and each weight is
/// broadcast; in <see cref="DotTile"/> a vector holds consecutive q of one G row and of one window, lane l of an
/// accumulator summing q ≡ l (mod width) until the final horizontal sum. Remainders: there are none — callers pad
/// positions to whole tiles (32) and dot steps (32), rows to 8 (tiles) or 4 (dot blocks), and make the windows'
/// padding readable (zeros or ignored outputs).</para>
/// <para>Paths: AVX-512 (zmm), AVX2 + FMA (ymm), portable scalar, chosen like <see cref="Gemm.ActivePath"/>.
/// Within one path every output element sees the same operation sequence wherever it sits, so callers that
/// partition work by output elements get the same bits for any thread count.</para>
/// </remarks>
internal static unsafe class ShiftedGemm
{
    /// <summary>Rows of a packed A sliver (= rows of a <see cref="Tile"/>).</summary>
    internal const int Mr = 8;

    /// <summary>Columns of a <see cref="Tile"/>: 2 zmm per row.</summary>
    internal const int TileWidth = 32;

    /// <summary>Rows and windows of a <see cref="DotTile"/>.</summary>
    internal const int DotRows = 4;

    /// <summary>q-step of <see cref="DotTile"/>: lengths must be multiples of this (32 covers 16 zmm and 8 ymm lanes).</summary>
    internal const int DotStep = 32;

    /// <summary>
    /// One Mr × 32 tile: <c>c[r·ldc + q] = Σ_{j &lt; taps} a[j·Mr + r] · s[offsets[j] + q]</c> (overwrites c).
    /// s[offsets[j] + 0..31] must be readable for every j.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Tile(int taps, float* a, float* s, int* offsets, float* c, nint ldc)
    {
        if (Avx512F.IsSupported) Avx512Tile8x32(taps, a, s, offsets, c, ldc);
        else if (Fma.IsSupported)
        {
            // 8 × 32 = (2 row halves) × (2 column halves) of 4 × 16 kernels, as Gemm's AVX2 path.
            for (int j = 0; j < TileWidth; j += 16)
            {
                Avx2Tile4x16(taps, a, s + j, offsets, c + j, ldc);
                Avx2Tile4x16(taps, a + 4, s + j, offsets, c + 4 * ldc + j, ldc);
            }
        }
        else ScalarTile(taps, a, s, offsets, c, ldc);
    }

    /// <summary>
    /// One 4 × 4 block of a shifted dot product over <paramref name="segments"/> segments (images) e:
    /// <c>d[r·ldd + i] += Σ_e Σ_{q &lt; length} g[e·gStride + r·ldg + q] · s[e·sStride + offsets[i] + q]</c>, length a
    /// multiple of <see cref="DotStep"/>. The accumulators run on across segments, so short segments (small images)
    /// do not pay one horizontal sum each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void DotTile(int length, int segments, float* g, nint ldg, nint gStride, float* s, nint sStride, int* offsets, float* d, nint ldd)
    {
        if (Avx512F.IsSupported) Avx512Dot4x4(length, segments, g, ldg, gStride, s, sStride, offsets, d, ldd);
        else if (Fma.IsSupported)
        {
            // 16 ymm registers hold 2 rows × 4 windows of accumulators + 2 + 4 operands: two passes.
            Avx2Dot2x4(length, segments, g, ldg, gStride, s, sStride, offsets, d, ldd);
            Avx2Dot2x4(length, segments, g + 2 * ldg, ldg, gStride, s, sStride, offsets, d + 2 * ldd, ldd);
        }
        else ScalarDot(length, segments, g, ldg, gStride, s, sStride, offsets, d, ldd);
    }

    /// <summary>
    /// AVX-512 8 × 32, the <see cref="Gemm"/> 8×32 microkernel with B rows read in place: per tap, 2 unaligned zmm
    /// loads of the shifted window (the 3 kw taps of one image row hit the same cache lines, so most come from
    /// L1), 8 broadcasts of the packed weights and 16 FMAs into 16 independent accumulators (FMA latency 4 × 2
    /// pipes). The offset load is one extra scalar load per tap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Avx512Tile8x32(int taps, float* a, float* s, int* offsets, float* c, nint ldc)
    {
        Vector512<float> c0_0 = default, c0_1 = default;
        Vector512<float> c1_0 = default, c1_1 = default;
        Vector512<float> c2_0 = default, c2_1 = default;
        Vector512<float> c3_0 = default, c3_1 = default;
        Vector512<float> c4_0 = default, c4_1 = default;
        Vector512<float> c5_0 = default, c5_1 = default;
        Vector512<float> c6_0 = default, c6_1 = default;
        Vector512<float> c7_0 = default, c7_1 = default;
        for (int j = 0; j < taps; j++)
        {
            float* b = s + offsets[j];
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var a0 = Vector512.Create(a[0]);
            c0_0 = Avx512F.FusedMultiplyAdd(a0, b0, c0_0); c0_1 = Avx512F.FusedMultiplyAdd(a0, b1, c0_1);
            var a1 = Vector512.Create(a[1]);
            c1_0 = Avx512F.FusedMultiplyAdd(a1, b0, c1_0); c1_1 = Avx512F.FusedMultiplyAdd(a1, b1, c1_1);
            var a2 = Vector512.Create(a[2]);
            c2_0 = Avx512F.FusedMultiplyAdd(a2, b0, c2_0); c2_1 = Avx512F.FusedMultiplyAdd(a2, b1, c2_1);
            var a3 = Vector512.Create(a[3]);
            c3_0 = Avx512F.FusedMultiplyAdd(a3, b0, c3_0); c3_1 = Avx512F.FusedMultiplyAdd(a3, b1, c3_1);
            var a4 = Vector512.Create(a[4]);
            c4_0 = Avx512F.FusedMultiplyAdd(a4, b0, c4_0); c4_1 = Avx512F.FusedMultiplyAdd(a4, b1, c4_1);
            var a5 = Vector512.Create(a[5]);
            c5_0 = Avx512F.FusedMultiplyAdd(a5, b0, c5_0); c5_1 = Avx512F.FusedMultiplyAdd(a5, b1, c5_1);
            var a6 = Vector512.Create(a[6]);
            c6_0 = Avx512F.FusedMultiplyAdd(a6, b0, c6_0); c6_1 = Avx512F.FusedMultiplyAdd(a6, b1, c6_1);
            var a7 = Vector512.Create(a[7]);
            c7_0 = Avx512F.FusedMultiplyAdd(a7, b0, c7_0); c7_1 = Avx512F.FusedMultiplyAdd(a7, b1, c7_1);
            a += Mr;
        }
        Vector512.Store(c0_0, c + 0 * ldc); Vector512.Store(c0_1, c + 0 * ldc + 16);
        Vector512.Store(c1_0, c + 1 * ldc); Vector512.Store(c1_1, c + 1 * ldc + 16);
        Vector512.Store(c2_0, c + 2 * ldc); Vector512.Store(c2_1, c + 2 * ldc + 16);
        Vector512.Store(c3_0, c + 3 * ldc); Vector512.Store(c3_1, c + 3 * ldc + 16);
        Vector512.Store(c4_0, c + 4 * ldc); Vector512.Store(c4_1, c + 4 * ldc + 16);
        Vector512.Store(c5_0, c + 5 * ldc); Vector512.Store(c5_1, c + 5 * ldc + 16);
        Vector512.Store(c6_0, c + 6 * ldc); Vector512.Store(c6_1, c + 6 * ldc + 16);
        Vector512.Store(c7_0, c + 7 * ldc); Vector512.Store(c7_1, c + 7 * ldc + 16);
    }

    /// <summary>AVX2 + FMA 4 × 16: rows 0–3 of an 8-row sliver (stride Mr), 8 ymm accumulators, 2 window loads and
    /// 4 broadcasts per tap.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Avx2Tile4x16(int taps, float* a, float* s, int* offsets, float* c, nint ldc)
    {
        Vector256<float> c0_0 = default, c0_1 = default;
        Vector256<float> c1_0 = default, c1_1 = default;
        Vector256<float> c2_0 = default, c2_1 = default;
        Vector256<float> c3_0 = default, c3_1 = default;
        for (int j = 0; j < taps; j++)
        {
            float* b = s + offsets[j];
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var a0 = Vector256.Create(a[0]);
            c0_0 = Fma.MultiplyAdd(a0, b0, c0_0); c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
            var a1 = Vector256.Create(a[1]);
            c1_0 = Fma.MultiplyAdd(a1, b0, c1_0); c1_1 = Fma.MultiplyAdd(a1, b1, c1_1);
            var a2 = Vector256.Create(a[2]);
            c2_0 = Fma.MultiplyAdd(a2, b0, c2_0); c2_1 = Fma.MultiplyAdd(a2, b1, c2_1);
            var a3 = Vector256.Create(a[3]);
            c3_0 = Fma.MultiplyAdd(a3, b0, c3_0); c3_1 = Fma.MultiplyAdd(a3, b1, c3_1);
            a += Mr;
        }
        Vector256.Store(c0_0, c + 0 * ldc); Vector256.Store(c0_1, c + 0 * ldc + 8);
        Vector256.Store(c1_0, c + 1 * ldc); Vector256.Store(c1_1, c + 1 * ldc + 8);
        Vector256.Store(c2_0, c + 2 * ldc); Vector256.Store(c2_1, c + 2 * ldc + 8);
        Vector256.Store(c3_0, c + 3 * ldc); Vector256.Store(c3_1, c + 3 * ldc + 8);
    }

    /// <summary>Portable fallback of <see cref="Tile"/>: the scalar equivalent, accumulating in a stack tile
    /// (multiply, then add: no FMA instruction assumed).</summary>
    private static void ScalarTile(int taps, float* a, float* s, int* offsets, float* c, nint ldc)
    {
        float* acc = stackalloc float[Mr * TileWidth];
        new Span<float>(acc, Mr * TileWidth).Clear();
        for (int j = 0; j < taps; j++)
        {
            float* b = s + offsets[j];
            for (int r = 0; r < Mr; r++)
            {
                float ar = a[r];
                float* accRow = acc + r * TileWidth;
                for (int q = 0; q < TileWidth; q++) accRow[q] += ar * b[q];
            }
            a += Mr;
        }
        for (int r = 0; r < Mr; r++)
            new ReadOnlySpan<float>(acc + r * TileWidth, TileWidth).CopyTo(new Span<float>(c + r * ldc, TileWidth));
    }

    /// <summary>
    /// AVX-512 4 × 4 dot block: per 16 lanes of q, 4 loads of g rows and 4 of windows feed 16 FMAs (one load per
    /// two FMAs, within Zen's 2 zmm loads per cycle); 16 accumulators + 8 operands fit the 32 zmm. Lane l of
    /// accumulator (r, i) sums q ≡ l (mod 16); the horizontal sum at the end adds the 16 lanes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Avx512Dot4x4(int length, int segments, float* g, nint ldg, nint gStride, float* s, nint sStride, int* offsets, float* d, nint ldd)
    {
        Vector512<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector512<float> a10 = default, a11 = default, a12 = default, a13 = default;
        Vector512<float> a20 = default, a21 = default, a22 = default, a23 = default;
        Vector512<float> a30 = default, a31 = default, a32 = default, a33 = default;
        for (int e = 0; e < segments; e++, g += gStride, s += sStride)
        {
            float* g0 = g, g1 = g + ldg, g2 = g + 2 * ldg, g3 = g + 3 * ldg;
            float* s0 = s + offsets[0], s1 = s + offsets[1], s2 = s + offsets[2], s3 = s + offsets[3];
            for (int q = 0; q < length; q += 16)
            {
                var w0 = Vector512.Load(s0 + q);
                var w1 = Vector512.Load(s1 + q);
                var w2 = Vector512.Load(s2 + q);
                var w3 = Vector512.Load(s3 + q);
                var r0 = Vector512.Load(g0 + q);
                a00 = Avx512F.FusedMultiplyAdd(r0, w0, a00); a01 = Avx512F.FusedMultiplyAdd(r0, w1, a01);
                a02 = Avx512F.FusedMultiplyAdd(r0, w2, a02); a03 = Avx512F.FusedMultiplyAdd(r0, w3, a03);
                var r1 = Vector512.Load(g1 + q);
                a10 = Avx512F.FusedMultiplyAdd(r1, w0, a10); a11 = Avx512F.FusedMultiplyAdd(r1, w1, a11);
                a12 = Avx512F.FusedMultiplyAdd(r1, w2, a12); a13 = Avx512F.FusedMultiplyAdd(r1, w3, a13);
                var r2 = Vector512.Load(g2 + q);
                a20 = Avx512F.FusedMultiplyAdd(r2, w0, a20); a21 = Avx512F.FusedMultiplyAdd(r2, w1, a21);
                a22 = Avx512F.FusedMultiplyAdd(r2, w2, a22); a23 = Avx512F.FusedMultiplyAdd(r2, w3, a23);
                var r3 = Vector512.Load(g3 + q);
                a30 = Avx512F.FusedMultiplyAdd(r3, w0, a30); a31 = Avx512F.FusedMultiplyAdd(r3, w1, a31);
                a32 = Avx512F.FusedMultiplyAdd(r3, w2, a32); a33 = Avx512F.FusedMultiplyAdd(r3, w3, a33);
            }
        }
        d[0] += Vector512.Sum(a00); d[1] += Vector512.Sum(a01); d[2] += Vector512.Sum(a02); d[3] += Vector512.Sum(a03);
        d += ldd;
        d[0] += Vector512.Sum(a10); d[1] += Vector512.Sum(a11); d[2] += Vector512.Sum(a12); d[3] += Vector512.Sum(a13);
        d += ldd;
        d[0] += Vector512.Sum(a20); d[1] += Vector512.Sum(a21); d[2] += Vector512.Sum(a22); d[3] += Vector512.Sum(a23);
        d += ldd;
        d[0] += Vector512.Sum(a30); d[1] += Vector512.Sum(a31); d[2] += Vector512.Sum(a32); d[3] += Vector512.Sum(a33);
    }

    /// <summary>AVX2 + FMA 2 × 4 dot block: 8 ymm accumulators + 2 g rows + 4 windows = 14 of the 16 ymm.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Avx2Dot2x4(int length, int segments, float* g, nint ldg, nint gStride, float* s, nint sStride, int* offsets, float* d, nint ldd)
    {
        Vector256<float> a00 = default, a01 = default, a02 = default, a03 = default;
        Vector256<float> a10 = default, a11 = default, a12 = default, a13 = default;
        for (int e = 0; e < segments; e++, g += gStride, s += sStride)
        {
            float* g0 = g, g1 = g + ldg;
            float* s0 = s + offsets[0], s1 = s + offsets[1], s2 = s + offsets[2], s3 = s + offsets[3];
            for (int q = 0; q < length; q += 8)
            {
                var w0 = Vector256.Load(s0 + q);
                var w1 = Vector256.Load(s1 + q);
                var w2 = Vector256.Load(s2 + q);
                var w3 = Vector256.Load(s3 + q);
                var r0 = Vector256.Load(g0 + q);
                a00 = Fma.MultiplyAdd(r0, w0, a00); a01 = Fma.MultiplyAdd(r0, w1, a01);
                a02 = Fma.MultiplyAdd(r0, w2, a02); a03 = Fma.MultiplyAdd(r0, w3, a03);
                var r1 = Vector256.Load(g1 + q);
                a10 = Fma.MultiplyAdd(r1, w0, a10); a11 = Fma.MultiplyAdd(r1, w1, a11);
                a12 = Fma.MultiplyAdd(r1, w2, a12); a13 = Fma.MultiplyAdd(r1, w3, a13);
            }
        }
        d[0] += Vector256.Sum(a00); d[1] += Vector256.Sum(a01); d[2] += Vector256.Sum(a02); d[3] += Vector256.Sum(a03);
        d += ldd;
        d[0] += Vector256.Sum(a10); d[1] += Vector256.Sum(a11); d[2] += Vector256.Sum(a12); d[3] += Vector256.Sum(a13);
    }

    /// <summary>Portable fallback of <see cref="DotTile"/>: one float accumulator per element, q ascending.</summary>
    private static void ScalarDot(int length, int segments, float* g, nint ldg, nint gStride, float* s, nint sStride, int* offsets, float* d, nint ldd)
    {
        for (int r = 0; r < DotRows; r++)
        {
            for (int i = 0; i < DotRows; i++)
            {
                float sum = 0f;
                for (int e = 0; e < segments; e++)
                {
                    float* gr = g + e * gStride + r * ldg;
                    float* w = s + e * sStride + offsets[i];
                    for (int q = 0; q < length; q++) sum += gr[q] * w[q];
                }
                d[r * ldd + i] += sum;
            }
        }
    }
}
