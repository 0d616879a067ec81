using System.Numerics;
using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Normals;

namespace Clickscape.Geometry.Segmentation;

/// <summary>Parameters of <see cref="BoundaryPreservingSupervoxels"/>.</summary>
public sealed record BoundaryPreservingOptions
{
    /// <summary>
    /// K: the number of supervoxels wanted (the fusion stops when it is reached; a graph of more connected
    /// components than K keeps one supervoxel per component at least).
    /// </summary>
    public int Supervoxels { get; init; } = 300;

    /// <summary>Neighbours per point in the adjacency graph.</summary>
    public int Neighbors { get; init; } = 10;

    /// <summary>Neighbours for the PCA normals when the cloud has none.</summary>
    public int NormalNeighbors { get; init; } = 8;

    /// <summary>Weight of the normal term 1 − |n·n'|.</summary>
    public float NormalWeight { get; init; } = 1f;

    /// <summary>Weight of the spatial term |p − p'| / r (r: the median nearest-neighbour distance). Lin et al. use 0.4.</summary>
    public float SpatialWeight { get; init; } = 0.001f;

    /// <summary>Weight of the colour term (Euclidean RGB distance in [0, 1]³ over √3); 0 = geometry only, as in the paper.</summary>
    public float ColorWeight { get; init; } = 4f;

    /// <summary>Where the sensor was (only orients PCA normals); null = the bounding-box centre.</summary>
    public Vector3? Viewpoint { get; init; }

    /// <summary>Threads for the neighbour search and normals, 0 = all cores.</summary>
    public int Threads { get; init; }
}

/// <summary>
/// Boundary-preserving supervoxels by subset selection (Lin, Wang, Zhai, Li and Li, "Toward better boundary
/// preserved supervoxel segmentation for 3D point clouds", ISPRS J. Photogramm. Remote Sens. 143, 2018):
/// choose representative points R ⊂ P minimizing E = λ(|R| − K) + Σ_j d(r(j), p_j), each point assigned to a
/// representative, by a bottom-up fusion and a boundary exchange step (§3).
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Graph: the <see cref="BoundaryPreservingOptions.Neighbors"/> nearest neighbours of each point, symmetrized.
/// Metric (§3.3): d(p, q) = w_n·(1 − |n_p·n_q|) + w_s·|p − q|/r + w_c·|c_p − c_q|/√3 with r the median distance
/// from a point to its nearest neighbour.</item>
/// <item>Fusion (§3.2, Algorithm 1): every point starts as its own representative; λ starts at the median over
/// points of the distance to their nearest graph neighbour and doubles each round. In a round every representative
/// i in turn scans its adjacent supervoxels j (breadth-first, growing as it absorbs them) and absorbs j when
/// λ − |S_j|·d(r_i, r_j) &gt; 0 — one representative fewer saves λ, moving S_j's points costs about
/// |S_j|·d(r_i, r_j). Stops as soon as K supervoxels remain. Small, similar supervoxels merge first, so smooth
/// regions grow large and detailed regions keep small supervoxels (adaptive resolution).</item>
/// <item>Exchange (§3.2, the boundary refinement): a queue of boundary points; a point moves to an adjacent
/// supervoxel whose representative is nearer in d than its own; its neighbours are re-queued. Converges since every
/// move lowers the energy.</item>
/// </list>
/// Segment id = lowest point index of the supervoxel.
/// </remarks>
public static class BoundaryPreservingSupervoxels
{
    /// <summary>Returns a segment id per point.</summary>
    /// <param name="positions">x, y, z per point.</param>
    /// <param name="colors">r, g, b per point (0–255), or empty (no colour term).</param>
    /// <param name="normals">nx, ny, nz per point, or null to estimate them.</param>
    /// <param name="options">Parameters; null = defaults.</param>
    public static int[] Segment(ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors = default, float[]? normals = null,
        BoundaryPreservingOptions? options = null)
    {
        options ??= new BoundaryPreservingOptions();
        int n = SegmentationInput.Validate(positions, colors, normals);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Supervoxels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Neighbors, 1);
        if (n == 0)
            return [];
        normals ??= PointCloudNormals.TowardsViewpoint(positions, options.Viewpoint ?? VoxelCloud.BoxCentre(positions),
            Math.Min(options.NormalNeighbors, n), options.Threads);
        var (offsets, adjacency, spacing) = Graph(positions, Math.Min(options.Neighbors + 1, n), options.Threads);
        var metric = new Metric(positions.ToArray(), colors.IsEmpty ? null : colors.ToArray(), normals, options, spacing);
        var representative = Fuse(n, offsets, adjacency, metric, options.Supervoxels);
        Exchange(n, offsets, adjacency, metric, representative);
        var lowest = new Dictionary<int, int>();
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (!lowest.TryGetValue(representative[i], out int id))
                lowest[representative[i]] = id = i;
            labels[i] = id;
        }
        return labels;
    }

    /// <summary>d(p, q) of §3.3.</summary>
    private readonly struct Metric(float[] positions, byte[]? colors, float[] normals, BoundaryPreservingOptions o, float spacing)
    {
        private readonly float _wn = o.NormalWeight, _ws = o.SpatialWeight / spacing, _wc = o.ColorWeight / (255 * MathF.Sqrt(3));

        public float Distance(int a, int b)
        {
            float d = _wn * (1 - MathF.Abs(Vector3.Dot(VccsSupervoxels.Read(normals, a), VccsSupervoxels.Read(normals, b))))
                + _ws * Vector3.Distance(VccsSupervoxels.Read(positions, a), VccsSupervoxels.Read(positions, b));
            if (colors is not null && _wc != 0)
            {
                int dr = colors[3 * a] - colors[3 * b], dg = colors[3 * a + 1] - colors[3 * b + 1], db = colors[3 * a + 2] - colors[3 * b + 2];
                d += _wc * MathF.Sqrt(dr * dr + dg * dg + db * db);
            }
            return d;
        }
    }

    // Symmetrized kNN graph (CSR, sorted, unique, self excluded) and the median nearest-neighbour distance.
    private static (int[] Offsets, int[] Adjacency, float Spacing) Graph(ReadOnlySpan<float> positions, int k, int threads)
    {
        int n = positions.Length / 3;
        var (nb, d2) = new KdTree(positions).NearestAll(k, threads);
        var degree = new int[n + 1];
        var nearest = new float[n];
        for (int i = 0; i < n; i++)
        {
            nearest[i] = float.PositiveInfinity;
            for (int t = 0; t < k; t++)
            {
                int j = nb[i * k + t];
                if (j < 0 || j == i)
                    continue;
                degree[i + 1]++;
                degree[j + 1]++;
                nearest[i] = MathF.Min(nearest[i], d2[i * k + t]);
            }
        }
        for (int i = 0; i < n; i++)
            degree[i + 1] += degree[i];
        var all = new int[degree[n]];
        var fill = degree[..n];
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < k; t++)
            {
                int j = nb[i * k + t];
                if (j < 0 || j == i)
                    continue;
                all[fill[i]++] = j;
                all[fill[j]++] = i;
            }
        }
        var offsets = new int[n + 1];
        int w = 0;
        for (int i = 0; i < n; i++)
        {
            var row = all.AsSpan(degree[i], degree[i + 1] - degree[i]);
            row.Sort();
            for (int t = 0; t < row.Length; t++)
            {
                if (t == 0 || row[t] != row[t - 1])
                    all[w++] = row[t];
            }
            offsets[i + 1] = w;
        }
        Array.Resize(ref all, w);
        var finite = nearest.Where(float.IsFinite).Order().ToArray();
        float spacing = finite.Length == 0 ? 1 : MathF.Sqrt(finite[finite.Length / 2]);
        return (offsets, all, spacing > 0 ? spacing : 1);
    }

    // Step 1 of Lin et al.: λ-doubling fusion until K representatives remain; returns each point's representative.
    private static int[] Fuse(int n, int[] offsets, int[] graph, Metric metric, int wanted)
    {
        var parent = new int[n];
        var size = new int[n];
        var adjacent = new List<int>[n];
        var nearest = new float[n];
        for (int i = 0; i < n; i++)
        {
            parent[i] = i;
            size[i] = 1;
            adjacent[i] = new List<int>(offsets[i + 1] - offsets[i]);
            nearest[i] = float.MaxValue;
            for (int e = offsets[i]; e < offsets[i + 1]; e++)
            {
                adjacent[i].Add(graph[e]);
                nearest[i] = MathF.Min(nearest[i], metric.Distance(i, graph[e]));
            }
        }
        int Find(int x)
        {
            int r = x;
            while (parent[r] != r)
                r = parent[r];
            while (parent[x] != r)
            {
                int next = parent[x];
                parent[x] = r;
                x = next;
            }
            return r;
        }

        var finite = nearest.Where(d => d < float.MaxValue).Order().ToArray();
        double lambda = Math.Max(1e-9, finite.Length == 0 ? 0 : finite[finite.Length / 2]);
        var representatives = Enumerable.Range(0, n).ToList();
        int count = n;
        var visited = new bool[n];
        var queue = new List<int>();
        for (; lambda < 1e20 && count > wanted && representatives.Count > 1; lambda *= 2)
        {
            foreach (int i in representatives)
            {
                if (count <= wanted)
                    break;
                if (parent[i] != i || adjacent[i].Count == 0)
                    continue;
                queue.Clear();
                visited[i] = true;
                queue.Add(i);
                foreach (int a in adjacent[i])
                {
                    int j = Find(a);
                    if (!visited[j])
                    {
                        visited[j] = true;
                        queue.Add(j);
                    }
                }
                var kept = new List<int>();
                for (int front = 1; front < queue.Count; front++)
                {
                    int j = queue[front];
                    if (count > wanted && lambda - (double)size[j] * metric.Distance(i, j) > 0)
                    {
                        parent[j] = i;
                        size[i] += size[j];
                        count--;
                        foreach (int a in adjacent[j])
                        {
                            int r = Find(a);
                            if (!visited[r])
                            {
                                visited[r] = true;
                                queue.Add(r);
                            }
                        }
                        adjacent[j] = [];
                    }
                    else
                        kept.Add(j);
                }
                adjacent[i] = kept;
                foreach (int q in queue)
                    visited[q] = false;
            }
            representatives.RemoveAll(r => parent[r] != r);
        }
        var result = new int[n];
        for (int i = 0; i < n; i++)
            result[i] = Find(i);
        return result;
    }

    // Step 2 of Lin et al.: move boundary points to the adjacent supervoxel whose representative is nearer.
    private static void Exchange(int n, int[] offsets, int[] graph, Metric metric, int[] label)
    {
        var own = new float[n];
        for (int i = 0; i < n; i++)
            own[i] = metric.Distance(i, label[i]);
        var queue = new Queue<int>();
        var queued = new bool[n];
        for (int i = 0; i < n; i++)
        {
            for (int e = offsets[i]; e < offsets[i + 1]; e++)
            {
                if (label[graph[e]] != label[i] && !queued[i])
                {
                    queued[i] = true;
                    queue.Enqueue(i);
                }
            }
        }
        while (queue.TryDequeue(out int i))
        {
            queued[i] = false;
            bool changed = false;
            for (int e = offsets[i]; e < offsets[i + 1]; e++)
            {
                int b = label[graph[e]];
                if (b == label[i])
                    continue;
                float d = metric.Distance(i, b);
                if (d < own[i])
                {
                    label[i] = b;
                    own[i] = d;
                    changed = true;
                }
            }
            if (!changed)
                continue;
            for (int e = offsets[i]; e < offsets[i + 1]; e++)
            {
                int j = graph[e];
                if (label[j] != label[i] && !queued[j])
                {
                    queued[j] = true;
                    queue.Enqueue(j);
                }
            }
        }
    }
}
