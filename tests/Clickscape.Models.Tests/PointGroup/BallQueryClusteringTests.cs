using Clickscape.Geometry.Segmentation;
using Clickscape.Models.PointGroup;

namespace Clickscape.Models.Tests.PointGroup;

public sealed class BallQueryClusteringTests
{
    /// <summary>Connected components of the same-label radius graph by union-find over all pairs, in seed order.</summary>
    private static List<int[]> BruteForce(float[] p, int[] labels, float r, int minPoints)
    {
        int n = labels.Length;
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
        return [.. Enumerable.Range(0, n).Where(i => labels[i] >= 0).GroupBy(i => roots[i])
            .Select(g => g.OrderBy(i => i).ToArray()).Where(c => c.Length >= minPoints).OrderBy(c => c[0])];
    }

    [Theory]
    [InlineData(0, 0.1f, 0)]
    [InlineData(1, 0.1f, 0)]
    [InlineData(7, 0.5f, 1000)]
    [InlineData(300, 0.08f, 0)]
    [InlineData(2000, 0.04f, 1000)]
    [InlineData(2000, 0.06f, 0)]
    public void Equals_union_find_over_brute_force_pairs_when_the_cap_does_not_bind(int n, float r, int cap)
    {
        var rng = new Random(n + 17);
        var p = new float[3 * n];
        for (int i = 0; i < p.Length; i++)
            p[i] = (float)rng.NextDouble();
        var labels = Enumerable.Range(0, n).Select(_ => rng.Next(4) - 1).ToArray();
        var expected = BruteForce(p, labels, r, 3);
        var actual = BallQueryClustering.Cluster(p, labels, r, cap, 3);
        Assert.Equal(expected.Count, actual.Count);
        for (int c = 0; c < expected.Count; c++)
            Assert.Equal(expected[c], actual[c]);
    }

    [Fact]
    public void Recovers_separated_blobs_exactly_whatever_the_point_order()
    {
        // Five blobs of 200 points (σ 1 cm) 1 m apart, one label, points shuffled.
        var rng = new Random(3);
        int blobs = 5, each = 200;
        var truth = new int[blobs * each];
        var p = new float[3 * truth.Length];
        var order = Enumerable.Range(0, truth.Length).OrderBy(_ => rng.Next()).ToArray();
        for (int k = 0; k < truth.Length; k++)
        {
            int i = order[k], b = k / each;
            truth[i] = b;
            for (int a = 0; a < 3; a++)
                p[3 * i + a] = (a == 0 ? b : 0) + 0.01f * (float)(rng.NextDouble() - 0.5);
        }
        var clusters = BallQueryClustering.Cluster(p, new int[truth.Length], 0.03f, 1000, 50);
        Assert.Equal(blobs, clusters.Count);
        foreach (var cluster in clusters)
        {
            Assert.Equal(each, cluster.Length);
            Assert.Single(cluster.Select(i => truth[i]).Distinct());
        }
    }

    [Fact]
    public void A_collapsed_blob_denser_than_the_cap_stays_one_cluster()
    {
        // 3000 points on one spot (offset-shifted points of a perfectly predicted object): PointGroup's ball query
        // would cut it to the 1000 lowest indices; ours keeps the whole blob.
        var p = new float[3 * 3000];
        for (int i = 0; i < 3000; i++)
            p[3 * i] = 1e-4f * (i % 7);
        var clusters = BallQueryClustering.Cluster(p, new int[3000], 0.03f, 1000, 50);
        Assert.Equal(Enumerable.Range(0, 3000), Assert.Single(clusters));
    }

    [Fact]
    public void The_cap_limits_what_one_expansion_adds_lowest_indices_first()
    {
        // Point 0 at the origin; points 1..5 at x = +0.9 (within r = 1 of 0, not of point 6); point 6 at x = −0.9,
        // within r only of point 0. With a cap of 5, expanding 0 takes 1..5 and 6 is never reached.
        float[] p = [0, 0, 0, .. Enumerable.Range(0, 5).SelectMany(i => new[] { 0.9f, 0.01f * i, 0 }), -0.9f, 0, 0];
        var labels = new int[7];
        Assert.Equal([[0, 1, 2, 3, 4, 5], [6]], BallQueryClustering.Cluster(p, labels, 1f, 5, 1));
        Assert.Equal([[0, 1, 2, 3, 4, 5, 6]], BallQueryClustering.Cluster(p, labels, 1f, 6, 1));
        Assert.Equal([[0, 1, 2, 3, 4, 5, 6]], BallQueryClustering.Cluster(p, labels, 1f, 0, 1));
    }

    [Fact]
    public void Labels_separate_and_negative_labels_never_cluster()
    {
        // A line with spacing 1, radius 1.5: labels [0 0 0 1 1 −1 1 1].
        float[] p = [.. Enumerable.Range(0, 8).SelectMany(i => new[] { (float)i, 0f, 0f })];
        var clusters = BallQueryClustering.Cluster(p, [0, 0, 0, 1, 1, -1, 1, 1], 1.5f, 1000, 2);
        Assert.Equal([[0, 1, 2], [3, 4], [6, 7]], clusters);
        Assert.Equal([[0, 1, 2]], BallQueryClustering.Cluster(p, [0, 0, 0, 1, 1, -1, 1, 1], 1.5f, 1000, 3));
    }

    [Fact]
    public void Rejects_mismatched_lengths_and_bad_radius()
    {
        Assert.Throws<ArgumentException>(() => BallQueryClustering.Cluster(new float[5], new int[2], 1, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BallQueryClustering.Cluster(new float[3], new int[1], 0, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BallQueryClustering.Cluster(new float[3], new int[1], float.NaN, 0, 1));
    }
}
