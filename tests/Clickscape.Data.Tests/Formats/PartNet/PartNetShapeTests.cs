using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.IO;

namespace Clickscape.Data.Tests.Formats.PartNet;

public class PartNetShapeTests
{
    /// <summary>chair(0) → base(1) → legs(2) → leg 10..13 ; chair → seat(3) ; chair → back(4).</summary>
    internal static PartNetShape Chair(int n, int seed)
    {
        var legs = new PartNetNode(2, "legs", "Legs", children: Enumerable.Range(10, 4).Select(i => new PartNetNode(i, "leg", "Leg", [$"original-{i}"])));
        var root = new PartNetNode(0, "chair", "Chair", children:
        [
            new PartNetNode(1, "chair_base", "Chair Base", children: [legs]),
            new PartNetNode(3, "chair_seat", "Chair Seat", ["original-1"]),
            new PartNetNode(4, "chair_back", "Chair Back", ["original-2", "original-5"]),
        ]);
        var rng = new Random(seed);
        int[] leaves = [10, 11, 12, 13, 3, 4];
        var points = Enumerable.Range(0, 3 * n).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        var ids = Enumerable.Range(0, n).Select(_ => leaves[rng.Next(leaves.Length)]).ToArray();
        return new PartNetShape("777", "Chair", [root], points, ids);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(10000)]
    public void WriterThenReader_RoundTripsTreeAndPoints(int n)
    {
        var shape = Chair(n, n);
        var dir = Path.Combine(TestScenes.TempDir(), "777");
        PartNetShapeWriter.Write(dir, shape);
        Assert.Equal(n == 10000, File.Exists(Path.Combine(dir, "point_sample", "pts-10000.txt")));
        var back = PartNetShape.Load(dir);
        Assert.Equal(("777", "Chair"), (back.AnnoId, back.Category));
        Assert.Equal(shape.Points, back.Points);
        Assert.Equal(shape.PointNodeIds, back.PointNodeIds);
        Assert.Equal(3, back.MaxDepth);
        Assert.Equal(
            shape.Roots[0].Descendants().Select(d => (d.Id, d.Name, d.Text, d.Depth, string.Join(",", d.Objs))),
            back.Roots[0].Descendants().Select(d => (d.Id, d.Name, d.Text, d.Depth, string.Join(",", d.Objs))));
    }

    [Fact]
    public void Levels_GiveCoarseToFineInstancesAndSemantics()
    {
        var shape = Chair(500, 1);
        Assert.Equal(new[] { 0, 1, 2, 11 }, shape.Ancestors(11).Select(a => a.Id));
        var coarse = shape.ToScene(1);
        var fine = shape.ToScene(3);
        Assert.Equal(3, coarse.InstanceIds!.Distinct().Count());
        Assert.Equal(6, fine.InstanceIds!.Distinct().Count());
        Assert.Equal(3, fine.Classes!.Classes.Count);
        Assert.Contains(fine.Classes.Classes, c => c.Name == "chair/chair_base/legs/leg");
        for (int i = 0; i < 500; i++)
        {
            // Every fine part lies inside one coarse part.
            int leaf = shape.PointNodeIds[i];
            Assert.Equal(shape.Find(leaf)!.AncestorAt(1).Id, shape.NodeIdsAtDepth(1)[i]);
        }
        Assert.Null(coarse.Validate());
    }

    [Fact]
    public void LabelNotInTree_OrCountMismatch_Throws()
    {
        var dir = Path.Combine(TestScenes.TempDir(), "1");
        PartNetShapeWriter.Write(dir, Chair(5, 2));
        File.WriteAllText(Path.Combine(dir, "point_sample", "label-5.txt"), "10\n10\n99\n10\n10\n");
        Assert.Contains("not a node of the tree", Assert.Throws<DataFormatException>(() => PartNetShape.Load(dir)).Message, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir, "point_sample", "label-5.txt"), "10\n10\n");
        Assert.Contains("for 5 points", Assert.Throws<DataFormatException>(() => PartNetShape.Load(dir)).Message, StringComparison.Ordinal);
    }
}
