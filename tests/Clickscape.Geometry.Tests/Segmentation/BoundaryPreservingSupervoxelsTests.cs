using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Geometry.Tests.Segmentation;

public class BoundaryPreservingSupervoxelsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(50)]
    [InlineData(300)]
    public void Fusion_stops_at_exactly_K_supervoxels(int k)
    {
        var (p, c) = SupervoxelScenes.FloorAndWall(); // one connected kNN graph
        var seg = BoundaryPreservingSupervoxels.Segment(p, c, null, new BoundaryPreservingOptions { Supervoxels = k });
        Assert.Equal(k, seg.Distinct().Count());
        Assert.All(seg, id => Assert.Equal(id, seg[id]));
    }

    [Fact]
    public void Fusion_never_joins_disconnected_parts()
    {
        // The bumpy grid's 0.2 m steps cut its kNN graph into blocks: asking for one supervoxel gives one per block.
        var (p, _) = SyntheticMeshes.BumpyGrid(40, 37, 5);
        var seg = BoundaryPreservingSupervoxels.Segment(p, default, null, new BoundaryPreservingOptions { Supervoxels = 1 });
        var (nb, _) = new KdTree(p).NearestAll(11);
        var blocks = new DisjointSet(p.Length / 3);
        for (int i = 0; i < nb.Length; i++)
            blocks.Union(i / 11, nb[i]);
        Assert.Equal(blocks.SetCount, seg.Distinct().Count());
        Assert.True(blocks.SetCount > 1);
    }

    [Fact]
    public void Two_supervoxels_split_floor_from_wall_and_three_add_the_colour_border()
    {
        var (p, c) = SupervoxelScenes.FloorAndWall();
        int n = p.Length / 3;
        var options = new BoundaryPreservingOptions { Supervoxels = 2, Viewpoint = new(0.2f, 0.2f, 0.2f), ColorWeight = 0 };
        var seg = BoundaryPreservingSupervoxels.Segment(p, c, null, options);
        // Beyond the PCA normals' blur at the crease (2 cm), floor and wall are each one supervoxel.
        var floor = Enumerable.Range(0, n).Where(i => SupervoxelScenes.OnFloor(i) && p[3 * i] > 0.02f).Select(i => seg[i]).ToHashSet();
        var wall = Enumerable.Range(0, n).Where(i => !SupervoxelScenes.OnFloor(i) && p[3 * i + 2] > 0.02f).Select(i => seg[i]).ToHashSet();
        Assert.Single(floor);
        Assert.Single(wall);
        Assert.NotEqual(floor.Single(), wall.Single());

        var withColour = BoundaryPreservingSupervoxels.Segment(p, c, null, options with { Supervoxels = 3, ColorWeight = 4 });
        var red = Enumerable.Range(0, n).Where(i => SupervoxelScenes.Red(p, i) && p[3 * i] > 0.02f).Select(i => withColour[i]).ToHashSet();
        var grey = Enumerable.Range(0, n).Where(i => SupervoxelScenes.OnFloor(i) && !SupervoxelScenes.Red(p, i)).Select(i => withColour[i]).ToHashSet();
        Assert.Single(red);
        Assert.Single(grey);
        Assert.NotEqual(red.Single(), grey.Single());
    }

    [Fact]
    public void Bad_inputs_throw_and_empty_gives_empty()
    {
        Assert.Empty(BoundaryPreservingSupervoxels.Segment([]));
        Assert.Throws<ArgumentException>(() => BoundaryPreservingSupervoxels.Segment(new float[5]));
        Assert.Throws<ArgumentOutOfRangeException>(() => BoundaryPreservingSupervoxels.Segment(new float[6], default, null, new BoundaryPreservingOptions { Supervoxels = 0 }));
    }
}
