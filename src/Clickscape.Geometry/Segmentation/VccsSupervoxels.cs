using System.Numerics;

namespace Clickscape.Geometry.Segmentation;

/// <summary>Parameters of <see cref="VccsSupervoxels"/> (names as in Papon et al. and PCL's SupervoxelClustering).</summary>
public sealed record VccsOptions
{
    /// <summary>R_voxel: side of the voxels the cloud is averaged into, metres.</summary>
    public float VoxelResolution { get; init; } = 0.03f;

    /// <summary>R_seed: spacing of the seed grid, metres; sets the supervoxel size.</summary>
    public float SeedResolution { get; init; } = 0.4f;

    /// <summary>w_c: weight of the colour distance (Euclidean RGB in [0, 1]³, over √3).</summary>
    public float ColorImportance { get; init; } = 0.2f;

    /// <summary>w_s: weight of the spatial distance (over R_seed).</summary>
    public float SpatialImportance { get; init; } = 0.4f;

    /// <summary>w_n: weight of the normal distance 1 − |n·n'|.</summary>
    public float NormalImportance { get; init; } = 1f;

    /// <summary>
    /// Nearest voxel centroids added to the 26-connected adjacency (the kNN variant of VCCS in Lin et al.'s code):
    /// real scans sparser than R_voxel otherwise leave voxels without neighbours. 0 = 26-adjacency only, as in the paper.
    /// </summary>
    public int NearestVoxels { get; init; } = 8;

    /// <summary>Assignment / centre-update rounds.</summary>
    public int Iterations { get; init; } = 3;

    /// <summary>Supervoxels of fewer voxels are merged into their most similar neighbour.</summary>
    public int MinVoxels { get; init; } = 4;

    /// <summary>Neighbours for the PCA normals of the voxels when the cloud has none.</summary>
    public int NormalNeighbors { get; init; } = 16;

    /// <summary>Where the sensor was (only orients PCA normals); null = the bounding-box centre.</summary>
    public Vector3? Viewpoint { get; init; }

    /// <summary>Threads for the normals, 0 = all cores.</summary>
    public int Threads { get; init; }
}

/// <summary>
/// Voxel Cloud Connectivity Segmentation (Papon, Abramov, Schoeler and Wörgötter, "Voxel Cloud Connectivity
/// Segmentation — Supervoxels for Point Clouds", CVPR 2013): supervoxels grown from a regular seed grid by
/// flow-constrained local k-means over the voxel adjacency graph.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Voxelize at R_voxel (<see cref="VoxelCloud"/>): centroid, mean colour, normal, 26-adjacency (§3.1).</item>
/// <item>Seeds (§3.2): one per occupied cell of a grid of side R_seed — the voxel nearest the mean of the cell's voxels.</item>
/// <item>Features and distance (§3.3, eq. 1 in PCL's linear form):
/// D = w_c·|c − c'|/√3 + w_s·|p − p'|/R_seed + w_n·(1 − |n·n'|).</item>
/// <item>Flow-constrained clustering (§3.4): from every supervoxel's centre voxel, a best-first expansion over the
/// adjacency graph ordered by D to that supervoxel's centre; a voxel joins the first supervoxel that reaches it,
/// within 1.8·R_seed of its centre (PCL's search depth), so supervoxels stay connected and local. Voxels left out
/// (beyond the range) are then claimed by the same expansion without the range bound. Centres become the mean
/// features of their voxels and the rounds repeat <see cref="VccsOptions.Iterations"/> times.</item>
/// <item>Supervoxels smaller than <see cref="VccsOptions.MinVoxels"/> join the adjacent supervoxel of least D.</item>
/// </list>
/// Every point takes its voxel's supervoxel; segment id = lowest point index of the supervoxel.
/// </remarks>
public static class VccsSupervoxels
{
    /// <summary>Returns a segment id per point.</summary>
    /// <param name="positions">x, y, z per point.</param>
    /// <param name="colors">r, g, b per point (0–255), or empty (no colour term).</param>
    /// <param name="normals">nx, ny, nz per point, or null to estimate them per voxel.</param>
    /// <param name="options">Parameters; null = defaults.</param>
    public static int[] Segment(ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors = default, float[]? normals = null,
        VccsOptions? options = null)
    {
        options ??= new VccsOptions();
        int n = SegmentationInput.Validate(positions, colors, normals);
        if (!(options.VoxelResolution > 0) || float.IsInfinity(options.VoxelResolution))
            throw new ArgumentOutOfRangeException(nameof(options), options.VoxelResolution, "VoxelResolution must be a finite distance > 0");
        if (!(options.SeedResolution >= options.VoxelResolution) || float.IsInfinity(options.SeedResolution))
            throw new ArgumentOutOfRangeException(nameof(options), options.SeedResolution, "SeedResolution must be finite and ≥ VoxelResolution");
        ArgumentOutOfRangeException.ThrowIfNegative(options.Iterations);
        if (n == 0)
            return [];
        var cloud = VoxelCloud.Build(positions, colors, normals, options.VoxelResolution, options.NormalNeighbors,
            options.Viewpoint ?? VoxelCloud.BoxCentre(positions), options.Threads, options.NearestVoxels);
        var labels = Cluster(cloud, options);
        return cloud.PointLabels(labels);
    }

    /// <summary>Supervoxel label per voxel (0..S−1).</summary>
    internal static int[] Cluster(VoxelCloud cloud, VccsOptions options)
    {
        var metric = new Metric(cloud, options);
        var centres = Seeds(cloud, options.SeedResolution);
        var labels = new int[cloud.Count];
        for (int round = 0; round <= options.Iterations; round++)
        {
            var start = centres.Select(c => c.Start).ToArray();
            Expand(cloud, metric, centres, labels, 1.8f * options.SeedResolution);
            centres = Update(cloud, metric, labels, centres.Count);
            if (round == options.Iterations || start.SequenceEqual(centres.Select(c => c.Start)))
                break;
        }
        return MergeSmall(cloud, metric, labels, centres, options.MinVoxels);
    }

    /// <summary>A supervoxel centre: mean features and the member voxel the expansion starts from.</summary>
    internal struct Centre
    {
        public Vector3 Position, Color, Normal;
        public int Start;
    }

    /// <summary>D between a voxel and a centre.</summary>
    internal readonly struct Metric(VoxelCloud cloud, VccsOptions options)
    {
        private readonly float _wc = options.ColorImportance / MathF.Sqrt(3), _ws = options.SpatialImportance / options.SeedResolution,
            _wn = options.NormalImportance;

        public float Spatial(int v, in Centre c) => Vector3.Distance(Read(cloud.Centroids, v), c.Position);

        public float Distance(int v, in Centre c) =>
            _wc * Vector3.Distance(Read(cloud.Colors, v), c.Color) + _ws * Spatial(v, c)
            + _wn * (1 - MathF.Abs(Vector3.Dot(Read(cloud.Normals, v), c.Normal)));
    }

    internal static Vector3 Read(float[] a, int v) => new(a[3 * v], a[3 * v + 1], a[3 * v + 2]);

    private static List<Centre> Seeds(VoxelCloud cloud, float seedResolution)
    {
        float inverse = 1 / seedResolution;
        var cells = new Dictionary<(int, int, int), List<int>>();
        var order = new List<(int, int, int)>();
        for (int v = 0; v < cloud.Count; v++)
        {
            var p = Read(cloud.Centroids, v);
            var key = ((int)MathF.Floor(p.X * inverse), (int)MathF.Floor(p.Y * inverse), (int)MathF.Floor(p.Z * inverse));
            if (!cells.TryGetValue(key, out var members))
            {
                cells[key] = members = [];
                order.Add(key);
            }
            members.Add(v);
        }
        var seeds = new List<Centre>(order.Count);
        foreach (var key in order)
        {
            var members = cells[key];
            var mean = Vector3.Zero;
            foreach (int v in members)
                mean += Read(cloud.Centroids, v);
            mean /= members.Count;
            int best = members[0];
            float bestD = float.MaxValue;
            foreach (int v in members)
            {
                float d = Vector3.DistanceSquared(Read(cloud.Centroids, v), mean);
                if (d < bestD)
                {
                    bestD = d;
                    best = v;
                }
            }
            seeds.Add(new Centre { Position = Read(cloud.Centroids, best), Color = Read(cloud.Colors, best), Normal = Read(cloud.Normals, best), Start = best });
        }
        return seeds;
    }

    // Best-first flow from every centre; first within the range, then unbounded for what is left.
    private static void Expand(VoxelCloud cloud, Metric metric, List<Centre> centres, int[] labels, float range)
    {
        Array.Fill(labels, -1);
        var queue = new PriorityQueue<(int Voxel, int Label), float>();
        for (int s = 0; s < centres.Count; s++)
            queue.Enqueue((centres[s].Start, s), 0);
        var deferred = new List<(int Voxel, int Label)>();
        Flow(cloud, metric, centres, labels, queue, range, deferred);
        foreach (var (v, s) in deferred)
        {
            if (labels[v] < 0)
                queue.Enqueue((v, s), metric.Distance(v, centres[s]));
        }
        Flow(cloud, metric, centres, labels, queue, float.PositiveInfinity, null);
        // Components no centre reached (none in practice: every voxel lies in a seed cell) get a new supervoxel each.
        for (int v = 0; v < cloud.Count; v++)
        {
            if (labels[v] >= 0)
                continue;
            int s = centres.Count;
            centres.Add(new Centre { Position = Read(cloud.Centroids, v), Color = Read(cloud.Colors, v), Normal = Read(cloud.Normals, v), Start = v });
            queue.Enqueue((v, s), 0);
            Flow(cloud, metric, centres, labels, queue, float.PositiveInfinity, null);
        }
    }

    private static void Flow(VoxelCloud cloud, Metric metric, List<Centre> centres, int[] labels,
        PriorityQueue<(int Voxel, int Label), float> queue, float range, List<(int, int)>? deferred)
    {
        while (queue.TryDequeue(out var item, out _))
        {
            var (v, s) = item;
            if (labels[v] >= 0)
                continue;
            labels[v] = s;
            var centre = centres[s];
            for (int e = cloud.AdjacencyOffsets[v]; e < cloud.AdjacencyOffsets[v + 1]; e++)
            {
                int u = cloud.Adjacency[e];
                if (labels[u] >= 0)
                    continue;
                if (metric.Spatial(u, centre) > range)
                    deferred?.Add((u, s));
                else
                    queue.Enqueue((u, s), metric.Distance(u, centre));
            }
        }
    }

    // New centres: point-weighted mean features of the members (normals sign-aligned first); start = the member
    // nearest to the new centre in D. Empty labels keep no centre and are dropped (labels renumbered).
    private static List<Centre> Update(VoxelCloud cloud, Metric metric, int[] labels, int count)
    {
        var sumP = new Vector3[count];
        var sumC = new Vector3[count];
        var sumN = new Vector3[count];
        var reference = new Vector3[count];
        var weight = new double[count];
        for (int v = 0; v < cloud.Count; v++)
        {
            int s = labels[v];
            float w = cloud.Counts[v];
            var nv = Read(cloud.Normals, v);
            if (weight[s] == 0)
                reference[s] = nv;
            if (Vector3.Dot(nv, reference[s]) < 0)
                nv = -nv;
            sumP[s] += w * Read(cloud.Centroids, v);
            sumC[s] += w * Read(cloud.Colors, v);
            sumN[s] += w * nv;
            weight[s] += w;
        }
        var remap = new int[count];
        var centres = new List<Centre>(count);
        for (int s = 0; s < count; s++)
        {
            remap[s] = -1;
            if (weight[s] == 0)
                continue;
            remap[s] = centres.Count;
            float w = (float)weight[s];
            var normal = sumN[s];
            centres.Add(new Centre { Position = sumP[s] / w, Color = sumC[s] / w, Normal = normal == Vector3.Zero ? normal : Vector3.Normalize(normal), Start = -1 });
        }
        var best = new float[centres.Count];
        Array.Fill(best, float.MaxValue);
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(centres);
        for (int v = 0; v < cloud.Count; v++)
        {
            int s = remap[labels[v]];
            labels[v] = s;
            float d = metric.Distance(v, span[s]);
            if (d < best[s])
            {
                best[s] = d;
                span[s].Start = v;
            }
        }
        return centres;
    }

    private static int[] MergeSmall(VoxelCloud cloud, Metric metric, int[] labels, List<Centre> centres, int minVoxels)
    {
        int count = centres.Count;
        var size = new int[count];
        foreach (int s in labels)
            size[s]++;
        var forest = new DisjointSet(count);
        // Smallest first; a small supervoxel joins the adjacent one whose centre is nearest in D to its own centre.
        var order = Enumerable.Range(0, count).Where(s => size[s] < minVoxels).OrderBy(s => size[s]).ThenBy(s => s).ToArray();
        var members = new List<int>[count];
        for (int v = 0; v < cloud.Count; v++)
            (members[labels[v]] ??= []).Add(v);
        foreach (int s in order)
        {
            int root = forest.Find(s);
            if (size[root] >= minVoxels)
                continue;
            int target = -1;
            float bestD = float.MaxValue;
            foreach (int v in members[s])
            {
                for (int e = cloud.AdjacencyOffsets[v]; e < cloud.AdjacencyOffsets[v + 1]; e++)
                {
                    int t = forest.Find(labels[cloud.Adjacency[e]]);
                    if (t == root)
                        continue;
                    float d = metric.Distance(centres[s].Start, centres[t]);
                    if (d < bestD)
                    {
                        bestD = d;
                        target = t;
                    }
                }
            }
            if (target >= 0)
            {
                int total = size[root] + size[target];
                size[forest.Join(root, target)] = total;
            }
        }
        var result = new int[cloud.Count];
        for (int v = 0; v < cloud.Count; v++)
            result[v] = forest.Find(labels[v]);
        return result;
    }
}
