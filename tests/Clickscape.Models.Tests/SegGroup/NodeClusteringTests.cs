using Clickscape.Models.SegGroup;

namespace Clickscape.Models.Tests.SegGroup;

public sealed class NodeClusteringTests
{
    private const int U = SegGroupScene.Unlabelled;

    internal static ClusterGraph Graph(int[] labels, int[] a, int[] b, int[]? sizes = null) =>
        new(labels.Length, labels, sizes ?? labels.Select(_ => 10).ToArray(), a, b, Enumerable.Range(0, labels.Length).ToArray());

    [Fact]
    public void MergesAtOrBelowTheThreshold_Only()
    {
        var graph = Graph([U, U, U], [0, 1], [1, 2]);
        var (map, count, _) = NodeClustering.Cluster(graph, [6f, 6.01f], 6f, 0);
        Assert.Equal(2, count);
        Assert.Equal(map[0], map[1]);
        Assert.NotEqual(map[1], map[2]);
    }

    [Fact]
    public void UnlabelledNode_TakesTheLabelOfItsFirstMerge_AndTheSecondLabelStaysApart()
    {
        // 1 — u — 2, everything closer than the threshold: u joins 1 (first edge), 2 cannot join them
        var graph = Graph([1, U, 2], [0, 1], [1, 2]);
        var (map, count, labels) = NodeClustering.Cluster(graph, [0f, 0f], 6f, 0);
        Assert.Equal(2, count);
        Assert.Equal(map[0], map[1]);
        Assert.Equal(1, labels[map[1]]);
        Assert.Equal(2, labels[map[2]]);
    }

    [Fact]
    public void TwoDifferentlyLabelledClusters_NeverMerge_OnRandomGraphs()
    {
        for (int seed = 0; seed < 60; seed++)
        {
            var rng = new Random(seed);
            int n = rng.Next(2, 40);
            var labels = Enumerable.Range(0, n).Select(_ => rng.Next(3) == 0 ? rng.Next(1, 4) : U).ToArray();
            var pairs = new SortedSet<(int, int)>();
            for (int e = 0; e < 2 * n; e++)
            {
                int a = rng.Next(n), b = rng.Next(n);
                if (a != b) pairs.Add((Math.Min(a, b), Math.Max(a, b)));
            }
            var graph = Graph(labels, pairs.Select(p => p.Item1).ToArray(), pairs.Select(p => p.Item2).ToArray(), labels.Select(_ => rng.Next(1, 9)).ToArray());
            // every edge under the threshold and every cluster "small": all merges that the rule allows are attempted
            var (map, count, clusterLabels) = NodeClustering.Cluster(graph, new float[pairs.Count], 1f, minPoints: 1000);
            for (int c = 0; c < count; c++)
            {
                var inside = Enumerable.Range(0, n).Where(i => map[i] == c && labels[i] != U).Select(i => labels[i]).Distinct().ToList();
                Assert.True(inside.Count <= 1, $"seed {seed}: cluster {c} holds labels {string.Join(", ", inside)}");
                Assert.Equal(inside.Count == 0 ? U : inside[0], clusterLabels[c]);
            }
        }
    }

    [Fact]
    public void SmallClusters_MergeIntoANeighbour()
    {
        var graph = Graph([U, U, 1], [0, 1], [1, 2], sizes: [3, 100, 100]);
        var (map, count, _) = NodeClustering.Cluster(graph, [50f, 50f], 2f, minPoints: 5);
        Assert.Equal(2, count);
        Assert.Equal(map[0], map[1]);
        Assert.NotEqual(map[1], map[2]);
    }

    [Fact]
    public void Coarsen_DropsInnerEdges_AndCollapsesParallelOnes()
    {
        var graph = Graph([U, U, U, U], [0, 0, 1, 2], [1, 2, 3, 3]);
        var next = graph.Coarsen([0, 0, 1, 1], 2, [U, U]);
        Assert.Equal([0], next.EdgeA);
        Assert.Equal([1], next.EdgeB);
        Assert.Equal([20, 20], next.Sizes);
    }
}
