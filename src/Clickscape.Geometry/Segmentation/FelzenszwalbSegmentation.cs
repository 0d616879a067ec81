namespace Clickscape.Geometry.Segmentation;

/// <summary>
/// Efficient graph-based segmentation (Felzenszwalb and Huttenlocher, IJCV 2004) as ScanNet's Segmentator runs
/// it (REFERENCE.md §1.1): edges sorted by weight; each component carries a threshold, initially c; an edge
/// of weight w joins components A ≠ B when w ≤ thr(A) and w ≤ thr(B), after which thr(new) = w + c/|new|;
/// then one pass over the same sorted edges joins any two components when either has fewer than
/// <c>minSize</c> vertices. Output: per vertex, the root vertex of its component (not contiguous).
/// </summary>
/// <remarks>
/// <b>Ties.</b> The C++ tool sorts with the unstable <c>std::sort</c>; exactly equal weights (a third of the
/// edges on a mesh) come out in an unspecified order. Here ties are broken by the original edge index
/// (<see cref="WeightRadixSort"/>), which is deterministic. On noisy meshes the partition does not depend on tie
/// order; on exact planes it can differ from the official tool in a few segments.
/// All arithmetic is float32, as in the C++ tool.
/// </remarks>
public static class FelzenszwalbSegmentation
{
    /// <summary>Segments a graph of <paramref name="vertexCount"/> vertices; returns a root vertex id per vertex.</summary>
    /// <param name="vertexCount">Number of vertices.</param>
    /// <param name="edgeA">First vertex of each edge.</param>
    /// <param name="edgeB">Second vertex of each edge (its root wins rank ties when joining).</param>
    /// <param name="weights">Dissimilarity of each edge.</param>
    /// <param name="c">The scale parameter k (ScanNet's kThresh).</param>
    /// <param name="minSize">Components smaller than this are joined to a neighbour in the second pass.</param>
    public static int[] Segment(int vertexCount, ReadOnlySpan<int> edgeA, ReadOnlySpan<int> edgeB,
        ReadOnlySpan<float> weights, float c, int minSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(vertexCount);
        if (edgeA.Length != weights.Length || edgeB.Length != weights.Length)
            throw new ArgumentException($"graph edges: {edgeA.Length} first vertices, {edgeB.Length} second vertices and {weights.Length} weights, expected equal counts");
        int m = weights.Length;
        var order = WeightRadixSort.Order(weights);

        // Gather the edges in sorted order once so both passes stream through memory.
        var sa = new int[m];
        var sb = new int[m];
        var sw = new float[m];
        for (int i = 0; i < m; i++)
        {
            int e = order[i];
            int a = edgeA[e], b = edgeB[e];
            if ((uint)a >= (uint)vertexCount || (uint)b >= (uint)vertexCount)
                throw new ArgumentException($"graph edge {e} joins vertices {a} and {b}, expected 0..{vertexCount - 1}");
            sa[i] = a;
            sb[i] = b;
            sw[i] = weights[e];
        }

        var forest = new DisjointSet(vertexCount);
        var threshold = new float[vertexCount];
        Array.Fill(threshold, c / 1);
        for (int i = 0; i < m; i++)
        {
            int a = forest.Find(sa[i]);
            int b = forest.Find(sb[i]);
            float w = sw[i];
            if (a != b && w <= threshold[a] && w <= threshold[b])
            {
                int root = forest.Join(a, b);
                threshold[root] = w + c / forest.Size(root);
            }
        }

        // Small-segment pass over the same sorted edges.
        if (minSize > 1)
        {
            for (int i = 0; i < m; i++)
            {
                int a = forest.Find(sa[i]);
                int b = forest.Find(sb[i]);
                if (a != b && (forest.Size(a) < minSize || forest.Size(b) < minSize))
                    forest.Join(a, b);
            }
        }
        return forest.Roots();
    }
}
