using Clickscape.Data.Clicks;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Clicks;

public class ClickSimulatorTests
{
    /// <summary>
    /// A strip of 12 points: instance 1 = points 0..5 (class 5), instance 2 = points 6..10 (class 7),
    /// point 11 unlabelled. Segments: {0,1} {2,3,4,5} {6,7,8} {9,10} {11}.
    /// </summary>
    private static (Scene Scene, int[] Segments) Strip()
    {
        var positions = new float[12 * 3];
        for (int i = 0; i < 12; i++) positions[3 * i] = i;
        var scene = new Scene("strip", positions)
        {
            InstanceIds = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0],
            SemanticLabels = [5, 5, 5, 5, 5, 5, 7, 7, 7, 7, 7, 0],
        };
        int[] segments = [0, 0, 2, 2, 2, 2, 6, 6, 6, 9, 9, 11];
        return (scene, segments);
    }

    [Fact]
    public void OneClickPerInstanceLandsInsideItsInstanceWithItsClass()
    {
        var (scene, _) = Strip();
        for (int seed = 0; seed < 20; seed++)
        {
            var set = ClickSimulator.Simulate(scene, new(ClickPolicy.OneThingOneClick, seed));
            Assert.Equal(2, set.Clicks.Count);
            foreach (var c in set.Clicks)
            {
                Assert.Equal(c.Object, scene.InstanceIds![c.Point]);
                Assert.Equal(c.Label, scene.SemanticLabels![c.Point]);
                Assert.Equal(scene.Positions[3 * c.Point], c.Xyz[0]);
            }
            Assert.Null(set.Validate(scene));
        }
    }

    [Fact]
    public void ThreeClicksPerInstanceAreDistinctPoints()
    {
        var (scene, _) = Strip();
        var set = ClickSimulator.Simulate(scene, new(ClickPolicy.OneThingThreeClicks, 3));
        Assert.Equal(6, set.Clicks.Count);
        foreach (var group in set.Clicks.GroupBy(c => c.Object))
            Assert.Equal(3, group.Select(c => c.Point).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 6), set.Clicks.Select(c => c.Order));
    }

    [Fact]
    public void SameSeedSameClicksDifferentSeedEventuallyDiffers()
    {
        var (scene, _) = Strip();
        var a = ClickSimulator.Simulate(scene, new(ClickPolicy.OneThingOneClick, 11));
        var b = ClickSimulator.Simulate(scene, new(ClickPolicy.OneThingOneClick, 11));
        Assert.Equal(a.Clicks.Select(c => c.Point), b.Clicks.Select(c => c.Point));
        bool differs = Enumerable.Range(0, 30).Any(s =>
            !ClickSimulator.Simulate(scene, new(ClickPolicy.OneThingOneClick, s)).Clicks.Select(c => c.Point).SequenceEqual(a.Clicks.Select(c => c.Point)));
        Assert.True(differs);
    }

    [Fact]
    public void MaxSegmentClicksTheLargestSegmentOfEachInstance()
    {
        var (scene, segments) = Strip();
        for (int seed = 0; seed < 10; seed++)
        {
            var set = ClickSimulator.Simulate(scene, new(ClickPolicy.MaxSegment, seed), segments);
            Assert.Equal(2, segments[set.Clicks[0].Point]); // instance 1: segment 2 has 4 points, segment 0 has 2
            Assert.Equal(6, segments[set.Clicks[1].Point]); // instance 2: segment 6 has 3 points, segment 9 has 2
        }
    }

    [Fact]
    public void MaxSegmentPrefersTheLargestConnectedPartOfAnInstance()
    {
        // Instance 1 has two disconnected parts: part A = segments 0 (3 pts) and 1 (3 pts) joined by faces,
        // part B = segment 2 (4 pts) alone. Part A has 6 points > 4, so its largest segment (0, the lower id on
        // a size tie) is clicked, although segment 2 is the largest single segment.
        var positions = new float[10 * 3];
        for (int i = 0; i < 10; i++) positions[3 * i] = i;
        var scene = new Scene("parts", positions)
        {
            InstanceIds = Enumerable.Repeat(1, 10).ToArray(),
            SemanticLabels = Enumerable.Repeat(3, 10).ToArray(),
            Faces = [0, 1, 2, 2, 3, 4, 3, 4, 5, 6, 7, 8, 7, 8, 9],
        };
        int[] segments = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2];
        var set = ClickSimulator.Simulate(scene, new(ClickPolicy.MaxSegment, 1), segments);
        Assert.Equal(0, segments[set.Clicks.Single().Point]);
    }

    [Fact]
    public void SmallInstancesAreSkippedAndTheFileSaysSo()
    {
        var (scene, _) = Strip();
        var set = ClickSimulator.Simulate(scene, new(ClickPolicy.OneThingOneClick, 0, MinInstancePoints: 6));
        Assert.Single(set.Clicks);
        var skipped = Assert.Single(set.Skipped);
        Assert.Equal(2, skipped.Object);
        Assert.Equal(5, skipped.Points);
    }

    [Fact]
    public void SegmentPolicyWithoutSegmentsIsAClearError()
    {
        var (scene, _) = Strip();
        var e = Assert.Throws<ArgumentException>(() => ClickSimulator.Simulate(scene, new(ClickPolicy.MaxSegment, 0)));
        Assert.Contains("oversegment", e.Message);
    }

    [Fact]
    public void PolicyNamesRoundTripAndUnknownNamesAreListed()
    {
        foreach (var p in Enum.GetValues<ClickPolicy>()) Assert.Equal(p, ClickPolicyNames.Parse(p.Name()));
        var e = Assert.Throws<ArgumentException>(() => ClickPolicyNames.Parse("2t1c"));
        Assert.Contains("1t1c", e.Message);
    }
}
