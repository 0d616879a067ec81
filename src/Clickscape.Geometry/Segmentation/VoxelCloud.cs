using System.Numerics;
using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Normals;

namespace Clickscape.Geometry.Segmentation;

/// <summary>
/// A point cloud averaged per cubic voxel, with 26-connected voxel adjacency: the voxel cloud on which VCCS
/// (Papon et al., CVPR 2013, §3.1) builds supervoxels. Voxels are numbered in the order of their first point.
/// </summary>
/// <remarks>
/// Per voxel: centroid, mean colour (0–1 per channel; 0 without colours), unit normal and point count. Normals are
/// the mean of the points' normals when the cloud has them, else PCA normals of the voxel centroids
/// (<see cref="PointCloudNormals"/>, sign towards the viewpoint). Adjacency is CSR, sorted, the voxel itself excluded.
/// </remarks>
internal sealed class VoxelCloud
{
    private VoxelCloud(int[] voxelOf, int[] firstPoint, float[] centroids, float[] colors, float[] normals, int[] counts,
        int[] adjacencyOffsets, int[] adjacency)
    {
        VoxelOf = voxelOf;
        FirstPoint = firstPoint;
        Centroids = centroids;
        Colors = colors;
        Normals = normals;
        Counts = counts;
        AdjacencyOffsets = adjacencyOffsets;
        Adjacency = adjacency;
    }

    /// <summary>Number of voxels.</summary>
    public int Count => Counts.Length;

    /// <summary>The voxel of each point.</summary>
    public int[] VoxelOf { get; }

    /// <summary>The lowest point index in each voxel.</summary>
    public int[] FirstPoint { get; }

    /// <summary>x, y, z per voxel.</summary>
    public float[] Centroids { get; }

    /// <summary>r, g, b in [0, 1] per voxel.</summary>
    public float[] Colors { get; }

    /// <summary>Unit normal per voxel (or 0 when undefined).</summary>
    public float[] Normals { get; }

    /// <summary>Points per voxel.</summary>
    public int[] Counts { get; }

    /// <summary>CSR offsets into <see cref="Adjacency"/>.</summary>
    public int[] AdjacencyOffsets { get; }

    /// <summary>26-connected neighbours of each voxel.</summary>
    public int[] Adjacency { get; }

    /// <summary>Voxelizes the cloud at <paramref name="resolution"/>.</summary>
    public static VoxelCloud Build(ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors, float[]? normals, float resolution,
        int normalNeighbors, Vector3 viewpoint, int threads, int nearestVoxels = 0)
    {
        int n = positions.Length / 3;
        float inverse = 1 / resolution;
        var voxelOf = new int[n];
        var index = new Dictionary<(int, int, int), int>();
        var keys = new List<(int, int, int)>();
        var first = new List<int>();
        for (int i = 0; i < n; i++)
        {
            var key = ((int)MathF.Floor(positions[3 * i] * inverse), (int)MathF.Floor(positions[3 * i + 1] * inverse),
                (int)MathF.Floor(positions[3 * i + 2] * inverse));
            if (!index.TryGetValue(key, out int v))
            {
                index[key] = v = first.Count;
                first.Add(i);
                keys.Add(key);
            }
            voxelOf[i] = v;
        }
        int m = first.Count;
        var sums = new double[m * 9];
        var counts = new int[m];
        for (int i = 0; i < n; i++)
        {
            int v = voxelOf[i], o = v * 9;
            counts[v]++;
            for (int d = 0; d < 3; d++)
            {
                sums[o + d] += positions[3 * i + d];
                if (!colors.IsEmpty)
                    sums[o + 3 + d] += colors[3 * i + d];
                if (normals is not null)
                    sums[o + 6 + d] += normals[3 * i + d];
            }
        }
        var centroids = new float[3 * m];
        var meanColors = new float[3 * m];
        var meanNormals = new float[3 * m];
        for (int v = 0; v < m; v++)
        {
            double count = counts[v];
            for (int d = 0; d < 3; d++)
            {
                centroids[3 * v + d] = (float)(sums[v * 9 + d] / count);
                meanColors[3 * v + d] = (float)(sums[v * 9 + 3 + d] / count / 255);
                meanNormals[3 * v + d] = (float)sums[v * 9 + 6 + d];
            }
        }
        if (normals is null)
            meanNormals = PointCloudNormals.TowardsViewpoint(centroids, viewpoint, Math.Min(normalNeighbors, m), threads);
        else
        {
            for (int v = 0; v < m; v++)
            {
                var nv = new Vector3(meanNormals[3 * v], meanNormals[3 * v + 1], meanNormals[3 * v + 2]);
                float length = nv.Length();
                if (length > 0)
                    nv /= length;
                meanNormals[3 * v] = nv.X;
                meanNormals[3 * v + 1] = nv.Y;
                meanNormals[3 * v + 2] = nv.Z;
            }
        }

        // 26-connected voxels, plus (when asked) the nearest voxel centroids, symmetrized: on scans sparser than the
        // voxel side the 26-neighbourhood alone leaves voxels isolated.
        var rows = new List<int>[m];
        for (int v = 0; v < m; v++)
        {
            rows[v] = [];
            var (x, y, z) = keys[v];
            for (int dx = -1; dx <= 1; dx++)
            {
                for (int dy = -1; dy <= 1; dy++)
                {
                    for (int dz = -1; dz <= 1; dz++)
                    {
                        if ((dx | dy | dz) != 0 && index.TryGetValue((x + dx, y + dy, z + dz), out int u))
                            rows[v].Add(u);
                    }
                }
            }
        }
        if (nearestVoxels > 0 && m > 1)
        {
            int k = Math.Min(nearestVoxels + 1, m);
            var (nb, _) = new KdTree(centroids).NearestAll(k, threads);
            for (int v = 0; v < m; v++)
            {
                for (int t = 0; t < k; t++)
                {
                    int u = nb[v * k + t];
                    if (u >= 0 && u != v)
                    {
                        rows[v].Add(u);
                        rows[u].Add(v);
                    }
                }
            }
        }
        var offsets = new int[m + 1];
        var adjacency = new List<int>(m * 12);
        for (int v = 0; v < m; v++)
        {
            rows[v].Sort();
            for (int t = 0; t < rows[v].Count; t++)
            {
                if (t == 0 || rows[v][t] != rows[v][t - 1])
                    adjacency.Add(rows[v][t]);
            }
            offsets[v + 1] = adjacency.Count;
        }
        return new VoxelCloud(voxelOf, [.. first], centroids, meanColors, meanNormals, counts, offsets, [.. adjacency]);
    }

    /// <summary>Centre of the axis-aligned bounding box (the default viewpoint inside a room).</summary>
    public static Vector3 BoxCentre(ReadOnlySpan<float> p)
    {
        var lo = new Vector3(float.MaxValue);
        var hi = new Vector3(float.MinValue);
        for (int i = 0; i + 2 < p.Length; i += 3)
        {
            var v = new Vector3(p[i], p[i + 1], p[i + 2]);
            lo = Vector3.Min(lo, v);
            hi = Vector3.Max(hi, v);
        }
        return (lo + hi) / 2;
    }

    /// <summary>
    /// Point labels from voxel labels; each segment's id is the lowest point index in it (so
    /// <c>labels[id] == id</c>, as Felzenszwalb's root ids).
    /// </summary>
    public int[] PointLabels(ReadOnlySpan<int> voxelLabels)
    {
        int n = VoxelOf.Length;
        var lowest = new Dictionary<int, int>();
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int label = voxelLabels[VoxelOf[i]];
            if (!lowest.TryGetValue(label, out int id))
                lowest[label] = id = i;
            labels[i] = id;
        }
        return labels;
    }
}
