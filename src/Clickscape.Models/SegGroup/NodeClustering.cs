namespace Clickscape.Models.SegGroup;

/// <summary>
/// Node clustering of one grouping layer (SegGroup §3.2 "Node Clustering", supplementary Alg. 1; REFERENCE.md §4):
/// walk the edges in order and merge the clusters of their two nodes when the feature distance of the nodes is at most
/// the layer's threshold e_τ (6 in the structural layer, 2 in the semantic ones) — unless the two clusters carry
/// different seg-level labels: <b>two differently labelled clusters never merge</b>; an unlabelled cluster that merges
/// with a labelled one takes its label. Then, as the public code does, clusters with fewer than
/// <c>minPoints</c> points (5) are merged into a neighbour across any edge (same label rule), until none can be.
/// </summary>
/// <remarks>
/// Clusters are numbered in order of their lowest node, so the result depends only on the inputs. Distances are
/// compared as given (the caller passes ‖h_a − h_b‖₂ of the layer's node features).
/// </remarks>
public static class NodeClustering
{
    /// <summary>The clustering of the nodes of <paramref name="graph"/> under <paramref name="distances"/> (one per edge).</summary>
    /// <returns>Cluster of every node, the number of clusters and the label of every cluster.</returns>
    public static (int[] NodeToCluster, int Count, int[] Labels) Cluster(ClusterGraph graph, ReadOnlySpan<float> distances, float threshold, int minPoints)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (distances.Length != graph.EdgeA.Length) throw new ArgumentException($"node clustering: {distances.Length} distances for {graph.EdgeA.Length} edges");
        var forest = new LabelledForest(graph.Labels, graph.Sizes);
        for (int e = 0; e < graph.EdgeA.Length; e++)
            if (distances[e] <= threshold) forest.TryMerge(graph.EdgeA[e], graph.EdgeB[e]);
        if (minPoints > 0)
        {
            bool merged = true;
            while (merged)
            {
                merged = false;
                for (int e = 0; e < graph.EdgeA.Length; e++)
                {
                    int a = forest.Find(graph.EdgeA[e]), b = forest.Find(graph.EdgeB[e]);
                    if (a != b && (forest.Size(a) < minPoints || forest.Size(b) < minPoints) && forest.TryMerge(a, b)) merged = true;
                }
            }
        }
        return forest.Compact();
    }
}
