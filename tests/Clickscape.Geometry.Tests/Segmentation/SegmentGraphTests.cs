using System.Numerics;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Geometry.Tests.Segmentation;

public class SegmentGraphTests
{
    // A strip of 4 quads (10 vertices, 2 rows of 5) with segments by column pair:
    //   columns 0–1 → id 40, column 2 → id 7, columns 3–4 → id 99.
    // Nodes sorted by id: 7 → 0, 40 → 1, 99 → 2. Adjacency: 40–7, 7–99 (not 40–99).
    private static (int[] Seg, float[] Positions, int[] Faces, byte[] Colors) Strip()
    {
        var seg = new int[10];
        var positions = new float[30];
        var colors = new byte[30];
        for (int r = 0; r < 2; r++)
        {
            for (int c = 0; c < 5; c++)
            {
                int v = r * 5 + c;
                seg[v] = c < 2 ? 40 : c == 2 ? 7 : 99;
                positions[3 * v] = c;
                positions[3 * v + 1] = r;
                colors[3 * v] = (byte)(10 * c);
            }
        }
        var faces = new List<int>();
        for (int c = 0; c < 4; c++)
            faces.AddRange([c, c + 1, c + 6, c, c + 6, c + 5]);
        return (seg, positions, [.. faces], colors);
    }

    [Fact]
    public void Nodes_statistics_and_adjacency_from_mesh_edges()
    {
        var (seg, positions, faces, colors) = Strip();
        var g = SegmentGraph.FromMesh(seg, positions, faces, colors);
        Assert.Equal([7, 40, 99], g.SegmentIds);
        Assert.Equal([1, 1, 0, 2, 2, 1, 1, 0, 2, 2], g.PointNodes);
        Assert.Equal([0, 1, 5, 6], g.Points(1).ToArray());
        Assert.Equal(4, g.Size(1));
        Assert.Equal(new Vector3(0.5f, 0.5f, 0), g.Centroid(1));
        Assert.Equal(new Vector3(5, 0, 0), g.MeanColor(1));
        Assert.Equal([1, 2], g.Neighbors(0));
        Assert.Equal([0], g.Neighbors(1));
        Assert.Equal([0], g.Neighbors(2));
    }

    [Fact]
    public void Merging_combines_statistics_and_adjacency()
    {
        var (seg, positions, faces, colors) = Strip();
        var g = SegmentGraph.FromMesh(seg, positions, faces, colors);
        int root = g.Merge(1, 0);
        Assert.Equal(2, g.GroupCount);
        Assert.Equal(root, g.Find(0));
        Assert.Equal(6, g.Size(0));
        // (4 points at mean x 0.5 + 2 points at x 2) / 6 = 1
        Assert.Equal(1f, g.Centroid(1).X, 6);
        Assert.Equal([0, 1], g.Members(1));
        Assert.Equal([g.Find(2)], g.GroupNeighbors(0));
        Assert.Equal([0, 0, 1], g.GroupLabels());
        g.Merge(2, 1);
        Assert.Equal(1, g.GroupCount);
        Assert.Empty(g.GroupNeighbors(2));
        Assert.Equal(10, g.Size(0));
    }

    [Fact]
    public void Adjacency_from_neighbour_lists()
    {
        int[] seg = [5, 5, 6, 6];
        float[] positions = new float[12];
        // point 1 lists point 2 (segments 5–6), −1 entries are ignored
        int[] nb = [1, -1, 2, 0, 3, -1, 2, -1];
        var g = SegmentGraph.FromNeighbors(seg, positions, nb, 2);
        Assert.Equal([1], g.Neighbors(0));
        Assert.Equal([0], g.Neighbors(1));
        Assert.Throws<ArgumentException>(() => SegmentGraph.FromNeighbors(seg, positions, nb, 3));
    }
}
