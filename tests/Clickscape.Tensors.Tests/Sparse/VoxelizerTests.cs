using Clickscape.Tensors.Sparse;

namespace Clickscape.Tensors.Tests.Sparse;

public sealed class VoxelizerTests
{
    [Theory]
    [InlineData(1, 0, 0.1f, false)]
    [InlineData(7, 3, 0.05f, false)]
    [InlineData(1000, 6, 0.02f, true)]
    [InlineData(5000, 1, 0.25f, true)]
    public void MatchesDictionaryReference(int n, int channels, float voxel, bool batched)
    {
        var rng = new Random(n * 31 + channels);
        var points = new float[3 * n];
        var features = new float[n * channels];
        var batch = batched ? new int[n] : [];
        for (int i = 0; i < points.Length; i++)
        {
            // Some points sit exactly on voxel boundaries (multiples of the voxel size), some are negative.
            points[i] = rng.Next(4) == 0 ? voxel * rng.Next(-5, 5) : (float)(rng.NextDouble() * 1.4 - 0.7);
        }
        for (int i = 0; i < features.Length; i++) features[i] = (float)(rng.NextDouble() * 2 - 1);
        for (int i = 0; i < batch.Length; i++) batch[i] = rng.Next(0, 3);

        var result = Voxelizer.Voxelize(points, features, channels, voxel, batch);

        // Reference: dictionary, sums in double in point order.
        var index = new Dictionary<(int, int, int, int), int>();
        var order = new List<(int, int, int, int)>();
        var sums = new List<double[]>();
        var counts = new List<int>();
        var p2v = new int[n];
        for (int p = 0; p < n; p++)
        {
            var c = (batched ? batch[p] : 0,
                (int)Math.Floor(points[3 * p] / (double)voxel),
                (int)Math.Floor(points[3 * p + 1] / (double)voxel),
                (int)Math.Floor(points[3 * p + 2] / (double)voxel));
            if (!index.TryGetValue(c, out int v))
            {
                v = order.Count;
                index[c] = v;
                order.Add(c);
                sums.Add(new double[channels]);
                counts.Add(0);
            }
            p2v[p] = v;
            counts[v]++;
            for (int ch = 0; ch < channels; ch++) sums[v][ch] += features[p * channels + ch];
        }

        // Renumber the reference voxels in (batch, x, y, z) order.
        var sorted = order.Select((c, v) => (c, v)).OrderBy(t => t.c).ToList();
        var rank = new int[order.Count];
        for (int r = 0; r < sorted.Count; r++) rank[sorted[r].v] = r;
        order = sorted.Select(t => t.c).ToList();
        sums = sorted.Select(t => sums[t.v]).ToList();
        counts = sorted.Select(t => counts[t.v]).ToList();
        for (int p = 0; p < n; p++) p2v[p] = rank[p2v[p]];

        Assert.Equal(order.Count, result.Coords.Count);
        for (int v = 0; v < order.Count; v++) Assert.Equal(order[v], result.Coords[v]);
        Assert.Equal(p2v, result.PointToVoxel);
        for (int v = 0; v < order.Count; v++)
        {
            for (int ch = 0; ch < channels; ch++)
                Assert.Equal((float)(sums[v][ch] / counts[v]), result.Features[v * channels + ch]);
            var members = result.VoxelPoints.AsSpan(result.VoxelPointStart[v], result.VoxelPointStart[v + 1] - result.VoxelPointStart[v]).ToArray();
            var expected = Enumerable.Range(0, n).Where(p => p2v[p] == v).ToArray();
            Assert.Equal(expected, members);
        }
    }

    [Fact]
    public void RejectsBadInput()
    {
        Assert.Throws<ArgumentException>(() => Voxelizer.Voxelize(new float[4], [], 0, 0.1f));
        Assert.Throws<ArgumentException>(() => Voxelizer.Voxelize(new float[3], new float[2], 1, 0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => Voxelizer.Voxelize(new float[3], [], 0, 0f));
        Assert.Throws<ArgumentException>(() => Voxelizer.Voxelize([float.NaN, 0, 0], [], 0, 0.1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => Voxelizer.Voxelize([1e6f, 0, 0], [], 0, 0.001f));
    }
}
