using Clickscape.Tensors.Sparse;

namespace Clickscape.Tensors.Tests.Sparse;

/// <summary>Seeded random sparse voxel sets for the sparse tests: distinct voxels inside a small box.</summary>
internal static class RandomVoxels
{
    /// <summary>
    /// <paramref name="count"/> distinct voxels with coordinates in [origin, origin + extent)³ and batch indices in
    /// [0, batches), in random order (row order unrelated to coordinates) unless <paramref name="sorted"/>.
    /// </summary>
    public static SparseCoords Create(int count, int extent, int seed, int origin = -3, int batches = 1, bool sorted = false)
    {
        var rng = new Random(seed);
        if (count > extent * extent * extent * batches) throw new ArgumentOutOfRangeException(nameof(count), "too many voxels for the box");
        var seen = new HashSet<(int, int, int, int)>();
        var coords = new int[4 * count];
        int n = 0;
        while (n < count)
        {
            var c = (rng.Next(batches), origin + rng.Next(extent), origin + rng.Next(extent), origin + rng.Next(extent));
            if (!seen.Add(c)) continue;
            (coords[4 * n], coords[4 * n + 1], coords[4 * n + 2], coords[4 * n + 3]) = c;
            n++;
        }
        if (sorted)
        {
            // Key order (batch, x, y, z), as the voxelizer and Downsample produce: exercises the maps' sorted fast paths.
            var rows = Enumerable.Range(0, count).OrderBy(r => (coords[4 * r], coords[4 * r + 1], coords[4 * r + 2], coords[4 * r + 3])).ToArray();
            coords = rows.SelectMany(r => coords.AsSpan(4 * r, 4).ToArray()).ToArray();
        }
        return new SparseCoords(coords);
    }

    public static float[] Values(int length, int seed)
    {
        var rng = new Random(seed);
        var v = new float[length];
        for (int i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() * 2 - 1);
        return v;
    }
}
