using Clickscape.Tensors.Kernels;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Tests.Kernels;

/// <summary>
/// <see cref="Gemm.Multiply"/> against a double-precision triple loop on awkward sizes, all four transpose
/// combinations, alpha/beta variants, padded leading dimensions, 1 and 2 threads.
/// </summary>
[Collection("ComputeThreads")]
public sealed class GemmTests
{
    private static readonly int[] Sizes = [0, 1, 2, 3, 7, 15, 16, 17, 31, 33, 63, 65, 127, 129, 257];

    /// <summary>One GEMM problem with its inputs and the C it starts from.</summary>
    private sealed record Problem(
        bool TransA, bool TransB, int M, int N, int K, float Alpha, float Beta,
        float[] A, int Lda, float[] B, int Ldb, float[] C0, int Ldc)
    {
        public override string ToString() =>
            $"transA={TransA} transB={TransB} m={M} n={N} k={K} alpha={Alpha} beta={Beta} lda={Lda} ldb={Ldb} ldc={Ldc}";
    }

    private static Problem MakeProblem(Random rng, bool transA, bool transB, int m, int n, int k, float alpha, float beta, int pad)
    {
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        int lda = aCols + rng.Next(pad + 1), ldb = bCols + rng.Next(pad + 1), ldc = n + rng.Next(pad + 1);
        var a = Fill(rng, aRows * lda);
        var b = Fill(rng, bRows * ldb);
        // beta = 0 must not read C: NaN would propagate through 0·NaN.
        var c = beta == 0f ? Enumerable.Repeat(float.NaN, m * ldc).ToArray() : Fill(rng, m * ldc);
        for (int i = 0; i < m; i++)
            for (int j = n; j < ldc; j++) c[i * ldc + j] = 12345f; // padding sentinel: must stay untouched
        return new Problem(transA, transB, m, n, k, alpha, beta, a, Math.Max(1, lda), b, Math.Max(1, ldb), c, Math.Max(1, ldc));
    }

    private static float[] Fill(Random rng, int length)
    {
        var x = new float[length];
        for (int i = 0; i < length; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    private static float[] Run(Problem p)
    {
        var c = (float[])p.C0.Clone();
        Gemm.Multiply(p.TransA, p.TransB, p.M, p.N, p.K, p.Alpha, p.A, p.Lda, p.B, p.Ldb, p.Beta, c, p.Ldc);
        return c;
    }

    /// <summary>Checks every element against the double reference, within (k + 4)·ε of Σ|alpha·a·b| + |beta·c|.</summary>
    private static void AssertMatchesReference(Problem p, float[] c)
    {
        const double Eps = 1.0 / (1 << 23);
        for (int i = 0; i < p.M; i++)
        {
            for (int j = 0; j < p.N; j++)
            {
                double sum = 0, magnitude = 0;
                for (int q = 0; q < p.K; q++)
                {
                    double av = p.TransA ? p.A[q * p.Lda + i] : p.A[i * p.Lda + q];
                    double bv = p.TransB ? p.B[j * p.Ldb + q] : p.B[q * p.Ldb + j];
                    sum += av * bv;
                    magnitude += Math.Abs(av * bv);
                }
                double c0 = p.C0[i * p.Ldc + j];
                double expected = p.Alpha * sum + (p.Beta == 0f ? 0 : p.Beta * c0);
                double scale = Math.Abs(p.Alpha) * magnitude + (p.Beta == 0f ? 0 : Math.Abs(p.Beta * c0));
                double tolerance = (p.K + 4) * Eps * scale + 1e-30;
                double actual = c[i * p.Ldc + j];
                Assert.True(Math.Abs(actual - expected) <= tolerance,
                    $"{p}: C[{i},{j}] = {actual}, expected {expected} (tolerance {tolerance:g3})");
            }
            for (int j = p.N; j < p.Ldc && i * p.Ldc + j < c.Length; j++)
                Assert.True(c[i * p.Ldc + j] == 12345f, $"{p}: padding C[{i},{j}] was overwritten");
        }
    }

    private static void WithThreads(int threads, Action body)
    {
        int savedThreads = ComputeThreads.Count;
        long savedMin = Gemm.MinTaskFlops;
        ComputeThreads.Count = threads;
        Gemm.MinTaskFlops = 1; // split even small problems so the threaded paths run
        try
        {
            body();
        }
        finally
        {
            ComputeThreads.Count = savedThreads;
            Gemm.MinTaskFlops = savedMin;
        }
    }

    public static TheoryData<bool, bool, int> TransposesAndThreads()
    {
        var data = new TheoryData<bool, bool, int>();
        foreach (int threads in new[] { 1, 2 })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    data.Add(ta, tb, threads);
        return data;
    }

    [Theory]
    [MemberData(nameof(TransposesAndThreads))]
    public void RandomSizesMatchDoubleReference(bool transA, bool transB, int threads)
    {
        var rng = new Random(1000 + (transA ? 1 : 0) + (transB ? 2 : 0) + 4 * threads);
        (float Alpha, float Beta)[] scalars = [(1f, 0f), (1f, 1f), (-0.75f, 0f), (1.5f, -0.5f), (0.5f, 2f)];
        WithThreads(threads, () =>
        {
            for (int t = 0; t < 30; t++)
            {
                int m = Sizes[rng.Next(Sizes.Length)], n = Sizes[rng.Next(Sizes.Length)], k = Sizes[rng.Next(Sizes.Length)];
                var (alpha, beta) = scalars[t % scalars.Length];
                var p = MakeProblem(rng, transA, transB, m, n, k, alpha, beta, pad: 5);
                AssertMatchesReference(p, Run(p));
            }
        });
    }

    [Theory]
    [MemberData(nameof(TransposesAndThreads))]
    public void EveryRemainderOfTheTileSizes(bool transA, bool transB, int threads)
    {
        // m covers every row remainder of the 8-row sliver and the 16-row paired tile (150 > the 144-row
        // block), n the 16/32-column slivers and their remainders, k every remainder of the 8-wide transpose.
        var rng = new Random(7 + (transA ? 1 : 0) + (transB ? 2 : 0) + 4 * threads);
        WithThreads(threads, () =>
        {
            int[] widths = [1, 15, 16, 17, 31, 32, 33, 47, 48, 49, 64, 65];
            for (int m = 1; m <= 40; m += 1)
            {
                int n = widths[m % widths.Length], k = 1 + (m * 5) % 19;
                var p = MakeProblem(rng, transA, transB, m, n, k, 1f, m % 2 == 0 ? 0f : 0.5f, pad: 3);
                AssertMatchesReference(p, Run(p));
            }
            var big = MakeProblem(rng, transA, transB, 150, 70, 300, 1f, 1f, pad: 2);
            AssertMatchesReference(big, Run(big));
        });
    }

    [Theory]
    [MemberData(nameof(TransposesAndThreads))]
    public void SkinnyShapesOfSparseConvolution(bool transA, bool transB, int threads)
    {
        var rng = new Random(99 + (transA ? 1 : 0) + (transB ? 2 : 0) + 4 * threads);
        WithThreads(threads, () =>
        {
            // Forward X·W: huge m, tiny k and n.
            var forward = MakeProblem(rng, transA, transB, 3000, 16, 16, 1f, 0f, pad: 0);
            AssertMatchesReference(forward, Run(forward));
            // Weight gradient Xᵀ·G: huge k, tiny m and n (the k-split path), accumulating into C.
            var gradient = MakeProblem(rng, transA, transB, 16, 16, 3000, 1f, 1f, pad: 0);
            AssertMatchesReference(gradient, Run(gradient));
            var oddGradient = MakeProblem(rng, transA, transB, 5, 33, 2049, -2f, 0.5f, pad: 3);
            AssertMatchesReference(oddGradient, Run(oddGradient));
        });
    }

    [Fact]
    public void PanelWiderThanNcMatches()
    {
        var rng = new Random(5);
        WithThreads(2, () =>
        {
            var p = MakeProblem(rng, false, true, 13, 4100, 5, 1f, 0f, pad: 1);
            AssertMatchesReference(p, Run(p));
        });
    }

    [Fact]
    public void ZeroInnerDimensionOrAlphaScalesC()
    {
        var rng = new Random(3);
        foreach (var (k, alpha, beta) in new[] { (0, 1f, 0f), (0, 1f, 0.5f), (9, 0f, 2f), (9, 0f, 0f) })
        {
            var p = MakeProblem(rng, false, false, 5, 6, k, alpha, beta, pad: 2);
            var c = Run(p);
            AssertMatchesReference(p, c);
        }
    }

    [Theory]
    [InlineData(300, 70, 290)]
    [InlineData(16, 16, 5000)]
    [InlineData(2000, 32, 32)]
    public void SameBitsTwiceAndForOneOrTwoThreads(int m, int n, int k)
    {
        var p = MakeProblem(new Random(m + n + k), true, false, m, n, k, 1f, 0f, pad: 1);
        float[] once = [], again = [], twoThreads = [];
        WithThreads(1, () => { once = Run(p); again = Run(p); });
        WithThreads(2, () => twoThreads = Run(p));
        AssertMatchesReference(p, once);
        Assert.Equal(once, again);
        Assert.Equal(once, twoThreads);
    }

    [Fact]
    public void ShortBufferThrowsWithTheOperandName()
    {
        var a = new float[6];
        var b = new float[5]; // 2×3 needs 6
        var c = new float[6];
        var e = Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 3, 2, 1f, a, 2, b, 3, 0f, c, 3));
        Assert.Contains("GEMM B", e.Message, StringComparison.Ordinal);
    }
}
