using Clickscape.Tensors.Tests.Autograd;
using L = Clickscape.Tensors.Losses.Losses;

namespace Clickscape.Tensors.Tests.Losses;

public class RegressionTests
{
    [Fact]
    public void HandComputedValues()
    {
        var p = Tensor.FromArray([1f, -2f, 3f], 3);
        var t = Tensor.FromArray([0f, 0f, 5f], 3);
        Assert.Equal((1 + 2 + 2) / 3.0, L.L1(p, t).Item(), 6);
        Assert.Equal((1 + 4 + 4) / 3.0, L.Mse(p, t).Item(), 6);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(33)]
    public void GradientsMatchFiniteDifferences(int n)
    {
        var rng = new Random(n);
        var p = RandomTensors.Uniform(rng, -1, 1, n, 3);
        var t = RandomTensors.Uniform(rng, -1, 1, n, 3);
        // Keep |p − t| away from 0 for L1's kink.
        for (int i = 0; i < p.Length; i++) if (Math.Abs(p.Data[i] - t.Data[i]) < 0.05f) p.Data[i] += 0.1f;
        double[] td = [.. t.ToArray().Select(q => (double)q)];
        GradCheck.Check(u => L.L1(u[0], t), v => Reference.Regression(v[0], td, l1: true), [p]);
        GradCheck.Check(u => L.Mse(u[0], t), v => Reference.Regression(v[0], td, l1: false), [p]);
    }

    [Fact]
    public void CosineAndDice()
    {
        var a = Tensor.FromArray([1f, 0f, 1f, 1f], 2, 2);
        var b = Tensor.FromArray([0f, 1f, 2f, 2f], 2, 2);
        // cos = 0 and 1 → loss mean(1 − cos) = 0.5
        Assert.Equal(0.5, L.Cosine(a, b).Item(), 5);
        var p = Tensor.FromArray([0.5f, 0.5f, 1f], 3);
        var t = Tensor.FromArray([1f, 0f, 1f], 3);
        // 1 − (2·1.5 + 1)/(2 + 2 + 1) = 0.2
        Assert.Equal(0.2, L.Dice(p, t).Item(), 5);

        var rng = new Random(3);
        GradCheck.Check(u => L.Cosine(u[0], u[1]), v => Reference.CosineLoss(v[0], v[1], 3), [RandomTensors.AwayFromZero(rng, 7, 3), RandomTensors.AwayFromZero(rng, 7, 3)]);
        GradCheck.Check(u => L.Dice(u[0], t), v => Reference.Dice(v[0], [.. t.ToArray().Select(q => (double)q)], 1), [RandomTensors.Positive(rng, 3)]);
    }
}
