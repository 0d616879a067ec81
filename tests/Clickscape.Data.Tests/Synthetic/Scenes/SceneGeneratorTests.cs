using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;
using Clickscape.Data.Synthetic.Scenes;

namespace Clickscape.Data.Tests.Synthetic.Scenes;

/// <summary>Five small rooms (one of each kind) generated once for the whole class.</summary>
public sealed class SmallRooms
{
    public const ulong Seed = 5;

    public SyntheticScene[] Scenes { get; } = Enumerable.Range(0, 5).AsParallel().AsOrdered()
        .Select(i => SceneGenerator.Generate(Seed, i, SceneSize.Small)).ToArray();
}

public sealed class SceneGeneratorTests : IClassFixture<SmallRooms>
{
    private readonly SmallRooms _rooms;

    public SceneGeneratorTests(SmallRooms rooms) => _rooms = rooms;

    [Fact]
    public void SameSeedGivesTheSameScene()
    {
        var again = SceneGenerator.Generate(SmallRooms.Seed, 1, SceneSize.Small);
        var first = _rooms.Scenes[1];
        Assert.Equal(first.Scene.Positions, again.Scene.Positions);
        Assert.Equal(first.Scene.Colors, again.Scene.Colors);
        Assert.Equal(first.Scene.Faces, again.Scene.Faces);
        Assert.Equal(first.Scene.SemanticLabels, again.Scene.SemanticLabels);
        Assert.Equal(first.Scene.InstanceIds, again.Scene.InstanceIds);
        Assert.Equal(first.SegIndices, again.SegIndices);
        var other = SceneGenerator.Generate(SmallRooms.Seed + 1, 1, SceneSize.Small);
        Assert.NotEqual(first.Scene.PointCount, other.Scene.PointCount);
    }

    [Fact]
    public void ScenesAreValidAndInTheSmallRange()
    {
        var (min, max) = SceneSizes.VertexRange(SceneSize.Small);
        foreach (var s in _rooms.Scenes)
        {
            Assert.Null(s.Scene.Validate());
            Assert.InRange(s.Scene.PointCount, min, max);
            Assert.True(s.Scene.FaceCount > s.Scene.PointCount, "a closed-ish surface mesh has more faces than vertices");
            // Every vertex is used by a face.
            var used = new bool[s.Scene.PointCount];
            foreach (int v in s.Scene.Faces!) used[v] = true;
            Assert.All(used, Assert.True);
        }
        Assert.Equal(5, _rooms.Scenes.Select(s => s.Layout.Kind).Distinct().Count());
    }

    [Fact]
    public void InstancesAreContiguousAndEachHasOneClass()
    {
        foreach (var s in _rooms.Scenes)
        {
            var labels = s.Scene.SemanticLabels!;
            var instances = s.Scene.InstanceIds!;
            var classOf = new Dictionary<int, int>();
            int unannotated = 0;
            for (int v = 0; v < labels.Length; v++)
            {
                // Unannotated clutter has neither class nor instance; everything else has both.
                Assert.Equal(labels[v] == 0, instances[v] == 0);
                if (instances[v] == 0)
                {
                    unannotated++;
                    continue;
                }
                if (classOf.TryGetValue(instances[v], out int c)) Assert.Equal(c, labels[v]);
                else classOf[instances[v]] = labels[v];
            }
            Assert.True(unannotated < labels.Length / 20, $"{unannotated} unannotated vertices: only small clutter may be");
            int k = classOf.Count;
            Assert.Equal(Enumerable.Range(1, k), classOf.Keys.Order());
            Assert.Equal(1, classOf.Values.Count(c => c == 2)); // one floor instance
            Assert.InRange(classOf.Values.Count(c => c == 1), 3, 4); // a wall per side (all seen, or one hidden)
            // Nearly every planned object was seen by some camera.
            int planned = s.Layout.Objects.Count(o => o.Nyu40Id != 0);
            Assert.True(k >= 0.85 * planned, $"{s.Layout.Kind}: only {k} of {planned} annotated objects seen");
        }
    }

    [Fact]
    public void SegmentsNeverStraddleInstances()
    {
        foreach (var s in _rooms.Scenes)
        {
            var instanceOfSegment = new Dictionary<int, int>();
            for (int v = 0; v < s.SegIndices.Length; v++)
            {
                int seg = s.SegIndices[v];
                Assert.InRange(seg, 0, v); // root-vertex style ids: the lowest vertex of the segment
                if (instanceOfSegment.TryGetValue(seg, out int inst)) Assert.Equal(inst, s.Scene.InstanceIds![v]);
                else instanceOfSegment[seg] = s.Scene.InstanceIds![v];
            }
            int segments = instanceOfSegment.Count;
            Assert.InRange(segments, s.Scene.InstanceIds!.Max(), s.Scene.PointCount / 20);
        }
    }

    [Fact]
    public void TheFloorUnderTheBedIsNotScanned()
    {
        var bedroom = _rooms.Scenes.Single(s => s.Layout.Kind == RoomKind.Bedroom);
        var bed = bedroom.Layout.Objects.Single(o => o.Nyu40Id == 4);
        var mattress = (BoxPrimitive)bed.Parts.Single(p => p.Name == "mattress").Shape;
        var scene = bedroom.Scene;
        int under = 0, floor = 0;
        for (int v = 0; v < scene.PointCount; v++)
        {
            if (scene.SemanticLabels![v] != 2) continue;
            floor++;
            var d = scene.Position(v) - mattress.Frame.Origin;
            if (MathF.Abs(Vector3.Dot(d, mattress.Frame.X)) < mattress.Half.X - 0.15f && MathF.Abs(Vector3.Dot(d, mattress.Frame.Y)) < mattress.Half.Y - 0.15f) under++;
        }
        float area = bedroom.Layout.Width * bedroom.Layout.Depth;
        float underArea = 4 * (mattress.Half.X - 0.15f) * (mattress.Half.Y - 0.15f);
        double densityUnder = under / underArea, densityFloor = floor / area;
        Assert.True(densityUnder < 0.05 * densityFloor, $"floor under the bed: {densityUnder:F0} vertices/m² vs {densityFloor:F0} on the whole floor");
    }

    [Fact]
    public void ColoursVaryWithinAPart()
    {
        var s = _rooms.Scenes[0].Scene;
        var floorColours = new HashSet<int>();
        for (int v = 0; v < s.PointCount; v++)
        {
            if (s.SemanticLabels![v] == 2) floorColours.Add(s.Colors![3 * v] << 16 | s.Colors[3 * v + 1] << 8 | s.Colors[3 * v + 2]);
        }
        Assert.True(floorColours.Count > 200, $"only {floorColours.Count} distinct floor colours: no texture, lighting or noise");
    }
}
