using Clickscape.Models.SegGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;

namespace Clickscape.Models.Tests.SegGroup;

/// <summary>EdgeConv forward against a plain double-precision reference, and its backward against central differences of that reference.</summary>
public sealed class EdgeConvTests
{
    private const int N = 13, C = 3, K = 4, Out = 5;

    /// <summary>y_i = max_j LeakyReLU_0.2(BN(W·[x_j − x_i, x_i])) with training-mode batch norm (batch statistics, biased variance, ε 1e-5, γ 1, β 0).</summary>
    private static double[] Reference(double[] x, double[] w, int[] nbr)
    {
        int rows = N * K;
        var h = new double[rows * Out];
        for (int i = 0; i < N; i++)
        {
            for (int j = 0; j < K; j++)
            {
                int q = nbr[i * K + j];
                for (int o = 0; o < Out; o++)
                {
                    double s = 0;
                    for (int c = 0; c < C; c++)
                    {
                        s += w[o * 2 * C + c] * (x[q * C + c] - x[i * C + c]);
                        s += w[o * 2 * C + C + c] * x[i * C + c];
                    }
                    h[(i * K + j) * Out + o] = s;
                }
            }
        }
        for (int o = 0; o < Out; o++)
        {
            double mean = 0, var = 0;
            for (int r = 0; r < rows; r++) mean += h[r * Out + o];
            mean /= rows;
            for (int r = 0; r < rows; r++) var += (h[r * Out + o] - mean) * (h[r * Out + o] - mean);
            var /= rows;
            for (int r = 0; r < rows; r++)
            {
                double v = (h[r * Out + o] - mean) / Math.Sqrt(var + 1e-5);
                h[r * Out + o] = v > 0 ? v : 0.2 * v;
            }
        }
        var y = new double[N * Out];
        for (int i = 0; i < N; i++)
            for (int o = 0; o < Out; o++)
            {
                double m = double.NegativeInfinity;
                for (int j = 0; j < K; j++) m = Math.Max(m, h[(i * K + j) * Out + o]);
                y[i * Out + o] = m;
            }
        return y;
    }

    private static (EdgeConv Conv, float[] X, int[] Nbr, double[] R) Setup()
    {
        var rng = new Random(3);
        var conv = new EdgeConv(C, [Out], new Random(4));
        var x = Enumerable.Range(0, N * C).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var nbr = Enumerable.Range(0, N * K).Select(p => p % K == 0 ? p / K : rng.Next(N)).ToArray(); // self first, as kNN gives
        var r = Enumerable.Range(0, N * Out).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        return (conv, x, nbr, r);
    }

    [Fact]
    public void Forward_MatchesReference()
    {
        var (conv, x, nbr, _) = Setup();
        using var scope = TensorScope.Begin();
        var y = conv.Forward(Tensor.FromArray(x, N, C), nbr, K).ToArray();
        var w = conv.NamedParameters().Single(p => p.Name == "conv0.weight").Value.ToArray().Select(v => (double)v).ToArray();
        var expected = Reference(x.Select(v => (double)v).ToArray(), w, nbr);
        Assert.Equal(expected.Length, y.Length);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] - expected[i]) <= 1e-4 + 1e-4 * Math.Abs(expected[i]), $"y[{i}] = {y[i]}, reference {expected[i]}");
        conv.Dispose();
    }

    [Fact]
    public void Backward_MatchesFiniteDifferencesOfTheReference()
    {
        var (conv, x, nbr, r) = Setup();
        var weight = conv.NamedParameters().Single(p => p.Name == "conv0.weight").Value;
        var xd = x.Select(v => (double)v).ToArray();
        var wd = weight.ToArray().Select(v => (double)v).ToArray();
        double Loss(double[] xs, double[] ws) => Reference(xs, ws, nbr).Zip(r, (a, b) => a * b).Sum();

        float[] gx, gw;
        using (TensorScope.Begin())
        {
            var input = Tensor.FromArray(x, N, C);
            input.RequiresGrad = true;
            var y = conv.Forward(input, nbr, K);
            (y * Tensor.FromArray(r.Select(v => (float)v).ToArray(), N, Out)).Sum().Backward();
            gx = input.Grad!.ToArray();
            gw = weight.Grad!.ToArray();
        }
        Check(gx, xd, v => Loss(v, wd), "x");
        Check(gw, wd, v => Loss(xd, v), "W");
        conv.Dispose();
    }

    private static void Check(float[] analytic, double[] at, Func<double[], double> loss, string name)
    {
        double scale = 0;
        var numeric = new double[at.Length];
        for (int i = 0; i < at.Length; i++)
        {
            double h = 1e-6 * Math.Max(1, Math.Abs(at[i]));
            var plus = (double[])at.Clone();
            var minus = (double[])at.Clone();
            plus[i] += h;
            minus[i] -= h;
            numeric[i] = (loss(plus) - loss(minus)) / (2 * h);
            scale = Math.Max(scale, Math.Abs(numeric[i]));
        }
        Assert.True(scale > 1e-3, $"{name}: the gradient is zero, nothing is checked");
        for (int i = 0; i < at.Length; i++)
            Assert.True(Math.Abs(analytic[i] - numeric[i]) <= 2e-3 * Math.Abs(numeric[i]) + 1e-4 * scale,
                $"∂{name}[{i}]: analytic {analytic[i]:G6}, numeric {numeric[i]:G6}");
    }
}
