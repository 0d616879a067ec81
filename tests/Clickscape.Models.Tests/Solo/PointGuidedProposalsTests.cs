using Clickscape.Models.Solo;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;

namespace Clickscape.Models.Tests.Solo;

public sealed class PointGuidedProposalsTests
{
    private static readonly SoloOptions Options = new() { Classes = 2, InputSize = 32, Grids = [4, 2], ScaleRanges = [(0, 0.5), (0.4, 10)] };

    /// <summary>A hand-built output: mask features are one-hot per pixel region, kernels pick regions, the class logits
    /// make level 1 the confident one for the point; so each selection's choice is known exactly.</summary>
    private static SoloOutput Output()
    {
        int e = 2, hw = 8 * 8;
        var features = Tensor.Zeros(1, e, 8, 8);
        for (int p = 0; p < hw; p++) features.Data[(p % 8 < 4 ? 0 : 1) * hw + p] = 1f; // channel 0 = left half, 1 = right half
        var k0 = Tensor.Full(-5f, 1, e, 4, 4);
        var k1 = Tensor.Full(-5f, 1, e, 2, 2);
        // point at (6, 6): level-0 cell (1, 1) = 5, level-1 cell (0, 0) = 0
        k0.Data[0 * 16 + 5] = 5f;  // level 0 mask = left half, probability σ(5)
        k1.Data[0 * 4 + 0] = 2f;   // level 1 mask = left half, probability σ(2)
        var c0 = Tensor.Full(-4f, 1, 2, 4, 4);
        var c1 = Tensor.Full(-4f, 1, 2, 2, 2);
        c0.Data[1 * 16 + 5] = 0f;  // class 1 probability 0.5 at level 0
        c1.Data[1 * 4 + 0] = 3f;   // class 1 probability σ(3) at level 1
        return new SoloOutput([c0, c1], [k0, k1], features);
    }

    [Fact]
    public void Adaptive_TakesTheLevelWithTheLargestClassProbabilityTimesMaskness()
    {
        using var scope = TensorScope.Begin();
        var o = Output();
        var point = new LabelledPoint(6, 6, 1);
        var adaptive = PointGuidedProposals.Propose(o, 0, Options, [point], LevelSelection.Adaptive);
        float s0 = 0.5f * (1 / (1 + MathF.Exp(-5))), s1 = (1 / (1 + MathF.Exp(-3))) * (1 / (1 + MathF.Exp(-2)));
        Assert.True(s1 > s0);
        Assert.Equal(1, adaptive.Single().Level);
        Assert.Equal(s1, adaptive.Single().Score, 5);
        Assert.Equal(0, PointGuidedProposals.Propose(o, 0, Options, [point], LevelSelection.SingleLevel).Single().Level);
        Assert.Equal([0, 1], PointGuidedProposals.Propose(o, 0, Options, [point], LevelSelection.AllLevels).Select(p => p.Level));
        Assert.Equal(0, PointGuidedProposals.Propose(o, 0, Options, [point], LevelSelection.GroundTruthSize, groundTruthLevels: [0]).Single().Level);
        Assert.Throws<ArgumentException>(() => PointGuidedProposals.Propose(o, 0, Options, [point], LevelSelection.GroundTruthSize));
    }

    [Fact]
    public void AnEmptyMaskScoresZero()
    {
        using var scope = TensorScope.Begin();
        var o = Output();
        // a point whose cells have all-negative kernels: no pixel above 0.5 on any level
        var p = PointGuidedProposals.Propose(o, 0, Options, [new LabelledPoint(30, 30, 0)], LevelSelection.AllLevels);
        Assert.All(p, x => Assert.Equal(0f, x.Score));
    }
}
