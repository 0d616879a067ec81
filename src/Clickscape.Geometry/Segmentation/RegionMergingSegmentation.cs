using System.Numerics;
using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Normals;

namespace Clickscape.Geometry.Segmentation;

/// <summary>Parameters of <see cref="RegionMergingSegmentation"/>.</summary>
public sealed record RegionMergingOptions
{
    /// <summary>
    /// K: merging stops when this many regions remain (or no adjacent pair is left; a fine over-segmentation of
    /// fewer regions is returned as it is).
    /// </summary>
    public int Segments { get; init; } = 300;

    /// <summary>The fine initial over-segmentation (Felzenszwalb on the kNN graph, small k and minimum size).</summary>
    public PointCloudSegmentationOptions Initial { get; init; } = new() { KThresh = 0.005f, MinPoints = 5 };

    /// <summary>Weight of the normal term 1 − |n̄_A·n̄_B| of the region dissimilarity.</summary>
    public float NormalWeight { get; init; } = 1f;

    /// <summary>Weight of the colour term |c̄_A − c̄_B| (RGB in [0, 1]³, over √3).</summary>
    public float ColorWeight { get; init; } = 1f;

    /// <summary>
    /// Weight of the concavity term (Stein et al., CVPR 2014): the normal term counts fully across a concave
    /// connection and this fraction of it across a convex one (objects meet their support at concave creases).
    /// </summary>
    public float ConvexDiscount { get; init; } = 1f;

    /// <summary>
    /// Passes of boundary refinement after the merging (0 = none): every point with a neighbour in another region
    /// moves to the region among its neighbours' whose points it fits best (see the remarks).
    /// </summary>
    public int RefinementPasses { get; init; } = 2;

    /// <summary>Weight of the tangent-plane distance (over the median neighbour spacing) in the refinement.</summary>
    public float PlaneWeight { get; init; } = 1f;

    /// <summary>Where the sensor was (only orients PCA normals); null = the bounding-box centre.</summary>
    public Vector3? Viewpoint { get; init; }

    /// <summary>Threads for the neighbour search and normals, 0 = all cores.</summary>
    public int Threads { get; init; }
}

/// <summary>
/// Over-segmentation to a fixed segment budget by hierarchical step-wise region merging (Beaulieu and Goldberg,
/// "Hierarchical picture segmentation by approximation", IEEE TPAMI 1989; Ward's criterion, J. Am. Stat. Assoc.
/// 1963) on top of a fine Felzenszwalb over-segmentation of the kNN graph (<see cref="PointCloudSegmentator"/>).
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Fine regions: <see cref="PointCloudSegmentator"/> with <see cref="RegionMergingOptions.Initial"/>
/// (normals estimated once, shared).</item>
/// <item>Region adjacency: two regions are adjacent when a kNN edge joins them.</item>
/// <item>Each step merges the adjacent pair of least cost |A||B|/(|A|+|B|) · d(A, B) (Ward's size weighting:
/// small regions are absorbed first, large ones only when similar), with
/// d = w_n·κ·(1 − |n̄_A·n̄_B|) + w_c·|c̄_A − c̄_B|/√3, n̄ the normalized sum of the region's normals, c̄ its mean
/// colour, and κ = 1 for a concave pair, <see cref="RegionMergingOptions.ConvexDiscount"/> for a convex one
/// (convex: (x̄_B − x̄_A)·(n̄_B − n̄_A) &gt; 0 with normals oriented towards the viewpoint, as in LCCP).</item>
/// <item>Stops at K regions.</item>
/// <item>Boundary refinement (<see cref="RegionMergingOptions.RefinementPasses"/>; after Lin et al.'s exchange step,
/// ISPRS 2018): each point moves to the region among its neighbours' that it fits best — least mean over those
/// neighbours j of w_p·|n_j·(x_p − x_j)|/s (distance to j's tangent plane, s the median spacing) +
/// w_n·(1 − |n_p·n_j|) + w_c·|c_p − c_j|/√3; all points of a pass move at once. Can empty a region, never adds one.</item>
/// </list>
/// Segment id = lowest point index of the region.
/// Costs are kept in a priority queue with lazy invalidation (a popped pair whose regions changed since it was
/// queued is skipped; every merge queues the new region's pairs afresh).
/// </remarks>
public static class RegionMergingSegmentation
{
    /// <summary>Returns a segment id per point.</summary>
    /// <param name="positions">x, y, z per point.</param>
    /// <param name="colors">r, g, b per point (0–255), or empty (no colour term).</param>
    /// <param name="normals">nx, ny, nz per point, or null to estimate them.</param>
    /// <param name="options">Parameters; null = defaults.</param>
    public static int[] Segment(ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors = default, float[]? normals = null,
        RegionMergingOptions? options = null)
    {
        options ??= new RegionMergingOptions();
        int n = SegmentationInput.Validate(positions, colors, normals);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Segments, 1);
        if (n == 0)
            return [];
        var viewpoint = options.Viewpoint ?? VoxelCloud.BoxCentre(positions);
        normals ??= PointCloudNormals.TowardsViewpoint(positions, viewpoint, Math.Min(options.Initial.NormalNeighbors, n), options.Threads);
        var fine = PointCloudSegmentator.Segment(positions, colors, normals, options.Initial with { Threads = options.Threads });

        // Regions 0..R−1 with sums of position, colour, normal.
        var regionOf = new int[n];
        var index = new Dictionary<int, int>();
        foreach (int id in fine)
            index.TryAdd(id, index.Count);
        int r = index.Count;
        var size = new double[r];
        var pos = new Vector3[r];
        var col = new Vector3[r];
        var nor = new Vector3[r];
        for (int i = 0; i < n; i++)
        {
            int a = regionOf[i] = index[fine[i]];
            size[a]++;
            pos[a] += new Vector3(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]);
            if (!colors.IsEmpty)
                col[a] += new Vector3(colors[3 * i], colors[3 * i + 1], colors[3 * i + 2]) / 255f;
            nor[a] += new Vector3(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2]);
        }

        // Adjacency from the kNN graph.
        int k = Math.Min(options.Initial.Neighbors + 1, n);
        var (nb, _) = new KdTree(positions).NearestAll(k, options.Threads);
        var adjacent = new HashSet<int>[r];
        for (int a = 0; a < r; a++)
            adjacent[a] = [];
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < k; t++)
            {
                int j = nb[i * k + t];
                if (j < 0)
                    continue;
                int a = regionOf[i], b = regionOf[j];
                if (a != b)
                {
                    adjacent[a].Add(b);
                    adjacent[b].Add(a);
                }
            }
        }

        float wn = options.NormalWeight, wc = options.ColorWeight / MathF.Sqrt(3), convex = options.ConvexDiscount;
        float Cost(int a, int b)
        {
            var na = Vector3.Normalize(nor[a] + new Vector3(1e-12f));
            var nbv = Vector3.Normalize(nor[b] + new Vector3(1e-12f));
            var ca = pos[a] / (float)size[a];
            var cb = pos[b] / (float)size[b];
            float normal = 1 - MathF.Abs(Vector3.Dot(na, nbv));
            if (Vector3.Dot(cb - ca, nbv - na) > 0)
                normal *= convex;
            float d = wn * normal + wc * Vector3.Distance(col[a] / (float)size[a], col[b] / (float)size[b]);
            return (float)(size[a] * size[b] / (size[a] + size[b])) * d;
        }

        var version = new int[r];
        var alive = new bool[r];
        Array.Fill(alive, true);
        var forest = new int[r];
        for (int a = 0; a < r; a++)
            forest[a] = a;
        var queue = new PriorityQueue<(int A, int B, int VersionA, int VersionB), float>();
        for (int a = 0; a < r; a++)
        {
            foreach (int b in adjacent[a])
            {
                if (a < b)
                    queue.Enqueue((a, b, 0, 0), Cost(a, b));
            }
        }
        int count = r;
        while (count > options.Segments && queue.TryDequeue(out var pair, out _))
        {
            var (a, b, va, vb) = pair;
            if (!alive[a] || !alive[b] || version[a] != va || version[b] != vb)
                continue;
            // Merge the smaller adjacency into the larger; b dies.
            if (adjacent[a].Count < adjacent[b].Count)
                (a, b) = (b, a);
            alive[b] = false;
            forest[b] = a;
            size[a] += size[b];
            pos[a] += pos[b];
            col[a] += col[b];
            nor[a] += nor[b];
            version[a]++;
            adjacent[a].Remove(b);
            foreach (int c in adjacent[b])
            {
                if (c == a)
                    continue;
                adjacent[c].Remove(b);
                adjacent[c].Add(a);
                adjacent[a].Add(c);
            }
            adjacent[b] = [];
            count--;
            foreach (int c in adjacent[a])
                queue.Enqueue(a < c ? (a, c, version[a], version[c]) : (c, a, version[c], version[a]), Cost(a, c));
        }

        var regionLabel = new int[n];
        for (int i = 0; i < n; i++)
            regionLabel[i] = FindRoot(forest, regionOf[i]);
        if (options.RefinementPasses > 0)
            Refine(positions, colors, normals, nb, k, regionLabel, options);
        var lowest = new Dictionary<int, int>();
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (!lowest.TryGetValue(regionLabel[i], out int id))
                lowest[regionLabel[i]] = id = i;
            labels[i] = id;
        }
        return labels;
    }

    private static int FindRoot(int[] forest, int x)
    {
        while (forest[x] != x)
        {
            forest[x] = forest[forest[x]];
            x = forest[x];
        }
        return x;
    }

    // Boundary refinement (in the spirit of Lin et al. 2018's exchange step, with a local fit instead of one
    // representative): the misfit of point p to region S is the mean over its neighbours j in S of
    // w_p·|n_j·(x_p − x_j)|/s + w_n·(1 − |n_p·n_j|) + w_c·|c_p − c_j|/√3 — distance to j's tangent plane, normal and
    // colour difference; p moves to the region of least misfit. Labels of a pass are computed from the previous pass.
    private static void Refine(ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors, float[] normals, int[] nb, int k,
        int[] label, RegionMergingOptions options)
    {
        int n = label.Length;
        var spacings = new float[n];
        for (int i = 0; i < n; i++)
        {
            int j = k > 1 ? nb[i * k + 1] : -1;
            spacings[i] = j < 0 ? 0 : Vector3.Distance(Read(positions, i), Read(positions, j));
        }
        Array.Sort(spacings);
        float spacing = Math.Max(spacings[n / 2], 1e-6f);
        float wp = options.PlaneWeight / spacing, wn = options.NormalWeight, wc = colors.IsEmpty ? 0 : options.ColorWeight / (255 * MathF.Sqrt(3));
        var next = new int[n];
        Span<int> candidates = stackalloc int[k];
        Span<float> misfit = stackalloc float[k];
        Span<int> members = stackalloc int[k];
        for (int pass = 0; pass < options.RefinementPasses; pass++)
        {
            int moved = 0;
            for (int i = 0; i < n; i++)
            {
                next[i] = label[i];
                int m = 0;
                for (int t = 0; t < k; t++)
                {
                    int j = nb[i * k + t];
                    if (j < 0 || j == i)
                        continue;
                    int c = label[j];
                    int slot = candidates[..m].IndexOf(c);
                    if (slot < 0)
                    {
                        slot = m++;
                        candidates[slot] = c;
                        misfit[slot] = 0;
                        members[slot] = 0;
                    }
                    var nj = Read(normals, j);
                    float d = wp * MathF.Abs(Vector3.Dot(nj, Read(positions, i) - Read(positions, j)))
                        + wn * (1 - MathF.Abs(Vector3.Dot(Read(normals, i), nj)));
                    if (wc != 0)
                    {
                        int dr = colors[3 * i] - colors[3 * j], dg = colors[3 * i + 1] - colors[3 * j + 1], db = colors[3 * i + 2] - colors[3 * j + 2];
                        d += wc * MathF.Sqrt(dr * dr + dg * dg + db * db);
                    }
                    misfit[slot] += d;
                    members[slot]++;
                }
                if (m < 2 && (m == 0 || candidates[0] == label[i]))
                    continue;
                int best = -1;
                float bestMisfit = float.MaxValue;
                for (int c = 0; c < m; c++)
                {
                    float mean = misfit[c] / members[c];
                    if (mean < bestMisfit || (mean == bestMisfit && candidates[c] == label[i]))
                    {
                        bestMisfit = mean;
                        best = candidates[c];
                    }
                }
                if (best != label[i])
                {
                    next[i] = best;
                    moved++;
                }
            }
            Array.Copy(next, label, n);
            if (moved == 0)
                break;
        }
    }

    private static Vector3 Read(ReadOnlySpan<float> a, int i) => new(a[3 * i], a[3 * i + 1], a[3 * i + 2]);
}
