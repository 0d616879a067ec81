using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class GroupNormTests
{
    /// <summary>Wu &amp; He Eq. 1–3 in double, one (sample, group) at a time.</summary>
    private static double[] Naive(double[] x, int n, int c, int inner, int groups, double[]? gamma, double[]? beta, double eps)
    {
        var y = new double[x.Length];
        int per = c / groups;
        for (int b = 0; b < n; b++)
            for (int g = 0; g < groups; g++)
            {
                double sum = 0, sq = 0;
                int m = per * inner;
                for (int ch = g * per; ch < (g + 1) * per; ch++)
                    for (int i = 0; i < inner; i++) sum += x[(b * c + ch) * inner + i];
                double mean = sum / m;
                for (int ch = g * per; ch < (g + 1) * per; ch++)
                    for (int i = 0; i < inner; i++) sq += Math.Pow(x[(b * c + ch) * inner + i] - mean, 2);
                double std = Math.Sqrt(sq / m + eps);
                for (int ch = g * per; ch < (g + 1) * per; ch++)
                    for (int i = 0; i < inner; i++)
                    {
                        int k = (b * c + ch) * inner + i;
                        y[k] = (x[k] - mean) / std * (gamma?[ch] ?? 1) + (beta?[ch] ?? 0);
                    }
            }
        return y;
    }

    [Theory]
    [InlineData(1, 2, 1, 3, 1)]
    [InlineData(2, 4, 3, 5, 2)]
    [InlineData(3, 6, 4, 4, 3)]
    [InlineData(2, 8, 5, 7, 8)]
    [InlineData(1, 4, 17, 15, 1)]
    public void MatchesNaiveLoopAndGradients(int n, int c, int h, int w, int groups)
    {
        var rng = new Random(n * 1000 + c * 100 + h * 10 + groups);
        var x = RandomTensors.Uniform(rng, -2, 3, n, c, h, w);
        var gamma = RandomTensors.Uniform(rng, 0.5f, 1.5f, c);
        var beta = RandomTensors.Uniform(rng, -1, 1, c);
        double[] Reference(double[][] v) => Naive(v[0], n, c, h * w, groups, v[1], v[2], 1e-5);
        var y = Tensors.Ops.GroupNorm.Forward(x, groups, gamma, beta);
        RandomTensors.AssertClose(Reference([.. new[] { x, gamma, beta }.Select(t => t.ToArray().Select(f => (double)f).ToArray())]), y.Data, rtol: 1e-4, atol: 1e-5);
        GradCheck.Check(t => Tensors.Ops.GroupNorm.Forward(t[0], groups, t[1], t[2]), Reference, [x, gamma, beta]);
    }

    [Fact]
    public void WithoutAffineNormalizesEachGroupToZeroMeanUnitVariance()
    {
        var rng = new Random(9);
        var x = RandomTensors.Uniform(rng, 5, 9, 2, 6, 4, 4);
        var y = Tensors.Ops.GroupNorm.Forward(x, 3, null, null).ToArray();
        for (int q = 0; q < 6; q++)
        {
            var group = y.AsSpan(q * 32, 32).ToArray();
            Assert.Equal(0, group.Average(), 4);
            Assert.Equal(1, group.Select(v => (double)v * v).Average(), 3);
        }
        GradCheck.Check(t => Tensors.Ops.GroupNorm.Forward(t[0], 3, null, null), v => Naive(v[0], 2, 6, 16, 3, null, null, 1e-5), [x]);
    }

    [Fact]
    public void GroupsThatDoNotDivideTheChannelsThrow() =>
        Assert.Throws<ArgumentException>(() => Tensors.Ops.GroupNorm.Forward(Tensor.Zeros(1, 6, 2, 2), 4, null, null));
}
