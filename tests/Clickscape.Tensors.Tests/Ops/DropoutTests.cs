using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class DropoutTests
{
    [Fact]
    public void SeededMaskScalesSurvivorsAndRoutesGradient()
    {
        var rng = new Random(1);
        var x = RandomTensors.Positive(rng, 10_000);
        x.RequiresGrad = true;
        var y = Tensors.Ops.Dropout.Forward(x, 0.3f, new Random(42));
        int kept = 0;
        for (int i = 0; i < x.Length; i++)
        {
            if (y.Data[i] != 0f) { kept++; Assert.Equal(x.Data[i] / 0.7f, y.Data[i], 4); }
        }
        Assert.InRange(kept / 10_000.0, 0.68, 0.72);
        y.Sum().Backward();
        for (int i = 0; i < x.Length; i++) Assert.Equal(y.Data[i] != 0f ? 1f / 0.7f : 0f, x.Grad!.Data[i], 5);
        // Same seed, same mask.
        Assert.Equal(y.ToArray(), Tensors.Ops.Dropout.Forward(x, 0.3f, new Random(42)).ToArray());
    }

    [Fact]
    public void GradientWithAFixedMaskMatchesDoubleReference()
    {
        const float p = 0.4f;
        var x = RandomTensors.Uniform(new Random(2), -1, 1, 9, 7);
        // The mask the op draws from Random(11): survivors scaled by 1/(1 − p), as the op's doc states.
        var draw = new Random(11);
        var mask = Enumerable.Range(0, x.Length).Select(_ => draw.NextSingle() >= p ? (double)(1f / (1f - p)) : 0.0).ToArray();
        Assert.Contains(0.0, mask);
        GradCheck.Check(t => Tensors.Ops.Dropout.Forward(t[0], p, new Random(11)), v => v[0].Zip(mask, (a, m) => a * m).ToArray(), [x]);
    }
}
