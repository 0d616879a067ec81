using Clickscape.Geometry.Scenes;
using Clickscape.Tensors;
using Clickscape.Tensors.Losses;

namespace Clickscape.Models.Tests.PointGroup;

/// <summary>The loss layer's ignore target is the scene layer's <see cref="Labels.Ignore"/> (the engine cannot
/// reference geometry, so the value is defined twice and pinned equal here).</summary>
public sealed class LabelSentinelTests
{
    [Fact]
    public void CrossEntropyIgnoresLabelsIgnoreByDefault()
    {
        Assert.Equal(Labels.Ignore, CrossEntropy.DefaultIgnoreIndex);
        using var logits = Tensor.FromArray([2f, -1f, 0.5f, 0.25f], 2, 2);
        using var both = Losses.CrossEntropy(logits, [0, 1]);
        using var first = Losses.CrossEntropy(logits, [0, Labels.Ignore]);
        using var firstOnly = Losses.CrossEntropy(logits.Slice(0, 0, 1), [0]);
        Assert.Equal(firstOnly.Item(), first.Item(), 6);
        Assert.NotEqual(both.Item(), first.Item());
    }
}
