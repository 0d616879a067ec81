using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Losses;
using Clickscape.Training.Methods.ClickSeg;

namespace Clickscape.Training.Tests.Methods.ClickSeg;

public sealed class ConfidentDiscriminativeTests
{
    private static (float[] E, int[] Ids) Clusters(int seed, float spread)
    {
        var rng = new Random(seed);
        int n = 60, e = 3;
        var x = new float[n * e];
        var ids = new int[n];
        for (int i = 0; i < n; i++)
        {
            ids[i] = i % 3 == 0 ? -1 : i % 3; // a third unlabelled
            for (int d = 0; d < e; d++) x[i * e + d] = (d == 0 ? 1.2f * ids[i] : 0f) + spread * (float)(rng.NextDouble() - 0.5);
        }
        return (x, ids);
    }

    [Fact]
    public void EverythingConfident_EqualsTheDiscriminativeLoss()
    {
        using var scope = TensorScope.Begin();
        var (x, ids) = Clusters(1, 0.3f);
        var e = Tensor.FromArray(x, 60, 3);
        float expected = Discriminative.Forward(e, ids, 0.2f, 1.5f).Item();
        float actual = ConfidentDiscriminative.Forward(e, ids, alpha: 100f, beta: 0f, 0.2f, 1.5f).Item();
        Assert.Equal(expected, actual, 4);
    }

    [Fact]
    public void FarPointsAndClosePairsAreLeftOut()
    {
        using var scope = TensorScope.Begin();
        var (x, ids) = Clusters(2, 0.2f);
        // one point of instance 1 far from its mean: dropped by α
        x[1 * 3 + 1] = 5f;
        var keep = ids.Select((id, i) => i == 1 ? -1 : id).ToArray();
        var e = Tensor.FromArray(x, 60, 3);
        // the two means are 1.2 apart: with β 1.5 the pair is not pushed, so only l_var and l_reg remain
        float actual = ConfidentDiscriminative.Forward(e, ids, alpha: 0.6f, beta: 1.5f, 0.2f, 1.5f).Item();
        float expected = Discriminative.Forward(e, keep, 0.2f, 1.5f, weightDist: 0f).Item();
        Assert.Equal(expected, actual, 4);
        float pushed = ConfidentDiscriminative.Forward(e, ids, alpha: 0.6f, beta: 1f, 0.2f, 1.5f).Item();
        Assert.Equal(Discriminative.Forward(e, keep, 0.2f, 1.5f).Item(), pushed, 4);
    }

    [Fact]
    public void GradientFlowsToTheKeptEmbeddingsOnly()
    {
        using var scope = TensorScope.Begin();
        var (x, ids) = Clusters(3, 0.5f);
        x[1 * 3 + 1] = 5f;
        var e = Tensor.FromArray(x, 60, 3);
        e.RequiresGrad = true;
        ConfidentDiscriminative.Forward(e, ids, 0.6f, 1.5f, 0.2f, 1.5f).Backward();
        var g = e.Grad!.Data.ToArray();
        Assert.Equal(0f, g[3] * g[3] + g[4] * g[4] + g[5] * g[5]);
        Assert.Equal(0f, g[0] * g[0] + g[1] * g[1] + g[2] * g[2]); // unlabelled row 0
        Assert.Contains(Enumerable.Range(0, 60 * 3), i => g[i] != 0f);
    }
}
