using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Sparse;

/// <summary>
/// Result of <see cref="Voxelizer.Voxelize"/>: the occupied voxels, their mean features, and the maps
/// between points and voxels.
/// </summary>
/// <param name="Coords">Occupied voxels, sorted by (batch, x, y, z).</param>
/// <param name="Features">Voxel-major V × C mean of the features of the points in each voxel.</param>
/// <param name="Channels">C.</param>
/// <param name="PointToVoxel">Voxel row of every point.</param>
/// <param name="VoxelPointStart">Points of voxel v are VoxelPoints[VoxelPointStart[v] .. VoxelPointStart[v+1]) (V + 1 entries).</param>
/// <param name="VoxelPoints">Point indices grouped by voxel, ascending within a voxel.</param>
public sealed record Voxelization(SparseCoords Coords, float[] Features, int Channels,
    int[] PointToVoxel, int[] VoxelPointStart, int[] VoxelPoints);

/// <summary>
/// Quantizes points to a voxel grid (voxel = floor(p / size) per axis) and averages point features per voxel,
/// as the input layer of a sparse network does (PointGroup: "input RGB + xyz averaged per voxel";
/// MinkowskiEngine <c>sparse_quantize</c>; torchsparse <c>sparse_quantize</c>).
/// </summary>
/// <remarks>
/// Ordering is deterministic: voxels are sorted by (batch, x, y, z) — the order of the packed keys, which keeps
/// spatial neighbours close in memory for the convolutions that follow — and each voxel's points are listed (and summed, in double) in ascending point order, so the result does not
/// depend on the thread count.
/// </remarks>
public static class Voxelizer
{
    /// <summary>
    /// Voxelizes N points.
    /// </summary>
    /// <param name="points">Row-major N × 3 (x, y, z), finite.</param>
    /// <param name="features">Row-major N × <paramref name="channels"/> (may be empty when channels is 0).</param>
    /// <param name="channels">Feature channels C ≥ 0.</param>
    /// <param name="voxelSize">Edge length of a voxel (&gt; 0), in the units of the points.</param>
    /// <param name="batch">Optional batch index per point (N entries, 0…126); empty means all in batch 0.</param>
    public static Voxelization Voxelize(ReadOnlySpan<float> points, ReadOnlySpan<float> features, int channels,
        float voxelSize, ReadOnlySpan<int> batch = default)
    {
        if (points.Length % 3 != 0) throw new ArgumentException($"voxelizer: points hold {points.Length} floats, expected N × 3");
        int n = points.Length / 3;
        if (channels < 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "voxelizer: channels must be ≥ 0");
        if (features.Length != (long)n * channels) throw new ArgumentException($"voxelizer: features hold {features.Length} floats, expected {n} points × {channels} channels");
        if (!(voxelSize > 0f) || !float.IsFinite(voxelSize)) throw new ArgumentOutOfRangeException(nameof(voxelSize), voxelSize, "voxelizer: voxel size must be a positive finite number");
        if (!batch.IsEmpty && batch.Length != n) throw new ArgumentException($"voxelizer: batch holds {batch.Length} indices, expected one per point ({n})");

        // Stage 1: quantize, number voxels in order of first appearance, then renumber them in key order.
        var hash = new CoordinateHash(n);
        var pointToVoxel = new int[n];
        var firstSeenKeys = new List<ulong>();
        for (int p = 0; p < n; p++)
        {
            int b = batch.IsEmpty ? 0 : batch[p];
            int x = Quantize(points[3 * p], voxelSize, p), y = Quantize(points[3 * p + 1], voxelSize, p), z = Quantize(points[3 * p + 2], voxelSize, p);
            if (!CoordinateHash.IsPackable(b, x, y, z))
                throw new ArgumentOutOfRangeException(nameof(points), $"voxelizer: point {p} gives voxel (batch {b}, {x}, {y}, {z}) outside the packable range; use a larger voxel or recentre the points");
            ulong key = CoordinateHash.PackUnchecked(b, x, y, z);
            int v = hash.GetOrAdd(key, firstSeenKeys.Count);
            if (v == firstSeenKeys.Count) firstSeenKeys.Add(key);
            pointToVoxel[p] = v;
        }
        int voxels = firstSeenKeys.Count;
        var keys = firstSeenKeys.ToArray();
        var firstSeen = new int[voxels];
        for (int v = 0; v < voxels; v++) firstSeen[v] = v;
        Array.Sort(keys, firstSeen);
        var rank = new int[voxels];
        for (int v = 0; v < voxels; v++) rank[firstSeen[v]] = v;
        for (int p = 0; p < n; p++) pointToVoxel[p] = rank[pointToVoxel[p]];
        var coords = new int[4 * voxels];
        for (int v = 0; v < voxels; v++)
        {
            (coords[4 * v], coords[4 * v + 1], coords[4 * v + 2], coords[4 * v + 3]) = CoordinateHash.Unpack(keys[v]);
        }

        // Stage 2: voxel → points (counting sort by voxel; stable, so points ascend within a voxel).
        var start = new int[voxels + 1];
        foreach (int v in pointToVoxel) start[v + 1]++;
        for (int v = 0; v < voxels; v++) start[v + 1] += start[v];
        var cursor = start.AsSpan(0, voxels).ToArray();
        var voxelPoints = new int[n];
        for (int p = 0; p < n; p++) voxelPoints[cursor[pointToVoxel[p]]++] = p;

        // Stage 3: mean features, in double, parallel over voxels (each voxel written by one thread).
        var mean = new float[(long)voxels * channels];
        if (channels > 0)
        {
            var f = features.ToArray();
            ComputeThreads.For(voxels, 4096, (v0, v1) =>
            {
                var sum = new double[channels];
                for (int v = v0; v < v1; v++)
                {
                    Array.Clear(sum);
                    for (int j = start[v]; j < start[v + 1]; j++)
                    {
                        int row = voxelPoints[j] * channels;
                        for (int c = 0; c < channels; c++) sum[c] += f[row + c];
                    }
                    double inv = 1.0 / (start[v + 1] - start[v]);
                    for (int c = 0; c < channels; c++) mean[(long)v * channels + c] = (float)(sum[c] * inv);
                }
            });
        }
        var set = new SparseCoords(coords);
        return new Voxelization(set, mean, channels, pointToVoxel, start, voxelPoints);
    }

    private static int Quantize(float value, float voxelSize, int point)
    {
        if (!float.IsFinite(value)) throw new ArgumentException($"voxelizer: point {point} has a non-finite coordinate ({value})");
        double q = Math.Floor((double)value / voxelSize);
        if (q < CoordinateHash.MinCoordinate || q > CoordinateHash.MaxCoordinate)
            throw new ArgumentOutOfRangeException(nameof(value), $"voxelizer: point {point} coordinate {value} / voxel {voxelSize} is outside the packable range [{CoordinateHash.MinCoordinate}, {CoordinateHash.MaxCoordinate}]");
        return (int)q;
    }
}
