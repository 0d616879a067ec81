using Clickscape.Geometry.Scenes;
using Clickscape.Training.Methods.ClickSeg;

namespace Clickscape.Training.Tests.Methods.ClickSeg;

public sealed class ClickClassWeightsTests
{
    private static SceneClicks Scene(params (int Nyu, int Points)[] labelled)
    {
        var semantic = labelled.SelectMany(p => Enumerable.Repeat(p.Nyu, p.Points)).Concat(Enumerable.Repeat(Labels.Unlabelled, 50)).ToArray();
        return new SceneClicks("s", [], semantic, new int[semantic.Length]);
    }

    /// <summary>√(median / n) against a hand count: 400, 100 and 25 labelled points (median 100) give ½, 1 and 2; a class
    /// without labelled points keeps 1; unlabelled points and classes outside the 20 (nyu40 40, otherprop) count for nothing;
    /// counts add up over scenes.</summary>
    [Fact]
    public void SqrtInverseFrequency_MatchesAHandCount()
    {
        int[] classIds = [1, 2, 3, 5];
        var weights = ClickClassWeights.SqrtInverseFrequency([Scene((1, 300), (2, 100), (40, 1000)), Scene((1, 100), (5, 25))], classIds);
        Assert.Equal([0.5f, 1f, 1f, 2f], weights);
    }

    [Fact]
    public void SqrtInverseFrequency_WithNothingLabelled_IsUniform()
    {
        Assert.Equal([1f, 1f], ClickClassWeights.SqrtInverseFrequency([Scene()], [1, 2]));
        Assert.Equal([1f, 1f], ClickClassWeights.SqrtInverseFrequency([], [1, 2]));
    }
}
