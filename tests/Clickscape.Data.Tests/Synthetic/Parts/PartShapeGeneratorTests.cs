using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Synthetic.Parts;

namespace Clickscape.Data.Tests.Synthetic.Parts;

public sealed class PartShapeGeneratorTests
{
    [Fact]
    public void HierarchiesAreConsistentAndEveryPointHasALeaf()
    {
        for (int i = 0; i < 12; i++)
        {
            var shape = PartShapeGenerator.Generate(9, i);
            Assert.Equal(PartShapeGenerator.Categories[i % 4], shape.Category);
            var nodes = shape.Root.Descendants().ToList();
            Assert.Equal(nodes.Count, nodes.Select(n => n.Id).Distinct().Count());
            Assert.Equal(0, shape.Root.Id);
            Assert.True(shape.Root.Depth >= 2, $"{shape.Category}: hierarchy depth {shape.Root.Depth}");
            // Each leaf's ancestors exist: the parent map reaches the root from every leaf.
            var parent = new Dictionary<int, int>();
            foreach (var n in nodes)
            {
                foreach (var c in n.Children) parent.Add(c.Id, n.Id);
            }
            var leaves = shape.Root.Leaves().ToDictionary(l => l.Id);
            foreach (var leaf in leaves.Values)
            {
                Assert.NotEmpty(leaf.Surfaces);
                int at = leaf.Id, steps = 0;
                while (at != 0)
                {
                    at = parent[at];
                    Assert.True(++steps < 10);
                }
            }
            Assert.All(nodes.Where(n => !n.IsLeaf), n => Assert.Empty(n.Surfaces));
            Assert.Equal(PartShapeGenerator.PointCount, shape.LeafIds.Length);
            Assert.Equal(3 * PartShapeGenerator.PointCount, shape.Points.Length);
            Assert.All(shape.LeafIds, id => Assert.True(leaves.ContainsKey(id), $"point label {id} is not a leaf"));
            Assert.True(shape.LeafIds.Distinct().Count() >= Math.Min(3, leaves.Count));
            // Normalized as PartNet: max radius 1 around the bounding-box centre.
            float maxR = 0;
            for (int p = 0; p < shape.LeafIds.Length; p++)
            {
                float x = shape.Points[3 * p], y = shape.Points[3 * p + 1], z = shape.Points[3 * p + 2];
                maxR = MathF.Max(maxR, MathF.Sqrt(x * x + y * y + z * z));
            }
            Assert.Equal(1f, maxR, 3);
        }
    }

    [Fact]
    public void ChairsHaveTheirBaseLegsSeatAndBack()
    {
        var names = Enumerable.Range(0, 10).Select(k => PartShapeGenerator.Generate(2, 4 * k))
            .Select(s => s.Root.Descendants().Select(n => n.Name).ToHashSet()).ToList();
        Assert.All(names, n => Assert.Superset(new HashSet<string> { "chair", "chair_base", "chair_back", "chair_seat", "seat_surface", "leg" }, n));
        Assert.Contains(names, n => n.Contains("star_leg_base") && n.Contains("wheel"));
        Assert.Contains(names, n => n.Contains("regular_leg_base"));
    }

    [Fact]
    public void SameSeedSameShape()
    {
        var a = PartShapeGenerator.Generate(4, 3);
        var b = PartShapeGenerator.Generate(4, 3);
        Assert.Equal(a.Points, b.Points);
        Assert.Equal(a.LeafIds, b.LeafIds);
        Assert.NotEqual(a.Points, PartShapeGenerator.Generate(5, 3).Points);
    }

    [Fact]
    public void DatasetReadsBackThroughThePartNetReader()
    {
        var dir = Directory.CreateTempSubdirectory("clickscape-parts-").FullName;
        try
        {
            var ids = PartShapeGenerator.WriteDataset(dir, 4, 1);
            for (int i = 0; i < ids.Count; i++)
            {
                var shapeDir = Path.Combine(dir, ids[i]);
                Assert.True(File.Exists(Path.Combine(shapeDir, "point_sample", "pts-10000.txt")));
                Assert.True(File.Exists(Path.Combine(shapeDir, "point_sample", "label-10000.txt")));
                var expected = PartShapeGenerator.Generate(1, i);
                var loaded = PartNetShape.Load(shapeDir);
                Assert.Equal(expected.Category, loaded.Category);
                Assert.Equal(expected.LeafIds, loaded.PointNodeIds);
                Assert.Equal(expected.Points, loaded.Points);
                var leafNames = expected.Root.Descendants().ToDictionary(n => n.Id, n => n.Name);
                foreach (var node in loaded.Roots.SelectMany(r => r.Descendants()))
                    Assert.Equal(leafNames[node.Id], node.Name);
                Assert.Equal(expected.Root.Depth, loaded.MaxDepth);
                // Every point's leaf has ancestors up to the root at every level.
                foreach (int id in loaded.PointNodeIds.Distinct())
                    Assert.Equal(loaded.Find(id)!.Depth, loaded.Ancestors(id).Count(a => a.Id != id));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
