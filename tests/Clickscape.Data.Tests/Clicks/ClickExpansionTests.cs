using Clickscape.Data.Clicks;

namespace Clickscape.Data.Tests.Clicks;

public class ClickExpansionTests
{
    private static Click At(int obj, int label, int point, int order, bool positive = true) =>
        new(obj, label, point, [0, 0, 0], positive, order);

    [Fact]
    public void ClickedSegmentsAreLabelledWholeOthersStayUnlabelled()
    {
        int[] segments = [4, 4, 4, 8, 8, 9];
        var set = new ClickSet("s", "manual", null, [At(1, 5, 1, 0), At(2, 7, 5, 1)]);
        var labels = ClickExpansion.ToSegments(set, segments);
        Assert.Equal([1, 1, 1, -1, -1, 2], labels.Instance);
        Assert.Equal([5, 5, 5, -1, -1, 7], labels.Semantic);
        Assert.Equal(4 / 6.0, labels.LabelledFraction, 12);
    }

    [Fact]
    public void ASegmentClickedForTwoObjectsLabelsOnlyTheClickedPoints()
    {
        int[] segments = [4, 4, 4, 4];
        var set = new ClickSet("s", "manual", null, [At(1, 5, 0, 0), At(2, 7, 3, 1)]);
        var labels = ClickExpansion.ToSegments(set, segments);
        Assert.Equal([1, -1, -1, 2], labels.Instance);
    }

    [Fact]
    public void NegativeClicksLabelNothing()
    {
        int[] segments = [0, 0, 1];
        var set = new ClickSet("s", "manual", null, [At(0, 0, 2, 0, positive: false)]);
        Assert.All(ClickExpansion.ToSegments(set, segments).Instance, v => Assert.Equal(-1, v));
    }
}
