using Clickscape.Data.Clicks;
using Clickscape.Models.SegGroup;
using Clickscape.Training.Methods.SegGroup;

namespace Clickscape.Training.Tests.Methods.SegGroup;

public sealed class SegLevelLabelsTests
{
    private const int U = SegGroupScene.Unlabelled;
    private static readonly int[] PointSegment = [0, 0, 1, 1, 2, 2, 3];

    private static Click At(int point, int obj, int label, int order = 0, bool positive = true) => new(obj, label, point, [0, 0, 0], positive, order);

    [Fact]
    public void EveryClick_LabelsItsSegment_ObjectsOnSeveralSegmentsLabelThemAll()
    {
        var (segments, classes, ambiguous) = SegLevelLabels.FromClicks("s", [At(1, 4, 5), At(4, 4, 5, 1), At(6, 2, 7, 2), At(3, 9, 3, 3, positive: false)], PointSegment, 4);
        Assert.Equal([4, U, 4, 2], segments);
        Assert.Equal(new Dictionary<int, int> { [4] = 5, [2] = 7 }, classes);
        Assert.Equal(0, ambiguous);
    }

    [Fact]
    public void SegmentClickedForTwoObjects_StaysUnlabelled()
    {
        var (segments, _, ambiguous) = SegLevelLabels.FromClicks("s", [At(2, 1, 5), At(3, 2, 5, 1), At(2, 1, 5, 2)], PointSegment, 4);
        Assert.Equal([U, U, U, U], segments);
        Assert.Equal(1, ambiguous);
    }

    [Fact]
    public void BadClicks_AreErrorsNamingTheClick()
    {
        var e = Assert.Throws<ArgumentException>(() => SegLevelLabels.FromClicks("room", [At(7, 1, 5, 3)], PointSegment, 4));
        Assert.Contains("click 3 is on point 7, but scene 'room' has 7 points", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => SegLevelLabels.FromClicks("room", [At(0, 1, 41)], PointSegment, 4));
        Assert.Contains("nyu40 id 1..40", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => SegLevelLabels.FromClicks("room", [At(0, 1, 5), At(2, 1, 6, 1)], PointSegment, 4));
        Assert.Contains("object 1 class 6", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SharedSegment_IsSplitByNearestClick_OthersKeepTheirIds()
    {
        // points on the x axis at 0..6; segment 1 (points 2, 3) is clicked for objects 1 (at point 2) and 2 (at point 3)
        var positions = Enumerable.Range(0, 7).SelectMany(i => new float[] { i, 0, 0 }).ToArray();
        var (segments, split) = SegLevelLabels.SplitSharedSegments(PointSegment, positions, [At(2, 1, 5), At(3, 2, 6, 1), At(6, 3, 7, 2)]);
        Assert.Equal(1, split);
        Assert.Equal([0, 0, 4, 5, 2, 2, 3], segments);
        var compact = segments.Select(s => Array.IndexOf(segments.Distinct().Order().ToArray(), s)).ToArray();
        var (labels, _, ambiguous) = SegLevelLabels.FromClicks("s", [At(2, 1, 5), At(3, 2, 6, 1), At(6, 3, 7, 2)], compact, compact.Max() + 1);
        Assert.Equal(0, ambiguous);
        Assert.Equal(1, labels[compact[2]]);
        Assert.Equal(2, labels[compact[3]]);
        Assert.Same(PointSegment, SegLevelLabels.SplitSharedSegments(PointSegment, positions, [At(2, 1, 5), At(3, 1, 5, 1)]).Segments);
    }
}
