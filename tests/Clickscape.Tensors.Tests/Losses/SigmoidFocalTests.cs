using Clickscape.Tensors.Losses;
using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Losses;

public class SigmoidFocalTests
{
    /// <summary>Eq. 5 of Lin et al. written directly with σ and ln.</summary>
    private static double Naive(double[] z, double[] t, double alpha, double gamma)
    {
        double s = 0;
        for (int i = 0; i < z.Length; i++)
        {
            double p = 1 / (1 + Math.Exp(-z[i]));
            s += t[i] > 0.5 ? -alpha * Math.Pow(1 - p, gamma) * Math.Log(p) : -(1 - alpha) * Math.Pow(p, gamma) * Math.Log(1 - p);
        }
        return s;
    }

    [Theory]
    [InlineData(0.25f, 2f)]
    [InlineData(0.5f, 0f)]
    [InlineData(0.75f, 1.5f)]
    public void MatchesEquationAndGradients(float alpha, float gamma)
    {
        var rng = new Random(11);
        var z = RandomTensors.Uniform(rng, -4, 4, 7, 9);
        var t = Tensor.FromArray(Enumerable.Range(0, 63).Select(_ => rng.Next(4) == 0 ? 1f : 0f).ToArray(), 7, 9).DetachFromScope();
        GradCheck.Check(x => SigmoidFocal.Sum(x[0], t, alpha, gamma), v => Naive(v[0], [.. t.ToArray().Select(f => (double)f)], alpha, gamma), [z]);
    }

    [Fact]
    public void GammaZeroIsAlphaWeightedCrossEntropyAndLargeLogitsStayFinite()
    {
        var z = Tensor.FromArray([60f, -60f, 2f], 3);
        var t = Tensor.FromArray([0f, 1f, 1f], 3);
        var fl = SigmoidFocal.Sum(z, t, 0.5f, 0f).Item();
        // 0.5·(softplus(60) + softplus(60) + softplus(−2))
        Assert.Equal(0.5 * (60 + 60 + Math.Log(1 + Math.Exp(-2))), fl, 3);
    }
}
