namespace Clickscape.Models.SegGroup;

/// <summary>
/// The segment graph at one level of SegGroup's hierarchy (§3.2, supplementary Alg. 1 lines 16–27): M nodes (clusters of
/// segments), their seg-level labels and point counts, the edges between different nodes (sorted, unique, a &lt; b), and the
/// node of every original segment. <see cref="Coarsen"/> turns a clustering of the nodes into the next level: clusters
/// become nodes, edges inside a cluster disappear, parallel edges collapse into one.
/// </summary>
/// <param name="NodeCount">M.</param>
/// <param name="Labels">Object id per node, or <see cref="SegGroupScene.Unlabelled"/>.</param>
/// <param name="Sizes">Points per node.</param>
/// <param name="EdgeA">First node of every edge.</param>
/// <param name="EdgeB">Second node of every edge (EdgeA[e] &lt; EdgeB[e]).</param>
/// <param name="SegmentNode">Node of every original segment.</param>
public sealed record ClusterGraph(int NodeCount, int[] Labels, int[] Sizes, int[] EdgeA, int[] EdgeB, int[] SegmentNode)
{
    /// <summary>The level-0 graph: one node per segment of <paramref name="scene"/>.</summary>
    public static ClusterGraph FromScene(SegGroupScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var sizes = new int[scene.SegmentCount];
        foreach (int s in scene.PointSegment) sizes[s]++;
        return new ClusterGraph(scene.SegmentCount, (int[])scene.SegmentObject.Clone(), sizes, (int[])scene.EdgeA.Clone(), (int[])scene.EdgeB.Clone(),
            Enumerable.Range(0, scene.SegmentCount).ToArray());
    }

    /// <summary>The next level: node i becomes node <paramref name="nodeToCluster"/>[i] of <paramref name="clusterCount"/>, labelled <paramref name="clusterLabels"/>.</summary>
    public ClusterGraph Coarsen(int[] nodeToCluster, int clusterCount, int[] clusterLabels)
    {
        ArgumentNullException.ThrowIfNull(nodeToCluster);
        ArgumentNullException.ThrowIfNull(clusterLabels);
        if (nodeToCluster.Length != NodeCount || clusterLabels.Length != clusterCount)
            throw new ArgumentException($"cluster graph: {nodeToCluster.Length} assignments for {NodeCount} nodes, {clusterLabels.Length} labels for {clusterCount} clusters");
        var sizes = new int[clusterCount];
        for (int i = 0; i < NodeCount; i++) sizes[nodeToCluster[i]] += Sizes[i];
        var pairs = new List<long>(EdgeA.Length);
        for (int e = 0; e < EdgeA.Length; e++)
        {
            int a = nodeToCluster[EdgeA[e]], b = nodeToCluster[EdgeB[e]];
            if (a != b) pairs.Add(((long)Math.Min(a, b) << 32) | (uint)Math.Max(a, b));
        }
        pairs.Sort();
        var ea = new List<int>(pairs.Count);
        var eb = new List<int>(pairs.Count);
        for (int i = 0; i < pairs.Count; i++)
        {
            if (i > 0 && pairs[i] == pairs[i - 1]) continue;
            ea.Add((int)(pairs[i] >> 32));
            eb.Add((int)(uint)pairs[i]);
        }
        var segmentNode = new int[SegmentNode.Length];
        for (int s = 0; s < segmentNode.Length; s++) segmentNode[s] = nodeToCluster[SegmentNode[s]];
        return new ClusterGraph(clusterCount, (int[])clusterLabels.Clone(), sizes, [.. ea], [.. eb], segmentNode);
    }

    /// <summary>The object id of every original segment at this level (<see cref="SegGroupScene.Unlabelled"/> where its node is unlabelled).</summary>
    public int[] SegmentLabels()
    {
        var labels = new int[SegmentNode.Length];
        for (int s = 0; s < labels.Length; s++) labels[s] = Labels[SegmentNode[s]];
        return labels;
    }
}
