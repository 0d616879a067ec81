using System.Numerics;
using Clickscape.Data.Classes;
using Clickscape.Data.Synthetic.Meshing;
using Clickscape.Data.Synthetic.Scenes;

namespace Clickscape.Data.Tests.Synthetic.Scenes;

public sealed class RoomPlannerTests
{
    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(12345UL)]
    public void TwentyRoomsHoldAllEighteenInstanceClasses(ulong seed)
    {
        var present = new HashSet<int>();
        for (int i = 0; i < 20; i++)
        {
            foreach (var o in SceneGenerator.PlanLayout(seed, i).Objects) present.Add(o.Nyu40Id);
        }
        var missing = ScanNetBenchmark.Instance18Ids.Where(c => !present.Contains(c)).ToList();
        Assert.True(missing.Count == 0, $"seed {seed}: classes missing from 20 rooms: {string.Join(", ", missing)}");
        Assert.Contains(1, present);
        Assert.Contains(2, present);
    }

    [Fact]
    public void EveryBlockOfFiveScenesHasEachRoomKindOnce()
    {
        for (int block = 0; block < 4; block++)
        {
            var kinds = Enumerable.Range(5 * block, 5).Select(i => RoomPlanner.KindOf(i, 77)).ToHashSet();
            Assert.Equal(5, kinds.Count);
        }
    }

    [Fact]
    public void RoomsHaveFourWallsOneFloorAndFurnitureInsideTheRoom()
    {
        for (int i = 0; i < 10; i++)
        {
            var layout = SceneGenerator.PlanLayout(3, i);
            Assert.Equal(4, layout.Objects.Count(o => o.Nyu40Id == 1));
            Assert.Equal(1, layout.Objects.Count(o => o.Nyu40Id == 2));
            Assert.True(layout.Objects.Count >= 10, $"{layout.Kind} {i} has only {layout.Objects.Count} objects");
            Assert.InRange(layout.Cameras.Count, 3, 6);
            foreach (var o in layout.Objects)
            {
                Assert.NotEmpty(o.Parts);
                // Every part's anchor lies in the room (walls' panels start at a corner; doors and windows are
                // recessed into the wall by at most 20 cm).
                foreach (var part in o.Parts)
                {
                    var p = Anchor(part.Shape);
                    Assert.InRange(p.X, -0.3f, layout.Width + 0.3f);
                    Assert.InRange(p.Y, -0.3f, layout.Depth + 0.3f);
                    Assert.InRange(p.Z, -0.2f, layout.Height + 0.1f);
                }
            }
            foreach (var c in layout.Cameras)
            {
                Assert.InRange(c.X, 0, layout.Width);
                Assert.InRange(c.Y, 0, layout.Depth);
            }
        }
    }

    [Fact]
    public void ObjectsAreMadeOfSeveralDifferentlyColouredParts()
    {
        var layout = SceneGenerator.PlanLayout(4, 2);
        var chairs = Enumerable.Range(0, 10).SelectMany(i => SceneGenerator.PlanLayout(4, i).Objects).Where(o => o.Nyu40Id == 5).ToList();
        Assert.NotEmpty(chairs);
        foreach (var chair in chairs)
        {
            Assert.Contains(chair.Parts, p => p.Name == "seat");
            Assert.Contains(chair.Parts, p => p.Name == "back");
            Assert.True(chair.Parts.Select(p => p.Albedo).Distinct().Count() >= 2, "a chair's parts have at least two colours");
        }
        Assert.NotNull(layout);
    }

    private static Vector3 Anchor(Primitive shape) => shape switch
    {
        BoxPrimitive b => b.Frame.Origin,
        FrustumPrimitive f => f.Frame.Origin,
        PanelPrimitive p => p.Frame.Point(p.U0, p.V0, 0),
        _ => throw new InvalidOperationException(),
    };
}
