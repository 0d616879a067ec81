using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Sampling;

namespace Clickscape.Models.SegGroup;

/// <summary>
/// The input of a semantic grouping layer (SegGroup §3.2, supplementary C; REFERENCE.md §4): every point with
/// [x, y, z, r, g, b, x − x̄, y − ȳ, z − z̄] (x̄ the mean of its current cluster) and its k = 20 nearest neighbours
/// <b>inside its cluster</b>. A cluster of fewer than k + 1 points takes all of them, repeated to fill k.
/// </summary>
/// <remarks>
/// Deviation (docs/seggroup.md): with <c>maxPointsPerCluster</c> &gt; 0 a cluster larger than that is represented by that
/// many of its points, chosen by farthest-point sampling, which bounds memory (the public code runs all 150 000 points
/// on a GPU); the cluster mean always uses all points.
/// </remarks>
/// <param name="Features">Rows R × 9.</param>
/// <param name="Neighbors">Rows R × k (indices into the rows).</param>
/// <param name="RowCluster">The cluster of every row.</param>
/// <param name="K">k.</param>
public sealed record ClusterPointSets(float[] Features, int[] Neighbors, int[] RowCluster, int K)
{
    /// <summary>Channels per point.</summary>
    public const int Channels = 9;

    /// <summary>Rows.</summary>
    public int RowCount => RowCluster.Length;

    /// <summary>The sets of the clusters of <paramref name="graph"/> over <paramref name="scene"/>.</summary>
    public static ClusterPointSets Build(SegGroupScene scene, ClusterGraph graph, int k, int maxPointsPerCluster)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var pointCluster = new int[scene.PointCount];
        for (int p = 0; p < pointCluster.Length; p++) pointCluster[p] = graph.SegmentNode[scene.PointSegment[p]];
        var (offsets, points) = SegGroupScene.GroupPoints(pointCluster, graph.NodeCount);
        var chosen = new int[graph.NodeCount][];
        var means = new double[graph.NodeCount * 3];
        Parallel.For(0, graph.NodeCount, new ParallelOptions { MaxDegreeOfParallelism = Tensors.Threading.ComputeThreads.Count }, c =>
        {
            var members = points.AsSpan(offsets[c], offsets[c + 1] - offsets[c]);
            for (int i = 0; i < members.Length; i++)
                for (int d = 0; d < 3; d++) means[3 * c + d] += scene.Positions[3 * members[i] + d];
            for (int d = 0; d < 3; d++) means[3 * c + d] /= Math.Max(1, members.Length);
            chosen[c] = maxPointsPerCluster > 0 && members.Length > maxPointsPerCluster
                ? FarthestPointSampling.Sample(scene.Positions, members, maxPointsPerCluster)
                : members.ToArray();
        });
        var start = new int[graph.NodeCount + 1];
        for (int c = 0; c < graph.NodeCount; c++) start[c + 1] = start[c] + chosen[c].Length;
        int rows = start[graph.NodeCount];
        var features = new float[rows * Channels];
        var neighbors = new int[rows * k];
        var rowCluster = new int[rows];
        Parallel.For(0, graph.NodeCount, new ParallelOptions { MaxDegreeOfParallelism = Tensors.Threading.ComputeThreads.Count }, c =>
        {
            var set = chosen[c];
            int n = set.Length;
            if (n == 0) return;
            var xyz = new float[3 * n];
            for (int i = 0; i < n; i++)
            {
                int p = set[i], o = (start[c] + i) * Channels;
                rowCluster[start[c] + i] = c;
                for (int d = 0; d < 3; d++)
                {
                    float v = scene.Positions[3 * p + d];
                    xyz[3 * i + d] = v;
                    features[o + d] = v;
                    features[o + 3 + d] = scene.Colors[3 * p + d];
                    features[o + 6 + d] = (float)(v - means[3 * c + d]);
                }
            }
            int kk = Math.Min(k, n);
            var (nbr, _) = new KdTree(xyz).NearestAll(kk, threads: 1);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < k; j++) neighbors[(start[c] + i) * k + j] = start[c] + nbr[i * kk + j % kk];
        });
        return new ClusterPointSets(features, neighbors, rowCluster, k);
    }
}
