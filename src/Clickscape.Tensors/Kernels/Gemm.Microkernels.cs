using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Clickscape.Tensors.Kernels;

/// <summary>
/// The register-blocked microkernels: one MR×NR tile of C from one packed A sliver and one packed B sliver.
/// </summary>
/// <remarks>
/// <para>Scalar equivalent of every kernel (a = packed A sliver, b = packed B sliver of width w):</para>
/// <code>
/// for p in 0..kc: for r in 0..Mr: for j in 0..w: acc[r, j] = fma(a[p*Mr + r], b[p*w + j], acc[r, j])
/// c[r, j] = beta == 0 ? alpha*acc[r, j] : fma(acc[r, j], alpha, beta*c[r, j])
/// </code>
/// <para>Lane layout: a vector holds 16 (zmm) or 8 (ymm) consecutive COLUMNS of one row of C, so a row of
/// packed B is loaded as whole vectors and each A element is broadcast to all lanes (the JIT emits one
/// <c>vbroadcastss</c> from memory into a scratch register, reused by the FMAs of that row).</para>
/// <para>Every accumulator sees the same FMA sequence (p ascending) whatever kernel or thread computes it,
/// so results do not depend on the tile position or the thread count. (The portable fallback rounds the
/// product before adding, so its bits differ from the FMA paths; it is equally deterministic.)</para>
/// <para>Remainders: packing pads A to Mr rows and B to the sliver width with zeros, so kernels always
/// compute full tiles; the blocking driver routes partial tiles through a scratch tile (see
/// <see cref="Gemm"/>.Blocking).</para>
/// </remarks>
public static unsafe partial class Gemm
{
    /// <summary>
    /// AVX-512, 8 rows × 32 columns: the main kernel. Register budget (32 zmm): 16 accumulators (8 rows ×
    /// 2 vectors), 2 for the B row, 1 broadcast. Per p: 16 FMAs (8 cycles at 2 FMA/cycle) against 2 vector
    /// + 8 scalar loads; 16 independent chains cover FMA latency 4 × 2 pipes = 8 in flight.
    /// Chosen by measurement on Zen 5 over 12×32 (24 accumulators): 1024³ ran at 214 instead of 196
    /// GFLOP/s per core, and 8-row slivers divide the channel counts 16…128 of the sparse-conv GEMMs
    /// exactly, so no rows are computed on padding (12-row slivers wasted a third of m = 16).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Avx512Kernel8x32(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0_0 = default, c0_1 = default;
        Vector512<float> c1_0 = default, c1_1 = default;
        Vector512<float> c2_0 = default, c2_1 = default;
        Vector512<float> c3_0 = default, c3_1 = default;
        Vector512<float> c4_0 = default, c4_1 = default;
        Vector512<float> c5_0 = default, c5_1 = default;
        Vector512<float> c6_0 = default, c6_1 = default;
        Vector512<float> c7_0 = default, c7_1 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b + 0);
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
            b += 32;
        }
        var alphaV = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Vector512.Store(c0_0 * alphaV, c + 0 * ldc + 0); Vector512.Store(c0_1 * alphaV, c + 0 * ldc + 16);
            Vector512.Store(c1_0 * alphaV, c + 1 * ldc + 0); Vector512.Store(c1_1 * alphaV, c + 1 * ldc + 16);
            Vector512.Store(c2_0 * alphaV, c + 2 * ldc + 0); Vector512.Store(c2_1 * alphaV, c + 2 * ldc + 16);
            Vector512.Store(c3_0 * alphaV, c + 3 * ldc + 0); Vector512.Store(c3_1 * alphaV, c + 3 * ldc + 16);
            Vector512.Store(c4_0 * alphaV, c + 4 * ldc + 0); Vector512.Store(c4_1 * alphaV, c + 4 * ldc + 16);
            Vector512.Store(c5_0 * alphaV, c + 5 * ldc + 0); Vector512.Store(c5_1 * alphaV, c + 5 * ldc + 16);
            Vector512.Store(c6_0 * alphaV, c + 6 * ldc + 0); Vector512.Store(c6_1 * alphaV, c + 6 * ldc + 16);
            Vector512.Store(c7_0 * alphaV, c + 7 * ldc + 0); Vector512.Store(c7_1 * alphaV, c + 7 * ldc + 16);
        }
        else
        {
            var betaV = Vector512.Create(beta);
            Store512(c0_0, alphaV, betaV, c + 0 * ldc + 0); Store512(c0_1, alphaV, betaV, c + 0 * ldc + 16);
            Store512(c1_0, alphaV, betaV, c + 1 * ldc + 0); Store512(c1_1, alphaV, betaV, c + 1 * ldc + 16);
            Store512(c2_0, alphaV, betaV, c + 2 * ldc + 0); Store512(c2_1, alphaV, betaV, c + 2 * ldc + 16);
            Store512(c3_0, alphaV, betaV, c + 3 * ldc + 0); Store512(c3_1, alphaV, betaV, c + 3 * ldc + 16);
            Store512(c4_0, alphaV, betaV, c + 4 * ldc + 0); Store512(c4_1, alphaV, betaV, c + 4 * ldc + 16);
            Store512(c5_0, alphaV, betaV, c + 5 * ldc + 0); Store512(c5_1, alphaV, betaV, c + 5 * ldc + 16);
            Store512(c6_0, alphaV, betaV, c + 6 * ldc + 0); Store512(c6_1, alphaV, betaV, c + 6 * ldc + 16);
            Store512(c7_0, alphaV, betaV, c + 7 * ldc + 0); Store512(c7_1, alphaV, betaV, c + 7 * ldc + 16);
        }
    }

    /// <summary>
    /// AVX-512, 16 rows (two 8-row A slivers) × 16 columns: the narrow B sliver (n = 16 layers, n remainder
    /// ≤ 16). 16 accumulators + 1 B register; per p 1 vector + 16 scalar loads feed 16 FMAs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Avx512Kernel16x16(int kc, float* a, float* aNext, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0_0 = default;
        Vector512<float> c1_0 = default;
        Vector512<float> c2_0 = default;
        Vector512<float> c3_0 = default;
        Vector512<float> c4_0 = default;
        Vector512<float> c5_0 = default;
        Vector512<float> c6_0 = default;
        Vector512<float> c7_0 = default;
        Vector512<float> c8_0 = default;
        Vector512<float> c9_0 = default;
        Vector512<float> c10_0 = default;
        Vector512<float> c11_0 = default;
        Vector512<float> c12_0 = default;
        Vector512<float> c13_0 = default;
        Vector512<float> c14_0 = default;
        Vector512<float> c15_0 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b + 0);
            var a0 = Vector512.Create(a[0]);
            c0_0 = Avx512F.FusedMultiplyAdd(a0, b0, c0_0);
            var a1 = Vector512.Create(a[1]);
            c1_0 = Avx512F.FusedMultiplyAdd(a1, b0, c1_0);
            var a2 = Vector512.Create(a[2]);
            c2_0 = Avx512F.FusedMultiplyAdd(a2, b0, c2_0);
            var a3 = Vector512.Create(a[3]);
            c3_0 = Avx512F.FusedMultiplyAdd(a3, b0, c3_0);
            var a4 = Vector512.Create(a[4]);
            c4_0 = Avx512F.FusedMultiplyAdd(a4, b0, c4_0);
            var a5 = Vector512.Create(a[5]);
            c5_0 = Avx512F.FusedMultiplyAdd(a5, b0, c5_0);
            var a6 = Vector512.Create(a[6]);
            c6_0 = Avx512F.FusedMultiplyAdd(a6, b0, c6_0);
            var a7 = Vector512.Create(a[7]);
            c7_0 = Avx512F.FusedMultiplyAdd(a7, b0, c7_0);
            var a8 = Vector512.Create(aNext[0]);
            c8_0 = Avx512F.FusedMultiplyAdd(a8, b0, c8_0);
            var a9 = Vector512.Create(aNext[1]);
            c9_0 = Avx512F.FusedMultiplyAdd(a9, b0, c9_0);
            var a10 = Vector512.Create(aNext[2]);
            c10_0 = Avx512F.FusedMultiplyAdd(a10, b0, c10_0);
            var a11 = Vector512.Create(aNext[3]);
            c11_0 = Avx512F.FusedMultiplyAdd(a11, b0, c11_0);
            var a12 = Vector512.Create(aNext[4]);
            c12_0 = Avx512F.FusedMultiplyAdd(a12, b0, c12_0);
            var a13 = Vector512.Create(aNext[5]);
            c13_0 = Avx512F.FusedMultiplyAdd(a13, b0, c13_0);
            var a14 = Vector512.Create(aNext[6]);
            c14_0 = Avx512F.FusedMultiplyAdd(a14, b0, c14_0);
            var a15 = Vector512.Create(aNext[7]);
            c15_0 = Avx512F.FusedMultiplyAdd(a15, b0, c15_0);
            a += Mr;
            aNext += Mr;
            b += 16;
        }
        var alphaV = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Vector512.Store(c0_0 * alphaV, c + 0 * ldc + 0);
            Vector512.Store(c1_0 * alphaV, c + 1 * ldc + 0);
            Vector512.Store(c2_0 * alphaV, c + 2 * ldc + 0);
            Vector512.Store(c3_0 * alphaV, c + 3 * ldc + 0);
            Vector512.Store(c4_0 * alphaV, c + 4 * ldc + 0);
            Vector512.Store(c5_0 * alphaV, c + 5 * ldc + 0);
            Vector512.Store(c6_0 * alphaV, c + 6 * ldc + 0);
            Vector512.Store(c7_0 * alphaV, c + 7 * ldc + 0);
            Vector512.Store(c8_0 * alphaV, c + 8 * ldc + 0);
            Vector512.Store(c9_0 * alphaV, c + 9 * ldc + 0);
            Vector512.Store(c10_0 * alphaV, c + 10 * ldc + 0);
            Vector512.Store(c11_0 * alphaV, c + 11 * ldc + 0);
            Vector512.Store(c12_0 * alphaV, c + 12 * ldc + 0);
            Vector512.Store(c13_0 * alphaV, c + 13 * ldc + 0);
            Vector512.Store(c14_0 * alphaV, c + 14 * ldc + 0);
            Vector512.Store(c15_0 * alphaV, c + 15 * ldc + 0);
        }
        else
        {
            var betaV = Vector512.Create(beta);
            Store512(c0_0, alphaV, betaV, c + 0 * ldc + 0);
            Store512(c1_0, alphaV, betaV, c + 1 * ldc + 0);
            Store512(c2_0, alphaV, betaV, c + 2 * ldc + 0);
            Store512(c3_0, alphaV, betaV, c + 3 * ldc + 0);
            Store512(c4_0, alphaV, betaV, c + 4 * ldc + 0);
            Store512(c5_0, alphaV, betaV, c + 5 * ldc + 0);
            Store512(c6_0, alphaV, betaV, c + 6 * ldc + 0);
            Store512(c7_0, alphaV, betaV, c + 7 * ldc + 0);
            Store512(c8_0, alphaV, betaV, c + 8 * ldc + 0);
            Store512(c9_0, alphaV, betaV, c + 9 * ldc + 0);
            Store512(c10_0, alphaV, betaV, c + 10 * ldc + 0);
            Store512(c11_0, alphaV, betaV, c + 11 * ldc + 0);
            Store512(c12_0, alphaV, betaV, c + 12 * ldc + 0);
            Store512(c13_0, alphaV, betaV, c + 13 * ldc + 0);
            Store512(c14_0, alphaV, betaV, c + 14 * ldc + 0);
            Store512(c15_0, alphaV, betaV, c + 15 * ldc + 0);
        }
    }

    /// <summary>AVX-512, 8 rows × 16 columns: the narrow sliver when fewer than 16 rows remain (8 chains).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Avx512Kernel8x16(int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0_0 = default;
        Vector512<float> c1_0 = default;
        Vector512<float> c2_0 = default;
        Vector512<float> c3_0 = default;
        Vector512<float> c4_0 = default;
        Vector512<float> c5_0 = default;
        Vector512<float> c6_0 = default;
        Vector512<float> c7_0 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b + 0);
            var a0 = Vector512.Create(a[0]);
            c0_0 = Avx512F.FusedMultiplyAdd(a0, b0, c0_0);
            var a1 = Vector512.Create(a[1]);
            c1_0 = Avx512F.FusedMultiplyAdd(a1, b0, c1_0);
            var a2 = Vector512.Create(a[2]);
            c2_0 = Avx512F.FusedMultiplyAdd(a2, b0, c2_0);
            var a3 = Vector512.Create(a[3]);
            c3_0 = Avx512F.FusedMultiplyAdd(a3, b0, c3_0);
            var a4 = Vector512.Create(a[4]);
            c4_0 = Avx512F.FusedMultiplyAdd(a4, b0, c4_0);
            var a5 = Vector512.Create(a[5]);
            c5_0 = Avx512F.FusedMultiplyAdd(a5, b0, c5_0);
            var a6 = Vector512.Create(a[6]);
            c6_0 = Avx512F.FusedMultiplyAdd(a6, b0, c6_0);
            var a7 = Vector512.Create(a[7]);
            c7_0 = Avx512F.FusedMultiplyAdd(a7, b0, c7_0);
            a += Mr;
            b += 16;
        }
        var alphaV = Vector512.Create(alpha);
        if (beta == 0f)
        {
            Vector512.Store(c0_0 * alphaV, c + 0 * ldc + 0);
            Vector512.Store(c1_0 * alphaV, c + 1 * ldc + 0);
            Vector512.Store(c2_0 * alphaV, c + 2 * ldc + 0);
            Vector512.Store(c3_0 * alphaV, c + 3 * ldc + 0);
            Vector512.Store(c4_0 * alphaV, c + 4 * ldc + 0);
            Vector512.Store(c5_0 * alphaV, c + 5 * ldc + 0);
            Vector512.Store(c6_0 * alphaV, c + 6 * ldc + 0);
            Vector512.Store(c7_0 * alphaV, c + 7 * ldc + 0);
        }
        else
        {
            var betaV = Vector512.Create(beta);
            Store512(c0_0, alphaV, betaV, c + 0 * ldc + 0);
            Store512(c1_0, alphaV, betaV, c + 1 * ldc + 0);
            Store512(c2_0, alphaV, betaV, c + 2 * ldc + 0);
            Store512(c3_0, alphaV, betaV, c + 3 * ldc + 0);
            Store512(c4_0, alphaV, betaV, c + 4 * ldc + 0);
            Store512(c5_0, alphaV, betaV, c + 5 * ldc + 0);
            Store512(c6_0, alphaV, betaV, c + 6 * ldc + 0);
            Store512(c7_0, alphaV, betaV, c + 7 * ldc + 0);
        }
    }

    /// <summary>
    /// AVX2 + FMA, 4 rows × 16 columns. Register budget (16 ymm): 8 accumulators, 2 for the B row,
    /// 1 broadcast. Reads 4 rows of an 8-row A sliver (stride <see cref="Mr"/>) and 16 columns of a B sliver of
    /// stride <paramref name="ldb"/>; the driver calls it 2–4 times per tile.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Avx2Kernel4x16(int kc, float* a, float* b, nint ldb, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c0_0 = default, c0_1 = default;
        Vector256<float> c1_0 = default, c1_1 = default;
        Vector256<float> c2_0 = default, c2_1 = default;
        Vector256<float> c3_0 = default, c3_1 = default;
        for (int p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b + 0);
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
            b += ldb;
        }
        var alphaV = Vector256.Create(alpha);
        if (beta == 0f)
        {
            Vector256.Store(c0_0 * alphaV, c + 0 * ldc + 0); Vector256.Store(c0_1 * alphaV, c + 0 * ldc + 8);
            Vector256.Store(c1_0 * alphaV, c + 1 * ldc + 0); Vector256.Store(c1_1 * alphaV, c + 1 * ldc + 8);
            Vector256.Store(c2_0 * alphaV, c + 2 * ldc + 0); Vector256.Store(c2_1 * alphaV, c + 2 * ldc + 8);
            Vector256.Store(c3_0 * alphaV, c + 3 * ldc + 0); Vector256.Store(c3_1 * alphaV, c + 3 * ldc + 8);
        }
        else
        {
            var betaV = Vector256.Create(beta);
            Store256(c0_0, alphaV, betaV, c + 0 * ldc + 0); Store256(c0_1, alphaV, betaV, c + 0 * ldc + 8);
            Store256(c1_0, alphaV, betaV, c + 1 * ldc + 0); Store256(c1_1, alphaV, betaV, c + 1 * ldc + 8);
            Store256(c2_0, alphaV, betaV, c + 2 * ldc + 0); Store256(c2_1, alphaV, betaV, c + 2 * ldc + 8);
            Store256(c3_0, alphaV, betaV, c + 3 * ldc + 0); Store256(c3_1, alphaV, betaV, c + 3 * ldc + 8);
        }
    }

    /// <summary>Portable fallback: same tile, plain multiply-add in a stack tile (no FMA instruction assumed).</summary>
    private static void ScalarKernel(int width, int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        float* acc = stackalloc float[Mr * NrWide];
        new Span<float>(acc, Mr * width).Clear();
        for (int p = 0; p < kc; p++)
        {
            for (int r = 0; r < Mr; r++)
            {
                float ar = a[r];
                float* accRow = acc + r * width;
                for (int j = 0; j < width; j++) accRow[j] += ar * b[j];
            }
            a += Mr;
            b += width;
        }
        for (int r = 0; r < Mr; r++)
        {
            for (int j = 0; j < width; j++)
            {
                ref float cij = ref c[r * ldc + j];
                cij = beta == 0f ? alpha * acc[r * width + j] : alpha * acc[r * width + j] + beta * cij;
            }
        }
    }

    /// <summary>
    /// One full tile of Mr rows (or 2·Mr rows from two consecutive A slivers, only for width 16 with
    /// AVX-512, see <see cref="TileRows"/>) × width (16 or 32) on the widest instruction set the CPU has.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MicroTile(int rows, int width, int kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        if (Avx512F.IsSupported)
        {
            if (width == NrWide) Avx512Kernel8x32(kc, a, b, c, ldc, alpha, beta);
            else if (rows == 2 * Mr) Avx512Kernel16x16(kc, a, a + Mr * kc, b, c, ldc, alpha, beta);
            else Avx512Kernel8x16(kc, a, b, c, ldc, alpha, beta);
        }
        else if (Fma.IsSupported)
        {
            // An 8×width tile = (2 row halves) × (width/16 column halves) of 4×16 kernels.
            for (int j = 0; j < width; j += 16)
            {
                Avx2Kernel4x16(kc, a, b + j, width, c + j, ldc, alpha, beta);
                Avx2Kernel4x16(kc, a + 4, b + j, width, c + 4 * ldc + j, ldc, alpha, beta);
            }
        }
        else
        {
            ScalarKernel(width, kc, a, b, c, ldc, alpha, beta);
        }
    }

    /// <summary>Rows the next tile covers: 16 (two slivers) for a 16-wide sliver on AVX-512 when 16 rows remain, else Mr.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int TileRows(int width, int rowsLeft)
        => Avx512F.IsSupported && width == NrNarrow && rowsLeft >= 2 * Mr ? 2 * Mr : Mr;

    /// <summary>c = fma(acc, alpha, beta·c): the beta ≠ 0 epilogue (beta = 1 for every k-block after the first).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store512(Vector512<float> acc, Vector512<float> alpha, Vector512<float> beta, float* c)
        => Vector512.Store(Avx512F.FusedMultiplyAdd(acc, alpha, Vector512.Load(c) * beta), c);

    /// <summary>c = fma(acc, alpha, beta·c) on 8 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store256(Vector256<float> acc, Vector256<float> alpha, Vector256<float> beta, float* c)
        => Vector256.Store(Fma.MultiplyAdd(acc, alpha, Vector256.Load(c) * beta), c);
}
