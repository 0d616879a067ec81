using Clickscape.Geometry.Segmentation;

namespace Clickscape.Geometry.Tests.Segmentation;

public class RegionMergingSegmentationTests
{
    private static readonly RegionMergingOptions Options = new() { Viewpoint = new(0.2f, 0.2f, 0.2f) };

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(1000)]
    public void Merging_stops_at_K_regions_without_refinement(int k)
    {
        // At most as many as the fine over-segmentation has (the same normals: same neighbours and viewpoint).
        var (p, c) = SupervoxelScenes.FloorAndWall();
        int fine = PointCloudSegmentator.Segment(p, c, null, Options.Initial with { Viewpoint = Options.Viewpoint }).Distinct().Count();
        Assert.True(fine > 3);
        var seg = RegionMergingSegmentation.Segment(p, c, null, Options with { Segments = k, RefinementPasses = 0 });
        Assert.Equal(Math.Min(k, fine), seg.Distinct().Count());
        Assert.All(seg, id => Assert.Equal(id, seg[id]));
    }

    [Fact]
    public void Refinement_only_moves_points_between_existing_regions()
    {
        var (p, c) = SupervoxelScenes.FloorAndWall();
        var raw = RegionMergingSegmentation.Segment(p, c, null, Options with { Segments = 6, RefinementPasses = 0 });
        var refined = RegionMergingSegmentation.Segment(p, c, null, Options with { Segments = 6, RefinementPasses = 3 });
        Assert.InRange(refined.Distinct().Count(), 1, 6);
        Assert.All(refined, id => Assert.Equal(id, refined[id]));
        // Most points keep their region (refinement acts on boundaries only).
        int n = p.Length / 3;
        var map = Enumerable.Range(0, n).GroupBy(i => refined[i]).ToDictionary(g => g.Key, g => g.GroupBy(i => raw[i]).MaxBy(h => h.Count())!.Key);
        Assert.True(Enumerable.Range(0, n).Count(i => map[refined[i]] == raw[i]) > 0.8 * n);
    }

    [Fact]
    public void Three_regions_are_wall_red_floor_and_grey_floor()
    {
        var (p, c) = SupervoxelScenes.FloorAndWall();
        int n = p.Length / 3;
        var seg = RegionMergingSegmentation.Segment(p, c, null, Options with { Segments = 3 });
        // Beyond the crease's normal blur (3 cm) and one point from the colour border, each part is one region.
        var wall = Enumerable.Range(0, n).Where(i => !SupervoxelScenes.OnFloor(i) && p[3 * i + 2] > 0.03f).Select(i => seg[i]).ToHashSet();
        var red = Enumerable.Range(0, n).Where(i => SupervoxelScenes.Red(p, i) && p[3 * i] > 0.03f && p[3 * i] < 0.19f).Select(i => seg[i]).ToHashSet();
        var grey = Enumerable.Range(0, n).Where(i => SupervoxelScenes.OnFloor(i) && p[3 * i] > 0.21f).Select(i => seg[i]).ToHashSet();
        Assert.Single(wall);
        Assert.Single(red);
        Assert.Single(grey);
        Assert.Equal(3, new[] { wall.Single(), red.Single(), grey.Single() }.Distinct().Count());
    }

    [Fact]
    public void Bad_inputs_throw_and_empty_gives_empty()
    {
        Assert.Empty(RegionMergingSegmentation.Segment([]));
        Assert.Throws<ArgumentException>(() => RegionMergingSegmentation.Segment(new float[7]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RegionMergingSegmentation.Segment(new float[6], default, null, new RegionMergingOptions { Segments = 0 }));
    }
}
