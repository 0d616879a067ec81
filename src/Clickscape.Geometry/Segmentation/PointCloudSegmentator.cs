using System.Numerics;
using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Normals;

namespace Clickscape.Geometry.Segmentation;

/// <summary>Parameters of <see cref="PointCloudSegmentator"/>.</summary>
/// <remarks>
/// Defaults were calibrated on the real ScanNet sample <c>scene0000_00</c> (81 369 vertices of
/// <c>_vh_clean_2.ply</c>, read without faces): k = 0.03, 60 points minimum and a 12-NN graph give 308 segments
/// with a median of 164 points, about as many as ScanNet's mesh Segmentator makes at 0.01 / 20 on a real room
/// (316 segments for 148 615 vertices, REFERENCE §1.1). The mesh defaults (0.01 / 20) on a kNN graph would give
/// 977 segments of median 58 points there: a kNN graph has more, shorter edges than a mesh, so the same k
/// stops merging earlier. No official <c>segs.json</c> of this scan is available here to calibrate closer.
/// With the 8-neighbour normals chosen later on generated rooms the same settings give 270 segments there
/// (purity 0.852, docs/overseg-curve.md).
/// </remarks>
public sealed record PointCloudSegmentationOptions
{
    /// <summary>Neighbours per point in the graph (a mesh vertex has about 6).</summary>
    public int Neighbors { get; init; } = 12;

    /// <summary>
    /// Neighbours for the PCA normals when the cloud has none. 8 (about a mesh vertex's ring) keeps creases sharper
    /// than 16: purity on generated rooms rose from 0.966 to 0.975 (small) at the same segment count
    /// (docs/overseg-curve.md).
    /// </summary>
    public int NormalNeighbors { get; init; } = 8;

    /// <summary>Felzenszwalb's k, as ScanNet's kThresh.</summary>
    public float KThresh { get; init; } = 0.03f;

    /// <summary>Segments smaller than this are merged into a neighbour.</summary>
    public int MinPoints { get; init; } = 60;

    /// <summary>Weight of the colour term (colour distance in [0, 1]: Euclidean RGB distance / (255·√3)).</summary>
    public float ColorWeight { get; init; } = 0.05f;

    /// <summary>Where the sensor was (normals face it); null = the centre of the bounding box (inside a room).</summary>
    public Vector3? Viewpoint { get; init; }

    /// <summary>
    /// Supervoxel mode when &gt; 0: points are first averaged per cubic voxel of this side (position, colour,
    /// normal), the voxel centroids are segmented, and every point takes its voxel's segment. Faster on dense
    /// scans and insensitive to uneven density; <see cref="MinPoints"/> then counts voxels. 0 = per point.
    /// </summary>
    public float VoxelSize { get; init; }

    /// <summary>Threads for the neighbour search and normals, 0 = all cores.</summary>
    public int Threads { get; init; }
}

/// <summary>
/// Over-segmentation of a point cloud without faces (S3DIS, NPY scans, lidar): ScanNet's Segmentator
/// (<see cref="MeshSegmentator"/>) run on a k-nearest-neighbour graph instead of mesh edges, with a colour term.
/// </summary>
/// <remarks>
/// Edges: (i, j) for each of the k nearest neighbours j of i, each unordered pair once (first seen from the
/// lower-index point, in neighbour order). Weight: the Segmentator's normal term (1 − n_i·n_j, squared when
/// convex at j) plus <see cref="PointCloudSegmentationOptions.ColorWeight"/> × the normalized RGB distance.
/// Normals: the cloud's own, else PCA normals oriented towards the viewpoint (<see cref="PointCloudNormals"/>).
/// Then <see cref="FelzenszwalbSegmentation"/>. Segment id = root point index, as on meshes.
/// </remarks>
public static class PointCloudSegmentator
{
    /// <summary>Returns a segment id (a root point index) per point.</summary>
    /// <param name="positions">x, y, z per point.</param>
    /// <param name="colors">r, g, b per point (0–255), or null (no colour term).</param>
    /// <param name="normals">nx, ny, nz per point, or null to estimate them.</param>
    /// <param name="options">Parameters; null = defaults.</param>
    public static int[] Segment(ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors = default, float[]? normals = null,
        PointCloudSegmentationOptions? options = null)
    {
        options ??= new PointCloudSegmentationOptions();
        if (positions.Length % 3 != 0)
            throw new ArgumentException($"positions hold {positions.Length} floats, expected a multiple of 3 (x y z per point)", nameof(positions));
        int n = positions.Length / 3;
        if (!colors.IsEmpty && colors.Length != 3 * n)
            throw new ArgumentException($"colors hold {colors.Length} bytes for {n} points, expected 3 per point", nameof(colors));
        if (normals is not null && normals.Length != 3 * n)
            throw new ArgumentException($"normals hold {normals.Length} floats for {n} points, expected 3 per point", nameof(normals));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Neighbors, 1);
        if (!(options.VoxelSize >= 0) || float.IsInfinity(options.VoxelSize))
            throw new ArgumentOutOfRangeException(nameof(options), options.VoxelSize, "VoxelSize must be a finite number ≥ 0");
        if (n == 0)
            return [];
        if (options.VoxelSize > 0)
            return SegmentVoxels(positions, colors, normals, options);

        normals ??= PointCloudNormals.TowardsViewpoint(positions, options.Viewpoint ?? VoxelCloud.BoxCentre(positions),
            options.NormalNeighbors, options.Threads);
        var tree = new KdTree(positions);
        int k = Math.Min(options.Neighbors + 1, n); // the point itself comes first
        var (neighbors, _) = tree.Nearest(positions, k, options.Threads);

        var edgeA = new List<int>(n * options.Neighbors);
        var edgeB = new List<int>(n * options.Neighbors);
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < k; t++)
            {
                int j = neighbors[i * k + t];
                if (j == i || j < 0)
                    continue;
                // Keep each unordered pair once: from the lower index, or from i when j does not list i.
                if (j < i && Lists(neighbors, j, k, i))
                    continue;
                edgeA.Add(i);
                edgeB.Add(j);
            }
        }
        var a = edgeA.ToArray();
        var b = edgeB.ToArray();
        var weights = SegmentatorEdgeWeights.Compute(positions, normals, colors, a, b, options.ColorWeight);
        return FelzenszwalbSegmentation.Segment(n, a, b, weights, options.KThresh, options.MinPoints);
    }

    // Supervoxels: average per voxel, segment the centroids, give each point its voxel's segment
    // (id = the lowest point index of the root voxel).
    private static int[] SegmentVoxels(ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors, float[]? normals,
        PointCloudSegmentationOptions options)
    {
        int n = positions.Length / 3;
        float inverse = 1 / options.VoxelSize;
        var voxelOf = new int[n];
        var index = new Dictionary<(int, int, int), int>();
        var first = new List<int>();
        for (int i = 0; i < n; i++)
        {
            var key = ((int)MathF.Floor(positions[3 * i] * inverse), (int)MathF.Floor(positions[3 * i + 1] * inverse),
                (int)MathF.Floor(positions[3 * i + 2] * inverse));
            if (!index.TryGetValue(key, out int v))
            {
                index[key] = v = first.Count;
                first.Add(i);
            }
            voxelOf[i] = v;
        }
        int m = first.Count;
        var sums = new double[m * 10];
        for (int i = 0; i < n; i++)
        {
            int o = voxelOf[i] * 10;
            sums[o] += 1;
            for (int d = 0; d < 3; d++)
            {
                sums[o + 1 + d] += positions[3 * i + d];
                if (!colors.IsEmpty)
                    sums[o + 4 + d] += colors[3 * i + d];
                if (normals is not null)
                    sums[o + 7 + d] += normals[3 * i + d];
            }
        }
        var centroids = new float[3 * m];
        var voxelColors = colors.IsEmpty ? null : new byte[3 * m];
        var voxelNormals = normals is null ? null : new float[3 * m];
        for (int v = 0; v < m; v++)
        {
            double count = sums[v * 10];
            for (int d = 0; d < 3; d++)
            {
                centroids[3 * v + d] = (float)(sums[v * 10 + 1 + d] / count);
                if (voxelColors is not null)
                    voxelColors[3 * v + d] = (byte)Math.Round(sums[v * 10 + 4 + d] / count);
                if (voxelNormals is not null)
                    voxelNormals[3 * v + d] = (float)(sums[v * 10 + 7 + d] / count);
            }
        }
        var voxelSegments = Segment(centroids, voxelColors, voxelNormals, options with { VoxelSize = 0 });
        var labels = new int[n];
        for (int i = 0; i < n; i++)
            labels[i] = first[voxelSegments[voxelOf[i]]];
        return labels;
    }

    private static bool Lists(int[] neighbors, int row, int k, int target)
    {
        for (int t = 0; t < k; t++)
        {
            if (neighbors[row * k + t] == target)
                return true;
        }
        return false;
    }
}
