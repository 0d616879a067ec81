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

    /// <summary>
    /// <see cref="Multiply"/> with gathered operands: when <paramref name="aRows"/> is not empty, stored row r of A
    /// is row aRows[r] of <paramref name="a"/> (likewise <paramref name="bRows"/> for B), i.e. the product of the
    /// matrices <c>a[aRows]</c> and <c>b[bRows]</c> without forming them. The packing stage reads the rows it copies
    /// anyway through the index, so a gather → GEMM (a sparse convolution's per-offset product) loses its gather
    /// pass; the arithmetic, and so every bit of C, is that of <see cref="Multiply"/> on the gathered matrices.
    /// Indices are checked against the buffers.
    /// </summary>
    public static unsafe void MultiplyGathered(
        bool transA, bool transB, int m, int n, int k,
        float alpha, ReadOnlySpan<float> a, int lda, ReadOnlySpan<int> aRows,
        ReadOnlySpan<float> b, int ldb, ReadOnlySpan<int> bRows,
        float beta, Span<float> c, int ldc)
    {
        int aStored = transA ? k : m, bStored = transB ? n : k;
        int aCols = transA ? m : k, bCols = transB ? k : n;
        CheckRows("A", aRows, aStored, aCols, a.Length, lda);
        CheckRows("B", bRows, bStored, bCols, b.Length, ldb);
        // Validate the buffers as if they were the gathered matrices' row spans (one stored row each).
        Validate(transA, transB, m, n, k, aRows.IsEmpty ? a.Length : int.MaxValue, lda, bRows.IsEmpty ? b.Length : int.MaxValue, ldb, c.Length, ldc);
        if (m == 0 || n == 0) return;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        fixed (int* ra = aRows)
        fixed (int* rb = bRows)
        {
            var o = new Operands(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc, aRows.IsEmpty ? null : ra, bRows.IsEmpty ? null : rb);
            MultiplyBlocked(o);
        }

        static void CheckRows(string name, ReadOnlySpan<int> rows, int stored, int cols, int length, int ld)
        {
            if (rows.IsEmpty) return;
            if (rows.Length != stored) throw new ArgumentException($"GEMM {name}: {rows.Length} row indices for {stored} stored rows");
            if (stored == 0 || cols == 0) return;
            long limit = ((long)length - cols) / ld; // largest row index whose cols elements fit
            foreach (int r in rows)
                if (r < 0 || r > limit) throw new ArgumentOutOfRangeException(nameof(rows), $"GEMM {name}: row index {r} outside the buffer ({length} floats, stride {ld}, {cols} columns)");
        }
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
