namespace Clickscape.Tensors.Kernels;

/// <summary>
/// Single-precision general matrix multiply on row-major storage:
/// <c>C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C</c>, where op(X) is X or Xᵀ.
/// </summary>
/// <remarks>
/// Leading dimensions are row strides in elements: A is stored as (transA ? k×m : m×k) with stride lda,
/// B as (transB ? n×k : k×n) with stride ldb, C as m×n with stride ldc. When beta is 0, C is not read
/// (NaNs already in C do not propagate), as in BLAS.
/// This is the single entry point every dense and sparse operation of the engine uses.
/// </remarks>
public static partial class Gemm
{
    /// <summary>Computes C = alpha·op(A)·op(B) + beta·C. See the type remarks for the layout.</summary>
    public static void Multiply(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        MultiplyBlocked(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    private static void Validate(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0) throw new ArgumentException($"GEMM sizes must be ≥ 0, got m={m} n={n} k={k}");
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        Check("A", aRows, aCols, aLength, lda);
        Check("B", bRows, bCols, bLength, ldb);
        Check("C", m, n, cLength, ldc);

        static void Check(string name, int rows, int cols, int length, int ld)
        {
            if (rows == 0 || cols == 0) return;
            if (ld < cols) throw new ArgumentException($"GEMM {name}: leading dimension {ld} < columns {cols}");
            long need = (long)(rows - 1) * ld + cols;
            if (length < need) throw new ArgumentException($"GEMM {name}: buffer holds {length} floats, {rows}×{cols} with stride {ld} needs {need}");
        }
    }

    /// <summary>
    /// The microkernel family <see cref="Multiply"/> runs on this process: <c>avx512</c>, <c>avx2</c> (AVX2 + FMA)
    /// or <c>scalar</c>. The JIT decides once per process (DOTNET_EnableAVX512=0 / DOTNET_EnableAVX2=0 switch
    /// paths off), so tests can check that a fallback really ran.
    /// </summary>
    public static string ActivePath =>
        System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "avx512"
        : System.Runtime.Intrinsics.X86.Fma.IsSupported ? "avx2"
        : "scalar";

    /// <summary>Plain triple loop with a float accumulator: the reference the fast paths are tested against.</summary>
    internal static void MultiplyReference(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda,
        ReadOnlySpan<float> b, int ldb,
        float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                {
                    float av = transA ? a[p * lda + i] : a[i * lda + p];
                    float bv = transB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += av * bv;
                }
                ref float cij = ref c[i * ldc + j];
                cij = beta == 0f ? alpha * sum : alpha * sum + beta * cij;
            }
        }
    }
}
