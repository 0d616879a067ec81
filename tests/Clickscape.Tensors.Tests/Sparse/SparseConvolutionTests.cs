using Clickscape.Tensors.Sparse;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Tests.Sparse;

/// <summary>
/// Sparse convolution against a dense 3-D convolution in double: features are embedded in a zero-filled dense grid,
/// the dense convolution (or its transpose, or their gradients) runs over every grid cell, and the result is read
/// at the active sites of the sparse output.
/// </summary>
[Collection("ComputeThreads")]
public sealed class SparseConvolutionTests
{
    /// <summary>Zero-filled dense grid per batch over a box of coordinates; reads outside the box give 0.</summary>
    private sealed class DenseGrid
    {
        private readonly double[] _data;
        public readonly int Batches, Channels, Lo, Size;

        public DenseGrid(int batches, int lo, int size, int channels)
        {
            (Batches, Lo, Size, Channels) = (batches, lo, size, channels);
            _data = new double[batches * size * size * size * channels];
        }

        private int Index(int b, int x, int y, int z)
        {
            x -= Lo; y -= Lo; z -= Lo;
            if ((uint)x >= Size || (uint)y >= Size || (uint)z >= Size) return -1;
            return (((b * Size + x) * Size + y) * Size + z) * Channels;
        }

        public double Get(int b, int x, int y, int z, int c) => Index(b, x, y, z) is var i && i >= 0 ? _data[i + c] : 0.0;

        public void Add(int b, int x, int y, int z, int c, double v)
        {
            int i = Index(b, x, y, z);
            if (i >= 0) _data[i + c] += v;
        }

        public static DenseGrid Embed(SparseCoords coords, float[] features, int channels, int lo, int size, int batches)
        {
            var g = new DenseGrid(batches, lo, size, channels);
            for (int r = 0; r < coords.Count; r++)
            {
                var (b, x, y, z) = coords[r];
                for (int c = 0; c < channels; c++) g.Add(b, x, y, z, c, features[r * channels + c]);
            }
            return g;
        }

        public double[] ReadAt(SparseCoords coords)
        {
            var r = new double[coords.Count * Channels];
            for (int i = 0; i < coords.Count; i++)
            {
                var (b, x, y, z) = coords[i];
                for (int c = 0; c < Channels; c++) r[i * Channels + c] = Get(b, x, y, z, c);
            }
            return r;
        }
    }

    private const int Batches = 2, Lo = -3, Extent = 6;

    private static (int Dx, int Dy, int Dz) Offset(int k, int kernel)
    {
        int lo = kernel % 2 == 1 ? -(kernel / 2) : 0;
        return (k / (kernel * kernel) + lo, k / kernel % kernel + lo, k % kernel + lo);
    }

    /// <summary>
    /// Dense regular convolution y[p] = Σ_k x[p·s + d_k·dl] W[k] and its gradients, over every cell p of a coarse box
    /// covering all outputs. Returns (y, dx, dW) with y and dx as dense grids.
    /// </summary>
    private static (DenseGrid Y, DenseGrid Dx, double[] Dw) DenseConv(DenseGrid x, float[] w, DenseGrid? gy, int kernel, int stride, int dilation, int cin, int cout, int outLo, int outSize)
    {
        int volume = kernel * kernel * kernel;
        var y = new DenseGrid(Batches, outLo, outSize, cout);
        var dx = new DenseGrid(Batches, x.Lo, x.Size, cin);
        var dw = new double[volume * cin * cout];
        for (int b = 0; b < Batches; b++)
            for (int px = outLo; px < outLo + outSize; px++)
                for (int py = outLo; py < outLo + outSize; py++)
                    for (int pz = outLo; pz < outLo + outSize; pz++)
                        for (int k = 0; k < volume; k++)
                        {
                            var (ddx, ddy, ddz) = Offset(k, kernel);
                            int qx = px * stride + ddx * dilation, qy = py * stride + ddy * dilation, qz = pz * stride + ddz * dilation;
                            for (int i = 0; i < cin; i++)
                            {
                                double xv = x.Get(b, qx, qy, qz, i);
                                for (int o = 0; o < cout; o++)
                                {
                                    double wv = w[(k * cin + i) * cout + o];
                                    y.Add(b, px, py, pz, o, xv * wv);
                                    if (gy is null) continue;
                                    double g = gy.Get(b, px, py, pz, o);
                                    dx.Add(b, qx, qy, qz, i, g * wv);
                                    dw[(k * cin + i) * cout + o] += xv * g;
                                }
                            }
                        }
        return (y, dx, dw);
    }

    /// <summary>Dense transposed convolution y[p·s + d_k·dl] += x[p] W[k] over a coarse box, and its gradients.</summary>
    private static (DenseGrid Y, DenseGrid Dx, double[] Dw) DenseTransposed(DenseGrid x, float[] w, DenseGrid gy, int kernel, int stride, int cin, int cout, int fineLo, int fineSize)
    {
        int volume = kernel * kernel * kernel;
        var y = new DenseGrid(Batches, fineLo, fineSize, cout);
        var dx = new DenseGrid(Batches, x.Lo, x.Size, cin);
        var dw = new double[volume * cin * cout];
        for (int b = 0; b < Batches; b++)
            for (int px = x.Lo; px < x.Lo + x.Size; px++)
                for (int py = x.Lo; py < x.Lo + x.Size; py++)
                    for (int pz = x.Lo; pz < x.Lo + x.Size; pz++)
                        for (int k = 0; k < volume; k++)
                        {
                            var (ddx, ddy, ddz) = Offset(k, kernel);
                            int qx = px * stride + ddx, qy = py * stride + ddy, qz = pz * stride + ddz;
                            for (int i = 0; i < cin; i++)
                            {
                                double xv = x.Get(b, px, py, pz, i);
                                for (int o = 0; o < cout; o++)
                                {
                                    double wv = w[(k * cin + i) * cout + o];
                                    double g = gy.Get(b, qx, qy, qz, o);
                                    y.Add(b, qx, qy, qz, o, xv * wv);
                                    dx.Add(b, px, py, pz, i, g * wv);
                                    dw[(k * cin + i) * cout + o] += xv * g;
                                }
                            }
                        }
        return (y, dx, dw);
    }

    private static void AssertClose(double[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double scale = 1.0;
        foreach (double e in expected) scale = Math.Max(scale, Math.Abs(e));
        for (int i = 0; i < expected.Length; i++)
        {
            double err = Math.Abs(expected[i] - actual[i]);
            Assert.True(err <= 2e-5 * scale, $"{what}[{i}]: expected {expected[i]}, got {actual[i]} (|err| {err:E2}, scale {scale:F2})");
        }
    }

    private static void WithThreads(int threads, Action body)
    {
        int saved = ComputeThreads.Count;
        try
        {
            ComputeThreads.Count = threads;
            body();
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    public static TheoryData<int, int, int, int, int, int, int> RegularCases()
    {
        var data = new TheoryData<int, int, int, int, int, int, int>();
        // (voxels, cin, cout, kernel, stride, dilation, threads)
        foreach (int threads in new[] { 1, 2 })
        {
            foreach (var (n, cin, cout) in new[] { (1, 1, 1), (7, 3, 17), (100, 17, 3), (100, 1, 1) })
            {
                data.Add(n, cin, cout, 3, 1, 1, threads);
                data.Add(n, cin, cout, 2, 2, 1, threads);
            }
            data.Add(100, 3, 5, 3, 1, 2, threads);
            data.Add(100, 2, 3, 5, 1, 1, threads);
            data.Add(100, 3, 2, 3, 2, 1, threads);
            // More than one 256-row tile, so two threads really split the work.
            data.Add(700, 5, 7, 3, 1, 1, threads);
            data.Add(701, 5, 7, 2, 2, 1, threads);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(RegularCases))]
    public void RegularMatchesDenseConvolution(int n, int cin, int cout, int kernel, int stride, int dilation, int threads)
    {
        int extent = n > 200 ? 12 : Extent;
        // Odd sizes use key-ordered rows (the voxelizer's order), even sizes random row order.
        var coords = RandomVoxels.Create(n, extent, seed: n + cin * 7 + kernel * 13 + stride, origin: Lo, batches: Batches, sorted: n % 2 == 1);
        var map = coords.GetKernelMap(kernel, stride, dilation);
        var output = map.Output;
        int volume = map.Volume;
        var x = RandomVoxels.Values(coords.Count * cin, 1);
        var w = RandomVoxels.Values(volume * cin * cout, 2);
        var gy = RandomVoxels.Values(output.Count * cout, 3);
        var y = new float[output.Count * cout];
        var gx = new float[x.Length];
        var gw = new float[w.Length];
        WithThreads(threads, () =>
        {
            SparseConvolution.Forward(map, x, w, y, cin, cout);
            SparseConvolution.Backward(map, x, w, gy, gx, gw, cin, cout);
        });

        int outLo = SparseCoords.FloorDiv(Lo, stride) - 1;
        int outSize = extent / stride + 3;
        var xd = DenseGrid.Embed(coords, x, cin, Lo, extent, Batches);
        var gyd = DenseGrid.Embed(output, gy, cout, outLo, outSize, Batches);
        var (yd, dxd, dwd) = DenseConv(xd, w, gyd, kernel, stride, dilation, cin, cout, outLo, outSize);
        AssertClose(yd.ReadAt(output), y, "y");
        AssertClose(dxd.ReadAt(coords), gx, "dx");
        AssertClose(dwd, gw, "dW");
    }

    [Theory]
    [InlineData(1, 1, 1, 1)]
    [InlineData(7, 3, 17, 1)]
    [InlineData(100, 17, 3, 1)]
    [InlineData(100, 17, 3, 2)]
    [InlineData(700, 5, 7, 2)]
    public void TransposedMatchesDenseTransposedConvolution(int n, int cin, int cout, int threads)
    {
        int extent = n > 200 ? 12 : Extent;
        var fine = RandomVoxels.Create(n, extent, seed: n * 3 + cin, origin: Lo, batches: Batches, sorted: n % 2 == 1);
        var map = fine.GetKernelMap(2, 2, 1);
        var coarse = map.Output;
        var x = RandomVoxels.Values(coarse.Count * cin, 4);
        var w = RandomVoxels.Values(8 * cin * cout, 5);
        var gy = RandomVoxels.Values(fine.Count * cout, 6);
        var y = new float[fine.Count * cout];
        var gx = new float[x.Length];
        var gw = new float[w.Length];
        WithThreads(threads, () =>
        {
            SparseConvolution.TransposedForward(map, x, w, y, cin, cout);
            SparseConvolution.TransposedBackward(map, x, w, gy, gx, gw, cin, cout);
        });

        int coarseLo = SparseCoords.FloorDiv(Lo, 2);
        int coarseSize = extent / 2 + 2;
        var xd = DenseGrid.Embed(coarse, x, cin, coarseLo, coarseSize, Batches);
        var gyd = DenseGrid.Embed(fine, gy, cout, Lo, extent, Batches);
        var (yd, dxd, dwd) = DenseTransposed(xd, w, gyd, 2, 2, cin, cout, Lo - 2, extent + 4);
        AssertClose(yd.ReadAt(fine), y, "y");
        AssertClose(dxd.ReadAt(coarse), gx, "dx");
        AssertClose(dwd, gw, "dW");
    }

    [Fact]
    public void SameBitsEveryRunAndForwardIndependentOfThreads()
    {
        var coords = RandomVoxels.Create(3000, 20, seed: 9);
        var map = coords.GetKernelMap(3);
        const int c = 16;
        var x = RandomVoxels.Values(coords.Count * c, 7);
        var w = RandomVoxels.Values(27 * c * c, 8);
        var gy = RandomVoxels.Values(coords.Count * c, 9);

        (float[] Y, float[] Gx, float[] Gw) Run(int threads)
        {
            var y = new float[x.Length];
            var gx = new float[x.Length];
            var gw = new float[w.Length];
            WithThreads(threads, () =>
            {
                SparseConvolution.Forward(map, x, w, y, c, c);
                SparseConvolution.Backward(map, x, w, gy, gx, gw, c, c);
            });
            return (y, gx, gw);
        }

        var a = Run(2);
        var b = Run(2);
        var one = Run(1);
        Assert.Equal(a.Y, b.Y);
        Assert.Equal(a.Gx, b.Gx);
        Assert.Equal(a.Gw, b.Gw);
        // Rows are owned by one tile whatever the thread count, so y and dx do not depend on it.
        Assert.Equal(one.Y, a.Y);
        Assert.Equal(one.Gx, a.Gx);
    }

    [Fact]
    public void BackwardSkipsGradientsPassedEmpty()
    {
        var coords = RandomVoxels.Create(50, 6, seed: 2);
        var map = coords.GetKernelMap(3);
        var x = RandomVoxels.Values(50 * 2, 1);
        var w = RandomVoxels.Values(27 * 2 * 3, 2);
        var gy = RandomVoxels.Values(50 * 3, 3);
        var gwOnly = new float[w.Length];
        var gxOnly = new float[x.Length];
        var gwBoth = new float[w.Length];
        var gxBoth = new float[x.Length];
        SparseConvolution.Backward(map, x, w, gy, Memory<float>.Empty, gwOnly, 2, 3);
        SparseConvolution.Backward(map, x, w, gy, gxOnly, Memory<float>.Empty, 2, 3);
        SparseConvolution.Backward(map, x, w, gy, gxBoth, gwBoth, 2, 3);
        Assert.Equal(gwBoth, gwOnly);
        Assert.Equal(gxBoth, gxOnly);
    }

    [Fact]
    public void RejectsMismatchedShapes()
    {
        var coords = RandomVoxels.Create(10, 4, seed: 1);
        var map = coords.GetKernelMap(3);
        var e = Assert.Throws<ArgumentException>(() => SparseConvolution.Forward(map, new float[10 * 2], new float[27 * 2 * 3], new float[10 * 4], 2, 3));
        Assert.Contains("output features", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SparseConvolution.Forward(map, new float[10 * 2], new float[26 * 2 * 3], new float[10 * 3], 2, 3));
        Assert.Throws<ArgumentException>(() => SparseConvolution.Backward(map, new float[20], new float[27 * 6], new float[30], new float[19], Memory<float>.Empty, 2, 3));
    }
}
