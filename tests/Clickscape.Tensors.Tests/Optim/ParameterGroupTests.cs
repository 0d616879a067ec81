using Clickscape.Tensors.Optim;

namespace Clickscape.Tensors.Tests.Optim;

public sealed class ParameterGroupTests
{
    private static Tensor Parameter(params float[] values)
    {
        var t = Tensor.FromArray(values, values.Length).DetachFromScope();
        t.RequiresGrad = true;
        t.GradBuffer().Clear(); // a zero gradient: only weight decay moves the parameter
        return t;
    }

    [Fact]
    public void Sgd_GroupWeightDecayOverridesTheOptimizers()
    {
        using var decayed = Parameter(1f, -2f);
        using var plain = Parameter(3f);
        var sgd = new Sgd([new ParameterGroup([decayed]), new ParameterGroup([plain], WeightDecay: 0f)], learningRate: 0.5f, weightDecay: 0.1f);
        sgd.Step();
        // θ ← θ − η·λ·θ for the decayed group (g = 0), untouched without decay
        Assert.Equal([1f - 0.5f * 0.1f * 1f, -2f + 0.5f * 0.1f * 2f], decayed.ToArray());
        Assert.Equal([3f], plain.ToArray());
    }

    [Fact]
    public void Adam_GroupLearningRateScaleAndDecay()
    {
        using var a = Parameter(1f);
        using var b = Parameter(1f);
        a.Grad!.Data[0] = 1f;
        b.Grad!.Data[0] = 1f;
        var adam = new Adam([new ParameterGroup([a]), new ParameterGroup([b], LearningRateScale: 0.5f)], learningRate: 0.1f);
        adam.Step();
        // first Adam step moves by η·sign(g) (up to ε): the scaled group half as far
        Assert.Equal(1f - 0.1f, a.Data[0], 5);
        Assert.Equal(1f - 0.05f, b.Data[0], 5);
        Assert.Equal(2, adam.Groups.Count);
        Assert.Equal([a, b], adam.Parameters);
    }

    [Fact]
    public void AParameterInTwoGroups_IsAnError()
    {
        using var p = Parameter(1f);
        Assert.Throws<ArgumentException>(() => new Sgd([new ParameterGroup([p]), new ParameterGroup([p])], 0.1f));
    }
}
