using Clickscape.Geometry.Neighbors;

namespace Clickscape.Geometry.Tests.Neighbors;

public class KdTreeTests
{
    public enum Cloud { Uniform, Duplicates, Planar, Collinear, AllSame }

    internal static float[] MakeCloud(Cloud kind, int n, int seed)
    {
        var rng = new Random(seed);
        var p = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            float x = (float)rng.NextDouble(), y = (float)rng.NextDouble(), z = (float)rng.NextDouble();
            switch (kind)
            {
                case Cloud.Duplicates: // coordinates on a coarse lattice: many exact duplicates and distance ties
                    x = rng.Next(4) / 4f; y = rng.Next(4) / 4f; z = rng.Next(3) / 4f;
                    break;
                case Cloud.Planar: z = 0.5f; break;
                case Cloud.Collinear: y = 2 * x; z = -x; break;
                case Cloud.AllSame: x = y = z = 0.25f; break;
            }
            p[3 * i] = x; p[3 * i + 1] = y; p[3 * i + 2] = z;
        }
        return p;
    }

    // Brute force with the same float32 distance and the (distance, index) order.
    internal static (int Index, float D)[] BruteSorted(float[] p, float x, float y, float z)
    {
        int n = p.Length / 3;
        var all = new (int Index, float D)[n];
        for (int i = 0; i < n; i++)
        {
            float dx = p[3 * i] - x, dy = p[3 * i + 1] - y, dz = p[3 * i + 2] - z;
            all[i] = (i, dx * dx + dy * dy + dz * dz);
        }
        Array.Sort(all, (a, b) => a.D != b.D ? a.D.CompareTo(b.D) : a.Index.CompareTo(b.Index));
        return all;
    }

    [Theory]
    [InlineData(Cloud.Uniform, 1, 1)]
    [InlineData(Cloud.Uniform, 7, 3)]
    [InlineData(Cloud.Uniform, 257, 16)]
    [InlineData(Cloud.Uniform, 2000, 16)]
    [InlineData(Cloud.Duplicates, 500, 16)]
    [InlineData(Cloud.Planar, 613, 8)]
    [InlineData(Cloud.Collinear, 300, 5)]
    [InlineData(Cloud.AllSame, 100, 10)]
    [InlineData(Cloud.Uniform, 5, 9)]
    public void Nearest_equals_brute_force_including_ties(Cloud kind, int n, int k)
    {
        var p = MakeCloud(kind, n, n + k);
        var tree = new KdTree(p, leafSize: 4);
        var queries = new float[3 * (n + 20)];
        Array.Copy(p, queries, p.Length);                      // the points themselves
        var extra = MakeCloud(kind, 20, 99);
        Array.Copy(extra, 0, queries, p.Length, extra.Length); // and other points
        var (indices, distances) = tree.Nearest(queries, k, threads: 2);
        for (int q = 0; q < queries.Length / 3; q++)
        {
            var expected = BruteSorted(p, queries[3 * q], queries[3 * q + 1], queries[3 * q + 2]);
            for (int j = 0; j < k; j++)
            {
                if (j < n)
                {
                    Assert.Equal(expected[j].Index, indices[q * k + j]);
                    Assert.Equal(expected[j].D, distances[q * k + j]);
                }
                else
                {
                    Assert.Equal(-1, indices[q * k + j]);
                    Assert.Equal(float.PositiveInfinity, distances[q * k + j]);
                }
            }
        }
    }

    [Theory]
    [InlineData(Cloud.Uniform, 1000, 0.1f)]
    [InlineData(Cloud.Duplicates, 400, 0.25f)]
    [InlineData(Cloud.Planar, 500, 0.07f)]
    [InlineData(Cloud.Collinear, 333, 0.05f)]
    [InlineData(Cloud.AllSame, 50, 0f)]
    public void Radius_equals_brute_force_for_tree_and_voxel_grid(Cloud kind, int n, float r)
    {
        var p = MakeCloud(kind, n, 7);
        var tree = new KdTree(p, leafSize: 5);
        var grid = new VoxelHashGrid(p, Math.Max(r, 0.01f));
        var (offsets, indices) = tree.Radius(p, r, threads: 2);
        var (gOffsets, gIndices) = grid.Radius(p, r, threads: 2);
        Assert.Equal(offsets, gOffsets);
        Assert.Equal(indices, gIndices);
        for (int q = 0; q < n; q++)
        {
            var expected = BruteSorted(p, p[3 * q], p[3 * q + 1], p[3 * q + 2])
                .Where(e => e.D <= r * r).Select(e => e.Index).Order().ToArray();
            Assert.Equal(expected, indices[offsets[q]..offsets[q + 1]]);
        }
    }

    [Fact]
    public void Empty_tree_and_bad_input()
    {
        var tree = new KdTree([]);
        Assert.Equal(0, tree.Nearest(0, 0, 0, new int[3], new float[3]));
        var list = new List<int>();
        tree.Radius(0, 0, 0, 1, list);
        Assert.Empty(list);
        Assert.Throws<ArgumentException>(() => new KdTree(new float[4]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoxelHashGrid(new float[3], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoxelHashGrid(new float[3], 0.1f).Radius(0, 0, 0, 0.2f, list));
    }
}
