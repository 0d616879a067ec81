using Clickscape.Data.Formats.PartNet;
using Clickscape.Testing;
using Xunit.Abstractions;

namespace Clickscape.Data.Tests.Formats.PartNet;

/// <summary>The K levels of a shape: depth k, the leaves at level K, and missing levels copied from the coarser one.</summary>
public sealed class PartNetLevelsTests(ITestOutputHelper output)
{
    // chair(0) ─ back(1) ─ frame(2) ─ bar(3), bar(4)
    //          ├ seat(5) ─ surface(6)            (leaf at depth 2: level 3 copies level 2)
    //          └ base(7)                         (leaf at depth 1: levels 2 and 3 copy level 1)
    private static PartNetShape Shape()
    {
        var root = new PartNetNode(0, "chair", "Chair", children:
        [
            new PartNetNode(1, "back", "Back", children: [new PartNetNode(2, "frame", "Frame", children: [new PartNetNode(3, "bar", "Bar", ["a"]), new PartNetNode(4, "bar", "Bar", ["b"])])]),
            new PartNetNode(5, "seat", "Seat", children: [new PartNetNode(6, "surface", "Surface", ["c"])]),
            new PartNetNode(7, "base", "Base", ["d"]),
        ]);
        int[] leaves = [3, 4, 6, 7, 3];
        return new PartNetShape("s", "Chair", [root], new float[3 * leaves.Length], leaves);
    }

    [Fact]
    public void Nodes_AreDepthKAncestors_WithTheLeavesAtTheFinestLevel()
    {
        var nodes = PartNetLevels.Nodes(Shape());
        Assert.Equal([1, 1, 5, 7, 1], nodes[0]);
        Assert.Equal([2, 2, 6, 7, 2], nodes[1]);
        Assert.Equal([3, 4, 6, 7, 3], nodes[2]);
    }

    [Fact]
    public void MissingLevels_CopyTheCoarserLevelsPartAndClass()
    {
        var shape = Shape();
        var nodes = PartNetLevels.Nodes(shape);
        var paths = PartNetLevels.Paths(shape, nodes);
        // the base has no middle or fine part: both levels carry the coarse one (same instance, same class path)
        Assert.Equal(nodes[0][3], nodes[1][3]);
        Assert.Equal(nodes[1][3], nodes[2][3]);
        Assert.Equal("chair/base", paths[2][3]);
        // the seat surface is a middle-level leaf: the fine level copies it
        Assert.Equal("chair/seat/surface", paths[1][2]);
        Assert.Equal("chair/seat/surface", paths[2][2]);
        Assert.Equal("chair/back/frame/bar", paths[2][0]);
        // two levels only: the second is the leaves
        Assert.Equal([3, 4, 6, 7, 3], PartNetLevels.Nodes(shape, 2)[1]);
    }

    [SkippableFact]
    public void RealBottle_HasCoarseAndMiddleLevels_AndNoFineOne()
    {
        var shape = PartNetShape.Load(RealData.Locate("partnet/3763", output));
        var nodes = PartNetLevels.Nodes(shape);
        Assert.Equal([1], nodes[0].Distinct()); // normal_bottle
        Assert.Equal([5, 6, 7], nodes[1].Distinct().Order());
        Assert.Equal(nodes[1], nodes[2]);
        Assert.True(PartNetLevels.Exists(shape, 1));
        Assert.True(PartNetLevels.Exists(shape, 2));
        Assert.False(PartNetLevels.Exists(shape, 3));
    }
}
