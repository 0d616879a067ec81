using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Geometry.Clustering;

/// <summary>
/// Breadth-first clustering on a radius graph restricted to equal labels, PointGroup's grouping step
/// (Jiang et al., CVPR 2020; REFERENCE.md §2 Grouping): two points are linked when they are within the radius and
/// carry the same label (predicted class); clusters are the connected components, and clusters smaller than
/// <c>minPoints</c> are dropped.
/// </summary>
/// <remarks>
/// Label sentinel: points with a negative label (ignored classes, e.g. wall and floor, or −100) join no cluster
/// and get cluster <see cref="Labels.Noise"/> (−1), as do points of dropped clusters. Clusters are numbered 0, 1, … in order of their first
/// (lowest-index) point. With <c>maxNeighbors</c> &gt; 0 each point follows only its first
/// <c>maxNeighbors</c> neighbours in index order, as PointGroup's ball query (1000) does, and the search
/// runs from points in index order, as its BFS does; with 0 (default) the components are exact.
/// </remarks>
public static class ConnectedComponents
{
    /// <summary>Cluster id per point (<see cref="Labels.Noise"/> = none), and the number of clusters.</summary>
    /// <param name="positions">x, y, z per point.</param>
    /// <param name="labels">A label per point; negative labels are ignored.</param>
    /// <param name="radius">Link distance (PointGroup: 0.03 m).</param>
    /// <param name="minPoints">Smallest cluster kept (PointGroup: 50).</param>
    /// <param name="maxNeighbors">Cap on neighbours per point, 0 = none.</param>
    /// <param name="threads">Threads for the neighbour search, 0 = all cores.</param>
    public static (int[] Clusters, int Count) Cluster(ReadOnlySpan<float> positions, ReadOnlySpan<int> labels, float radius,
        int minPoints = 1, int maxNeighbors = 0, int threads = 0)
    {
        if (positions.Length != 3 * labels.Length)
            throw new ArgumentException($"{positions.Length} position values for {labels.Length} labels, expected 3 per point", nameof(positions));
        if (!(radius >= 0) || float.IsInfinity(radius))
            throw new ArgumentOutOfRangeException(nameof(radius), radius, "radius must be a finite number ≥ 0");
        int n = labels.Length;
        var clusters = new int[n];
        Array.Fill(clusters, Labels.Noise);
        if (n == 0)
            return (clusters, 0);
        var (offsets, neighbors) = new VoxelHashGrid(positions, Math.Max(radius, 1e-6f)).Radius(positions, radius, threads);

        var label = labels.ToArray();
        var visited = new bool[n];
        var queue = new int[n];
        int count = 0;
        for (int seed = 0; seed < n; seed++)
        {
            if (visited[seed] || label[seed] < 0)
                continue;
            int head = 0, tail = 0;
            queue[tail++] = seed;
            visited[seed] = true;
            while (head < tail)
            {
                int p = queue[head++];
                int end = maxNeighbors > 0 ? Math.Min(offsets[p + 1], offsets[p] + maxNeighbors) : offsets[p + 1];
                for (int t = offsets[p]; t < end; t++)
                {
                    int q = neighbors[t];
                    if (!visited[q] && label[q] == label[seed])
                    {
                        visited[q] = true;
                        queue[tail++] = q;
                    }
                }
            }
            if (tail >= minPoints)
            {
                for (int i = 0; i < tail; i++)
                    clusters[queue[i]] = count;
                count++;
            }
        }
        return (clusters, count);
    }
}
