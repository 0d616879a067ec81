using Clickscape.Tensors.Losses;
using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Losses;

public class DiscriminativeTests
{
    [Fact]
    public void HandComputedL2()
    {
        // Instance 0: points (0,0),(2,0) → μ = (1,0), distances 1, 1 → (1 − 0.5)² = 0.25 each → l_var part 0.25.
        // Instance 1: point (1,1) → μ = (1,1), distance 0 → 0. l_var = (0.25 + 0)/2 = 0.125.
        // ‖μ0 − μ1‖ = 1 → (3 − 1)² = 4 for both ordered pairs → l_dist = 4.
        // l_reg = (1 + √2)/2.
        var e = Tensor.FromArray([0f, 0f, 2f, 0f, 1f, 1f, 9f, 9f], 4, 2);
        var loss = Discriminative.Forward(e, [0, 0, 5, -1]);
        double expected = 0.125 + 4 + 0.001 * (1 + Math.Sqrt(2)) / 2;
        Assert.Equal(expected, loss.Item(), 3);
    }

    [Fact]
    public void HandComputedL1SingleInstance()
    {
        // μ = (1, 1); L1 distances 2, 2 → (2 − 0.5)² = 2.25; no pairs; l_reg = ‖μ‖₁ = 2.
        var e = Tensor.FromArray([0f, 0f, 2f, 2f], 2, 2);
        var loss = Discriminative.Forward(e, [3, 3], norm: DiscriminativeNorm.L1);
        Assert.Equal(2.25 + 0.001 * 2, loss.Item(), 4);
    }

    [Theory]
    [InlineData(DiscriminativeNorm.L2)]
    [InlineData(DiscriminativeNorm.L1)]
    public void GradientsMatchFiniteDifferences(DiscriminativeNorm norm)
    {
        var rng = new Random((int)norm);
        var e = RandomTensors.Uniform(rng, -1.5f, 1.5f, 20, 3);
        var ids = Enumerable.Range(0, 20).Select(i => i % 7 == 6 ? -1 : rng.Next(4)).ToArray();
        GradCheck.Check(t => Discriminative.Forward(t[0], ids, deltaVar: 0.1f, deltaDist: 1.5f, norm: norm), v => Reference.Discriminative(v[0], 3, ids, 0.1f, 1.5f, 1, 1, 0.001f, norm == DiscriminativeNorm.L1), [e]);
    }
}
