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
}
