using Clickscape.Geometry.Clustering;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Geometry.Tests.Clustering;

public class ConnectedComponentsTests
{
    // On a line with spacing 1 and radius 1.5: labels [0 0 0 1 1 −1 1 1] link 0-1-2 and 3-4, the ignored
    // point 5 breaks the chain, 6-7 link; minPoints 2 keeps all three groups.
    [Fact]
    public void Hand_computed_chain()
    {
        float[] p = [.. Enumerable.Range(0, 8).SelectMany(i => new[] { (float)i, 0f, 0f })];
        var (c, count) = ConnectedComponents.Cluster(p, [0, 0, 0, 1, 1, -1, 1, 1], 1.5f, minPoints: 2);
        Assert.Equal(3, count);
        Assert.Equal([0, 0, 0, 1, 1, -1, 2, 2], c);
        (c, count) = ConnectedComponents.Cluster(p, [0, 0, 0, 1, 1, -1, 1, 1], 1.5f, minPoints: 3);
        Assert.Equal(1, count);
        Assert.Equal([0, 0, 0, -1, -1, -1, -1, -1], c);
    }

    [Theory]
    [InlineData(1, 0.1f)]
    [InlineData(300, 0.08f)]
    [InlineData(2000, 0.04f)]
    public void Equals_union_find_over_brute_force_pairs(int n, float r)
    {
        var rng = new Random(n);
        var p = new float[3 * n];
        for (int i = 0; i < p.Length; i++)
            p[i] = (float)rng.NextDouble();
        var labels = Enumerable.Range(0, n).Select(_ => rng.Next(4) - 1).ToArray();
        var (clusters, count) = ConnectedComponents.Cluster(p, labels, r, minPoints: 3, threads: 2);

        var sets = new DisjointSet(n);
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                float dx = p[3 * i] - p[3 * j], dy = p[3 * i + 1] - p[3 * j + 1], dz = p[3 * i + 2] - p[3 * j + 2];
                if (labels[i] >= 0 && labels[i] == labels[j] && dx * dx + dy * dy + dz * dz <= r * r)
                    sets.Union(i, j);
            }
        }
        var roots = sets.Roots();
        var size = roots.GroupBy(x => x).ToDictionary(g => g.Key, g => g.Count());
        var expected = new int[n];
        var ids = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            if (labels[i] < 0 || size[roots[i]] < 3)
                expected[i] = -1;
            else if (!ids.TryGetValue(roots[i], out expected[i]))
                ids[roots[i]] = expected[i] = ids.Count;
        }
        Assert.Equal(expected, clusters);
        Assert.Equal(ids.Count, count);
    }
}
