using Clickscape.Tensors.Sparse;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Tests.Sparse;

[Collection("ComputeThreads")]
public sealed class KernelMapTests
{
    /// <summary>O(N²·K³) reference: pair (i, o) for offset k iff same batch and in = out·stride + d_k·dilation.</summary>
    private static List<(int In, int Out)>[] BruteForce(SparseCoords input, SparseCoords output, int kernel, int stride, int dilation)
    {
        int volume = kernel * kernel * kernel;
        int lo = kernel % 2 == 1 ? -(kernel / 2) : 0;
        var pairs = new List<(int, int)>[volume];
        for (int k = 0; k < volume; k++)
        {
            pairs[k] = [];
            int dx = k / (kernel * kernel) + lo, dy = k / kernel % kernel + lo, dz = k % kernel + lo;
            for (int o = 0; o < output.Count; o++)
            {
                var c = output[o];
                for (int i = 0; i < input.Count; i++)
                {
                    var a = input[i];
                    if (a.Batch == c.Batch && a.X == c.X * stride + dx * dilation && a.Y == c.Y * stride + dy * dilation && a.Z == c.Z * stride + dz * dilation)
                        pairs[k].Add((i, o));
                }
            }
        }
        return pairs;
    }

    private static void AssertMatches(KernelMap map, List<(int In, int Out)>[] expected)
    {
        Assert.Equal(expected.Length, map.Volume);
        for (int k = 0; k < map.Volume; k++)
        {
            var actual = new List<(int, int)>();
            for (int j = map.OffsetStart[k]; j < map.OffsetStart[k + 1]; j++) actual.Add((map.InputRows[j], map.OutputRows[j]));
            // Brute force enumerates outputs in ascending order, exactly the map's order within an offset.
            Assert.Equal(expected[k], actual);

            var reversed = map.ByInput;
            var rev = new List<(int, int)>();
            for (int j = reversed.Start[k]; j < reversed.Start[k + 1]; j++) rev.Add((reversed.Target[j], reversed.Source[j]));
            Assert.Equal(expected[k].OrderBy(p => p.In).ToList(), rev);
        }
    }

    [Theory]
    [InlineData(1, 3, 1, 1)]
    [InlineData(7, 3, 1, 1)]
    [InlineData(100, 3, 1, 2)]
    [InlineData(100, 3, 1, 1)]
    [InlineData(100, 5, 1, 1)]
    [InlineData(1, 2, 2, 1)]
    [InlineData(7, 2, 2, 1)]
    [InlineData(100, 2, 2, 1)]
    [InlineData(100, 3, 2, 1)]
    [InlineData(100, 2, 3, 1)]
    [InlineData(100, 3, 1, 1, true)]
    [InlineData(100, 5, 1, 2, true)]
    [InlineData(100, 2, 2, 1, true)]
    [InlineData(100, 3, 2, 1, true)]
    public void MatchesBruteForce(int count, int kernel, int stride, int dilation, bool sorted = false)
    {
        var coords = RandomVoxels.Create(count, 7, seed: count + kernel * 10 + stride * 100 + dilation, batches: 2, sorted: sorted);
        var map = coords.GetKernelMap(kernel, stride, dilation);
        var output = coords.Downsample(stride);
        if (stride == 1) Assert.Same(coords, output);
        AssertMatches(map, BruteForce(coords, output, kernel, stride, dilation));
        Assert.Equal(stride == 1 ? kernel * kernel * kernel / 2 : -1, map.IdentityOffset);
        Assert.Same(map, coords.GetKernelMap(kernel, stride, dilation));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LargeMapDoesNotDependOnThreadCount(bool sorted)
    {
        // > one build block of 2048 rows, so several blocks and threads contribute; sorted rows take the column merge.
        var coords = RandomVoxels.Create(9000, 30, seed: 5, batches: 2, sorted: sorted);
        Assert.Equal(sorted, coords.IsKeyOrdered);
        int saved = ComputeThreads.Count;
        try
        {
            ComputeThreads.Count = 1;
            var one = KernelMap.Build(coords, coords, 3, 1, 1);
            ComputeThreads.Count = 2;
            var two = KernelMap.Build(coords, coords, 3, 1, 1);
            Assert.Equal(one.OffsetStart, two.OffsetStart);
            Assert.Equal(one.InputRows, two.InputRows);
            Assert.Equal(one.OutputRows, two.OutputRows);
            // Spot-check against the definition on the large set.
            var hash = new Dictionary<(int, int, int, int), int>();
            for (int i = 0; i < coords.Count; i++) hash[coords[i]] = i;
            for (int k = 0; k < 27; k++)
            {
                var (dx, dy, dz) = one.Offset(k);
                var expected = new List<(int, int)>();
                for (int o = 0; o < coords.Count; o++)
                {
                    var c = coords[o];
                    if (hash.TryGetValue((c.Batch, c.X + dx, c.Y + dy, c.Z + dz), out int i)) expected.Add((i, o));
                }
                var actual = new List<(int, int)>();
                for (int j = one.OffsetStart[k]; j < one.OffsetStart[k + 1]; j++) actual.Add((one.InputRows[j], one.OutputRows[j]));
                Assert.Equal(expected, actual);
            }
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    [Fact]
    public void DownsampleIsFloorDivisionInSortedOrder()
    {
        var coords = new SparseCoords([0, -1, 0, 3, 0, 1, 1, 1, 0, -2, 1, 2, 1, 0, 0, 0, 0, 0, 0, 2]);
        var coarse = coords.Downsample(2);
        Assert.Equal(2, coarse.TensorStride);
        Assert.Equal([0, -1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0], coarse.Coordinates.ToArray());
    }

    [Fact]
    public void RejectsBadArguments()
    {
        var coords = RandomVoxels.Create(10, 4, seed: 1);
        Assert.Throws<ArgumentException>(() => coords.GetKernelMap(2, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => coords.GetKernelMap(0, 1, 1));
        Assert.Throws<ArgumentException>(() => new SparseCoords([0, 1, 2, 3, 0, 1, 2, 3]));
        Assert.Throws<ArgumentException>(() => new SparseCoords([0, 1, 2]));
    }
}
