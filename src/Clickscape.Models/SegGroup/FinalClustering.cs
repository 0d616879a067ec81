using Clickscape.Geometry.Neighbors;

namespace Clickscape.Models.SegGroup;

/// <summary>
/// The final node clustering after the grouping layers (SegGroup §3.2, supplementary Alg. 2; REFERENCE.md §4): a greedy
/// pass merges every unlabelled node into its most similar adjacent node (smallest feature distance ‖h_i − h_k‖₂),
/// the merged node's feature being the max-pool of the two; passes repeat on the coarsened graph until the number of
/// nodes stops changing. An unlabelled cluster left with no labelled cluster reachable through the graph (an
/// isolated part of the scene) joins the <b>spatially</b> nearest labelled cluster: the one holding the point nearest
/// to its centroid. Labels follow <see cref="LabelledForest"/>: two differently labelled clusters never merge.
/// </summary>
/// <remarks>
/// Within a pass all nearest neighbours are found first, then unlabelled nodes are merged in node order (skipping a node
/// whose cluster has become labelled in the pass), as the public code does. A scene without any labelled node stays
/// unlabelled.
/// </remarks>
public static class FinalClustering
{
    /// <summary>Final clusters of the nodes of <paramref name="graph"/> with node features <paramref name="features"/> (M × C, row-major).</summary>
    /// <param name="graph">The graph after the last grouping layer.</param>
    /// <param name="features">Node features, M × <paramref name="channels"/>.</param>
    /// <param name="channels">C.</param>
    /// <param name="scene">The scene (points and segments), for the spatial fallback.</param>
    /// <returns>Cluster of every node, the number of clusters and every cluster's label.</returns>
    public static (int[] NodeToCluster, int Count, int[] Labels) Cluster(ClusterGraph graph, float[] features, int channels, SegGroupScene scene)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(scene);
        if (features.Length != graph.NodeCount * channels) throw new ArgumentException($"final clustering: {features.Length} feature values for {graph.NodeCount} nodes × {channels}");
        var current = graph;
        var h = (float[])features.Clone();
        var total = Enumerable.Range(0, graph.NodeCount).ToArray(); // input node → current node
        while (true)
        {
            int m = current.NodeCount;
            var nearest = new int[m];
            var best = new float[m];
            Array.Fill(nearest, -1);
            Array.Fill(best, float.PositiveInfinity);
            for (int e = 0; e < current.EdgeA.Length; e++)
            {
                int a = current.EdgeA[e], b = current.EdgeB[e];
                float d = Distance(h, a, b, channels);
                if (d < best[a] || (d == best[a] && b < nearest[a])) { best[a] = d; nearest[a] = b; }
                if (d < best[b] || (d == best[b] && a < nearest[b])) { best[b] = d; nearest[b] = a; }
            }
            var forest = new LabelledForest(current.Labels, current.Sizes);
            for (int i = 0; i < m; i++)
                if (nearest[i] >= 0 && forest.Label(i) == SegGroupScene.Unlabelled) forest.TryMerge(i, nearest[i]);
            var (map, count, labels) = forest.Compact();
            if (count == m) break;
            h = MaxPool(h, map, count, channels);
            current = current.Coarsen(map, count, labels);
            for (int i = 0; i < total.Length; i++) total[i] = map[total[i]];
        }
        var (spatial, finalCount, finalLabels) = JoinIsolated(current, scene);
        for (int i = 0; i < total.Length; i++) total[i] = spatial[total[i]];
        return (total, finalCount, finalLabels);
    }

    /// <summary>Unlabelled clusters join the labelled cluster holding the point nearest to their centroid.</summary>
    private static (int[] Map, int Count, int[] Labels) JoinIsolated(ClusterGraph graph, SegGroupScene scene)
    {
        var forest = new LabelledForest(graph.Labels, graph.Sizes);
        bool anyLabelled = graph.Labels.Any(l => l != SegGroupScene.Unlabelled);
        if (!anyLabelled || graph.Labels.All(l => l != SegGroupScene.Unlabelled)) return forest.Compact();
        var pointNode = new int[scene.PointCount];
        for (int p = 0; p < pointNode.Length; p++) pointNode[p] = graph.SegmentNode[scene.PointSegment[p]];
        var labelledPoints = new List<int>();
        var sums = new double[graph.NodeCount * 3];
        var counts = new int[graph.NodeCount];
        for (int p = 0; p < pointNode.Length; p++)
        {
            int node = pointNode[p];
            counts[node]++;
            if (graph.Labels[node] != SegGroupScene.Unlabelled) labelledPoints.Add(p);
            for (int d = 0; d < 3; d++) sums[3 * node + d] += scene.Positions[3 * p + d];
        }
        var xyz = new float[3 * labelledPoints.Count];
        for (int i = 0; i < labelledPoints.Count; i++)
            for (int d = 0; d < 3; d++) xyz[3 * i + d] = scene.Positions[3 * labelledPoints[i] + d];
        var tree = new KdTree(xyz);
        Span<int> index = stackalloc int[1];
        Span<float> distance = stackalloc float[1];
        for (int node = 0; node < graph.NodeCount; node++)
        {
            if (graph.Labels[node] != SegGroupScene.Unlabelled || counts[node] == 0) continue;
            double c = counts[node];
            tree.Nearest((float)(sums[3 * node] / c), (float)(sums[3 * node + 1] / c), (float)(sums[3 * node + 2] / c), index, distance);
            forest.TryMerge(node, pointNode[labelledPoints[index[0]]]);
        }
        return forest.Compact();
    }

    /// <summary>‖h_a − h_b‖₂.</summary>
    internal static float Distance(float[] h, int a, int b, int channels)
    {
        double s = 0;
        for (int c = 0; c < channels; c++)
        {
            double d = h[a * channels + c] - h[b * channels + c];
            s += d * d;
        }
        return (float)Math.Sqrt(s);
    }

    /// <summary>Row-wise max of the rows of each cluster.</summary>
    internal static float[] MaxPool(float[] h, int[] map, int count, int channels)
    {
        var pooled = new float[count * channels];
        Array.Fill(pooled, float.NegativeInfinity);
        for (int i = 0; i < map.Length; i++)
            for (int c = 0; c < channels; c++)
                pooled[map[i] * channels + c] = Math.Max(pooled[map[i] * channels + c], h[i * channels + c]);
        return pooled;
    }
}
