using Clickscape.Models.SegGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;

namespace Clickscape.Models.Tests.SegGroup;

/// <summary>The GCN step (Eq. 1–3) against a dense double-precision implementation, forward and backward.</summary>
public sealed class GraphConvolutionTests
{
    private const int M = 7, C = 4;
    private static readonly int[] EdgeA = [0, 0, 1, 2, 3, 4];
    private static readonly int[] EdgeB = [1, 2, 3, 3, 4, 5]; // node 6 has no neighbour

    /// <summary>h′ = ReLU(W·Σ_j a_ij h_j) with a_ij = e_ij / Σ_k e_ik over the neighbours and i itself, e_ii = 1, e_ij = exp(−‖h_i − h_j‖/8): dense matrices.</summary>
    private static double[] Reference(double[] h, double[] w)
    {
        var e = new double[M, M];
        for (int i = 0; i < M; i++) e[i, i] = 1;
        for (int t = 0; t < EdgeA.Length; t++)
        {
            int a = EdgeA[t], b = EdgeB[t];
            double d = 0;
            for (int c = 0; c < C; c++) d += (h[a * C + c] - h[b * C + c]) * (h[a * C + c] - h[b * C + c]);
            e[a, b] = e[b, a] = Math.Exp(-Math.Sqrt(d) / 8);
        }
        var y = new double[M * C];
        for (int i = 0; i < M; i++)
        {
            double row = 0;
            for (int j = 0; j < M; j++) row += e[i, j];
            var mixed = new double[C];
            for (int j = 0; j < M; j++)
                for (int c = 0; c < C; c++) mixed[c] += e[i, j] / row * h[j * C + c];
            for (int o = 0; o < C; o++)
            {
                double s = 0;
                for (int c = 0; c < C; c++) s += w[o * C + c] * mixed[c];
                y[i * C + o] = Math.Max(0, s);
            }
        }
        return y;
    }

    [Fact]
    public void ForwardAndBackward_MatchTheDenseReference()
    {
        var rng = new Random(8);
        using var gcn = new GraphConvolution(C, new Random(9));
        var weight = gcn.NamedParameters().Single().Value;
        // shift the weights so that most outputs are positive (the ReLU passes gradients)
        for (int i = 0; i < weight.Length; i++) weight.Data[i] = Math.Abs(weight.Data[i]) + 0.05f;
        var h = Enumerable.Range(0, M * C).Select(_ => (float)(rng.NextDouble() * 4 - 2)).ToArray();
        var r = Enumerable.Range(0, M * C).Select(_ => rng.NextDouble() * 2 - 1).ToArray();
        var hd = h.Select(v => (double)v).ToArray();
        var wd = weight.ToArray().Select(v => (double)v).ToArray();

        float[] y, gh, gw;
        using (TensorScope.Begin())
        {
            var input = Tensor.FromArray(h, M, C);
            input.RequiresGrad = true;
            var output = gcn.Forward(input, EdgeA, EdgeB);
            y = output.ToArray();
            (output * Tensor.FromArray(r.Select(v => (float)v).ToArray(), M, C)).Sum().Backward();
            gh = input.Grad!.ToArray();
            gw = weight.Grad!.ToArray();
        }
        var expected = Reference(hd, wd);
        for (int i = 0; i < y.Length; i++) Assert.True(Math.Abs(y[i] - expected[i]) <= 1e-5 + 1e-5 * Math.Abs(expected[i]), $"h′[{i}] = {y[i]}, reference {expected[i]}");

        double Loss(double[] hs, double[] ws) => Reference(hs, ws).Zip(r, (a, b) => a * b).Sum();
        AssertGradient(gh, hd, v => Loss(v, wd), "h");
        AssertGradient(gw, wd, v => Loss(hd, v), "W");
    }

    private static void AssertGradient(float[] analytic, double[] at, Func<double[], double> loss, string name)
    {
        var numeric = new double[at.Length];
        double scale = 0;
        for (int i = 0; i < at.Length; i++)
        {
            double step = 1e-6 * Math.Max(1, Math.Abs(at[i]));
            var plus = (double[])at.Clone();
            var minus = (double[])at.Clone();
            plus[i] += step;
            minus[i] -= step;
            numeric[i] = (loss(plus) - loss(minus)) / (2 * step);
            scale = Math.Max(scale, Math.Abs(numeric[i]));
        }
        Assert.True(scale > 1e-3, $"{name}: the gradient is zero, nothing is checked");
        for (int i = 0; i < at.Length; i++)
            Assert.True(Math.Abs(analytic[i] - numeric[i]) <= 2e-3 * Math.Abs(numeric[i]) + 1e-4 * scale, $"∂{name}[{i}]: analytic {analytic[i]:G6}, numeric {numeric[i]:G6}");
    }
}
