namespace Clickscape.Geometry.Neighbors;

/// <summary>
/// A k-d tree over 3-D points (Bentley, CACM 1975; Friedman, Bentley and Finkel, ACM TOMS 1977) for exact
/// k-nearest-neighbour and fixed-radius queries, single or batched over threads.
/// </summary>
/// <remarks>
/// Build: median split on the axis of largest extent down to leaves of at most <c>leafSize</c> points; the
/// points are copied in tree order so a leaf is a contiguous run. Queries descend to the nearer child first and
/// prune a subtree when the distance from the query to its cell (per-axis offsets to the splitting planes,
/// squared and summed in the same order as point distances, so it is never larger in float32) exceeds the
/// current bound. Distances are squared Euclidean in float32: dx² + dy² + dz², summed left to right.
/// <b>Ties</b>: neighbours are ordered by (squared distance, index), and the k nearest are the first k in that
/// order — exactly what a brute-force sort returns, duplicates included. Radius results are in index order
/// and include points at distance exactly r (d² ≤ r²).
/// </remarks>
public sealed class KdTree
{
    private readonly float[] _xyz;  // points in tree order, x y z interleaved
    private readonly int[] _index;  // tree order → original index
    private readonly Node[] _nodes;

    private struct Node
    {
        public int Start, End;   // point range in tree order
        public int Left, Right;  // children, −1 for a leaf
        public int Axis;
        public float Split;
    }

    /// <summary>Builds the tree over <paramref name="positions"/> (x, y, z per point).</summary>
    public KdTree(ReadOnlySpan<float> positions, int leafSize = 12)
    {
        if (positions.Length % 3 != 0)
            throw new ArgumentException($"positions hold {positions.Length} floats, expected a multiple of 3 (x y z per point)", nameof(positions));
        ArgumentOutOfRangeException.ThrowIfLessThan(leafSize, 1);
        int n = positions.Length / 3;
        _index = new int[n];
        for (int i = 0; i < n; i++)
            _index[i] = i;
        var source = positions.ToArray();
        var nodes = new List<Node>();
        if (n > 0)
            Build(nodes, source, 0, n, leafSize);
        _nodes = [.. nodes];
        _xyz = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            _xyz[3 * i] = source[3 * _index[i]];
            _xyz[3 * i + 1] = source[3 * _index[i] + 1];
            _xyz[3 * i + 2] = source[3 * _index[i] + 2];
        }
    }

    /// <summary>Number of points.</summary>
    public int Count => _index.Length;

    private int Build(List<Node> nodes, float[] p, int start, int end, int leafSize)
    {
        int id = nodes.Count;
        nodes.Add(new Node { Start = start, End = end, Left = -1, Right = -1 });
        if (end - start <= leafSize)
            return id;
        Span<float> lo = [float.MaxValue, float.MaxValue, float.MaxValue];
        Span<float> hi = [float.MinValue, float.MinValue, float.MinValue];
        for (int i = start; i < end; i++)
        {
            int o = 3 * _index[i];
            for (int a = 0; a < 3; a++)
            {
                lo[a] = MathF.Min(lo[a], p[o + a]);
                hi[a] = MathF.Max(hi[a], p[o + a]);
            }
        }
        int axis = 0;
        for (int a = 1; a < 3; a++)
        {
            if (hi[a] - lo[a] > hi[axis] - lo[axis])
                axis = a;
        }
        if (hi[axis] - lo[axis] == 0)
            return id; // all points identical: keep one leaf
        int mid = (start + end) / 2;
        Select(p, axis, start, end - 1, mid);
        float split = p[3 * _index[mid] + axis];
        int left = Build(nodes, p, start, mid, leafSize);
        int right = Build(nodes, p, mid, end, leafSize);
        nodes[id] = new Node { Start = start, End = end, Left = left, Right = right, Axis = axis, Split = split };
        return id;
    }

    // Hoare quickselect: afterwards _index[k] holds the k-th smallest coordinate on the axis,
    // everything before it ≤ and everything after it ≥.
    private void Select(float[] p, int axis, int lo, int hi, int k)
    {
        var idx = _index;
        while (hi > lo)
        {
            int m = lo + (hi - lo) / 2;
            float pivot = p[3 * idx[m] + axis];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (p[3 * idx[i] + axis] < pivot) i++;
                while (p[3 * idx[j] + axis] > pivot) j--;
                if (i <= j)
                {
                    (idx[i], idx[j]) = (idx[j], idx[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j) hi = j;
            else if (k >= i) lo = i;
            else return;
        }
    }

    /// <summary>
    /// The <paramref name="indices"/>.Length nearest points to (x, y, z) in (squared distance, index) order;
    /// returns how many were found (fewer when the tree holds fewer points).
    /// </summary>
    public int Nearest(float x, float y, float z, Span<int> indices, Span<float> distancesSquared)
    {
        int k = indices.Length;
        if (distancesSquared.Length < k)
            throw new ArgumentException("distancesSquared must be at least as long as indices", nameof(distancesSquared));
        if (k == 0 || Count == 0)
            return 0;
        var search = new KnnSearch(x, y, z, indices[..k], distancesSquared[..k]);
        SearchKnn(0, ref search, 0, 0, 0);
        for (int i = 0; i < search.Found; i++)
            indices[i] = _index[indices[i]];
        return search.Found;
    }

    /// <summary>
    /// k nearest neighbours of every query point (x, y, z per query), in parallel over queries. Row q of the
    /// results (k entries) is in (squared distance, index) order; missing entries (k &gt; Count) are −1 / +∞.
    /// </summary>
    public (int[] Indices, float[] DistancesSquared) Nearest(ReadOnlySpan<float> queries, int k, int threads = 0)
    {
        if (queries.Length % 3 != 0)
            throw new ArgumentException($"queries hold {queries.Length} floats, expected a multiple of 3", nameof(queries));
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        int q = queries.Length / 3;
        var indices = new int[q * k];
        var distances = new float[q * k];
        var query = queries.ToArray();
        ForEachBlock(q, threads, (from, to) =>
        {
            for (int i = from; i < to; i++)
            {
                var ri = indices.AsSpan(i * k, k);
                var rd = distances.AsSpan(i * k, k);
                int found = Nearest(query[3 * i], query[3 * i + 1], query[3 * i + 2], ri, rd);
                ri[found..].Fill(-1);
                rd[found..].Fill(float.PositiveInfinity);
            }
        });
        return (indices, distances);
    }

    /// <summary>
    /// k nearest neighbours of every point of the tree itself (the point first unless it has duplicates of lower
    /// index), as <see cref="Nearest(ReadOnlySpan{float}, int, int)"/> with the tree's points as queries, but
    /// faster: queries run in tree order, so consecutive queries touch the same leaves.
    /// </summary>
    public (int[] Indices, float[] DistancesSquared) NearestAll(int k, int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        int q = Count;
        var indices = new int[q * k];
        var distances = new float[q * k];
        ForEachBlock(q, threads, (from, to) =>
        {
            for (int t = from; t < to; t++)
            {
                int i = _index[t];
                var ri = indices.AsSpan(i * k, k);
                var rd = distances.AsSpan(i * k, k);
                int found = Nearest(_xyz[3 * t], _xyz[3 * t + 1], _xyz[3 * t + 2], ri, rd);
                ri[found..].Fill(-1);
                rd[found..].Fill(float.PositiveInfinity);
            }
        });
        return (indices, distances);
    }

    /// <summary>Appends the indices of all points within <paramref name="radius"/> of (x, y, z) to <paramref name="result"/>, in index order.</summary>
    public void Radius(float x, float y, float z, float radius, List<int> result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (Count == 0 || !(radius >= 0))
            return;
        int before = result.Count;
        SearchRadius(0, x, y, z, radius * radius, 0, 0, 0, result);
        for (int i = before; i < result.Count; i++)
            result[i] = _index[result[i]];
        result.Sort(before, result.Count - before, null);
    }

    /// <summary>
    /// Points within <paramref name="radius"/> of every query, as compressed rows: the neighbours of query q are
    /// <c>Indices[Offsets[q]..Offsets[q + 1]]</c>, in index order.
    /// </summary>
    public (int[] Offsets, int[] Indices) Radius(ReadOnlySpan<float> queries, float radius, int threads = 0) =>
        CompressedNeighborRows.Collect(queries, threads, (x, y, z, list) => Radius(x, y, z, radius, list));

    /// <summary>Runs <paramref name="body"/> over [0, count) in contiguous blocks on up to <paramref name="threads"/> threads (0 = all cores).</summary>
    internal static void ForEachBlock(int count, int threads, Action<int, int> body)
    {
        int workers = threads <= 0 ? Environment.ProcessorCount : threads;
        int blocks = Math.Max(1, Math.Min(count / 256, workers * 8));
        if (workers == 1 || blocks == 1)
        {
            body(0, count);
            return;
        }
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = workers }, b =>
            body((int)((long)count * b / blocks), (int)((long)count * (b + 1) / blocks)));
    }

    private ref struct KnnSearch(float x, float y, float z, Span<int> indices, Span<float> distances)
    {
        public readonly float X = x, Y = y, Z = z;
        public Span<int> Indices = indices;     // tree positions while searching
        public Span<float> Distances = distances;
        public int Found;

        // The current k-th best distance: prune cells strictly farther (equal may hold a smaller index).
        public readonly float Bound => Found < Indices.Length ? float.PositiveInfinity : Distances[Found - 1];
    }

    private void SearchKnn(int nodeId, ref KnnSearch s, float ox, float oy, float oz)
    {
        ref readonly var node = ref _nodes[nodeId];
        if (node.Left < 0)
        {
            var xyz = _xyz;
            var index = _index;
            int k = s.Indices.Length;
            for (int i = node.Start; i < node.End; i++)
            {
                float dx = xyz[3 * i] - s.X, dy = xyz[3 * i + 1] - s.Y, dz = xyz[3 * i + 2] - s.Z;
                float d = dx * dx + dy * dy + dz * dz;
                if (s.Found == k)
                {
                    float worst = s.Distances[k - 1];
                    if (d > worst || (d == worst && index[i] > index[s.Indices[k - 1]]))
                        continue;
                }
                else
                {
                    s.Found++;
                }
                // Insertion into the sorted row (k is small).
                int j = s.Found - 1;
                while (j > 0 && (s.Distances[j - 1] > d || (s.Distances[j - 1] == d && index[s.Indices[j - 1]] > index[i])))
                {
                    s.Distances[j] = s.Distances[j - 1];
                    s.Indices[j] = s.Indices[j - 1];
                    j--;
                }
                s.Distances[j] = d;
                s.Indices[j] = i;
            }
            return;
        }
        float q = node.Axis == 0 ? s.X : node.Axis == 1 ? s.Y : s.Z;
        float diff = q - node.Split;
        int near = diff < 0 ? node.Left : node.Right;
        int far = diff < 0 ? node.Right : node.Left;
        SearchKnn(near, ref s, ox, oy, oz);
        switch (node.Axis)
        {
            case 0: ox = diff; break;
            case 1: oy = diff; break;
            default: oz = diff; break;
        }
        if (ox * ox + oy * oy + oz * oz <= s.Bound)
            SearchKnn(far, ref s, ox, oy, oz);
    }

    private void SearchRadius(int nodeId, float x, float y, float z, float r2, float ox, float oy, float oz, List<int> result)
    {
        ref readonly var node = ref _nodes[nodeId];
        if (node.Left < 0)
        {
            var xyz = _xyz;
            for (int i = node.Start; i < node.End; i++)
            {
                float dx = xyz[3 * i] - x, dy = xyz[3 * i + 1] - y, dz = xyz[3 * i + 2] - z;
                if (dx * dx + dy * dy + dz * dz <= r2)
                    result.Add(i);
            }
            return;
        }
        float q = node.Axis == 0 ? x : node.Axis == 1 ? y : z;
        float diff = q - node.Split;
        SearchRadius(diff < 0 ? node.Left : node.Right, x, y, z, r2, ox, oy, oz, result);
        switch (node.Axis)
        {
            case 0: ox = diff; break;
            case 1: oy = diff; break;
            default: oz = diff; break;
        }
        if (ox * ox + oy * oy + oz * oz <= r2)
            SearchRadius(diff < 0 ? node.Right : node.Left, x, y, z, r2, ox, oy, oz, result);
    }
}
