using Clickscape.Evaluation.Averaging;

namespace Clickscape.Evaluation.Tests.Averaging;

public class NumpySumTests
{
    /// <summary>The pairwise order written out plainly for n ≤ 128 (8 strided partial sums, then the tail).</summary>
    private static double Blocked(double[] a)
    {
        if (a.Length < 8)
        {
            var s = 0.0;
            foreach (var v in a)
                s += v;
            return s;
        }
        var r = new double[8];
        var full = a.Length - (a.Length % 8);
        for (var i = 0; i < full; i++)
            r[i % 8] = i < 8 ? a[i] : r[i % 8] + a[i];
        var res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (var i = full; i < a.Length; i++)
            res += a[i];
        return res;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(18)]
    [InlineData(128)]
    public void Sum_UpTo128_IsTheBlockedOrder(int n)
    {
        var rng = new Random(n);
        var a = Enumerable.Range(0, n).Select(_ => rng.NextDouble() / 3).ToArray();
        Assert.Equal(Blocked(a), NumpySum.Sum(a));
    }

    [Fact]
    public void Sum_Above128_SplitsAtHalfRoundedToEight()
    {
        var rng = new Random(5);
        var a = Enumerable.Range(0, 162).Select(_ => rng.NextDouble() / 3).ToArray();
        // 162 -> 81 -> 80: [0, 80) + [80, 162).
        Assert.Equal(Blocked(a[..80]) + Blocked(a[80..]), NumpySum.Sum(a));
    }

    [Fact]
    public void NanMean_SkipsNaN()
    {
        Assert.Equal(0.5, NumpySum.NanMean([double.NaN, 0.25, 0.75]));
        Assert.True(double.IsNaN(NumpySum.NanMean([double.NaN])));
    }

    [Theory]
    [InlineData(0.5, "0.5")]
    [InlineData(1.0, "1.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(1e16, "1e+16")]
    [InlineData(123.456, "123.456")]
    [InlineData(double.NaN, "nan")]
    public void PythonFloat_MatchesPythonRepr(double value, string expected) => Assert.Equal(expected, PythonFloat.Format(value));
}
