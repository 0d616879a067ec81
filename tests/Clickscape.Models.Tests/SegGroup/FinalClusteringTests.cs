using Clickscape.Models.SegGroup;

namespace Clickscape.Models.Tests.SegGroup;

public sealed class FinalClusteringTests
{
    private const int U = SegGroupScene.Unlabelled;

    /// <summary>A scene with one point per segment at <paramref name="x"/> on the x axis.</summary>
    private static SegGroupScene Scene(float[] x, int[] labels) => new("t", x.SelectMany(v => new[] { v, 0f, 0f }).ToArray(), new float[3 * x.Length],
        Enumerable.Range(0, x.Length).ToArray(), x.Length, [], [], labels, labels.Where(l => l != U).Distinct().ToDictionary(l => l, _ => 5));

    [Fact]
    public void UnlabelledNode_JoinsItsMostSimilarNeighbour()
    {
        var graph = NodeClusteringTests.Graph([1, 2, U], [0, 1], [2, 2]);
        float[] h = [0f, 10f, 9f]; // node 2 is nearer to node 1 in feature space
        var (map, count, labels) = FinalClustering.Cluster(graph, h, 1, Scene([0, 1, 2], [1, 2, U]));
        Assert.Equal(2, count);
        Assert.Equal(map[1], map[2]);
        Assert.Equal(2, labels[map[2]]);
    }

    [Fact]
    public void ChainsOfUnlabelledNodes_EndLabelled_AndLabelsStayApart()
    {
        // 1 — u — u — u — 2: every node ends in one of the two objects, which stay two
        var graph = NodeClusteringTests.Graph([1, U, U, U, 2], [0, 1, 2, 3], [1, 2, 3, 4]);
        float[] h = [0f, 1f, 2f, 2.5f, 5f];
        var (map, count, labels) = FinalClustering.Cluster(graph, h, 1, Scene([0, 1, 2, 3, 4], [1, U, U, U, 2]));
        Assert.Equal(2, count);
        Assert.DoesNotContain(U, labels);
        Assert.Equal(1, labels[map[1]]);
        Assert.Equal(2, labels[map[4]]);
        Assert.NotEqual(map[0], map[4]);
    }

    [Fact]
    public void IsolatedNode_JoinsTheSpatiallyNearestLabelledCluster()
    {
        // node 2 has no edge; its point (x = 9) is nearest to node 1's (x = 10), not node 0's (x = 0)
        var graph = NodeClusteringTests.Graph([1, 2, U], [0], [1]);
        var (map, _, labels) = FinalClustering.Cluster(graph, [0f, 0f, 0f], 1, Scene([0, 10, 9], [1, 2, U]));
        Assert.Equal(map[1], map[2]);
        Assert.Equal(2, labels[map[2]]);
    }

    [Fact]
    public void SceneWithoutLabels_StaysUnlabelled()
    {
        var graph = NodeClusteringTests.Graph([U, U], [0], [1]);
        var (_, count, labels) = FinalClustering.Cluster(graph, [0f, 1f], 1, Scene([0, 1], [U, U]));
        Assert.Equal(1, count);
        Assert.Equal([U], labels);
    }
}
