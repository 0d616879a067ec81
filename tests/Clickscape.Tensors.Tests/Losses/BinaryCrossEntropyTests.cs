using Clickscape.Tensors.Tests.Autograd;
using L = Clickscape.Tensors.Losses.Losses;

namespace Clickscape.Tensors.Tests.Losses;

public class BinaryCrossEntropyTests
{
    [Fact]
    public void HandComputedAndStableForLargeLogits()
    {
        // z = 0, t = 1 → ln 2; z = 100, t = 0 → 100 (no overflow); z = −100, t = 0 → ~0.
        var z = Tensor.FromArray([0f, 100f, -100f], 3);
        var t = Tensor.FromArray([1f, 0f, 0f], 3);
        Assert.Equal((Math.Log(2) + 100) / 3, L.BinaryCrossEntropyWithLogits(z, t).Item(), 4);
        // w₊ = 3 on z = 0, t = 1 → 3 ln 2
        Assert.Equal(3 * Math.Log(2), L.BinaryCrossEntropyWithLogits(Tensor.Zeros(1), Tensor.Ones(1), 3f).Item(), 5);
    }

    [Theory]
    [InlineData(1, 1f)]
    [InlineData(7, 1f)]
    [InlineData(33, 2.5f)]
    public void MatchesDoubleReferenceAndGradients(int n, float w)
    {
        var rng = new Random(n);
        var z = RandomTensors.Uniform(rng, -4, 4, n, 3);
        var t = RandomTensors.Uniform(rng, 0, 1, n, 3);
        double expected = 0;
        for (int i = 0; i < z.Length; i++)
        {
            double p = 1 / (1 + Math.Exp(-z.Data[i]));
            expected -= w * t.Data[i] * Math.Log(p) + (1 - t.Data[i]) * Math.Log(1 - p);
        }
        Assert.Equal(expected / z.Length, L.BinaryCrossEntropyWithLogits(z, t, w).Item(), 5);
        GradCheck.Check(u => L.BinaryCrossEntropyWithLogits(u[0], t, w), v => Reference.BinaryCrossEntropy(v[0], [.. t.ToArray().Select(q => (double)q)], w), [z]);
    }
}
