using Clickscape.Tensors.Sparse;
using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Sparse;

public sealed class SparseConv3dTests
{
    private static SparseTensor Input(SparseCoords coords, int channels, int seed) =>
        new(coords, Tensor.FromArray(RandomVoxels.Values(coords.Count * channels, seed), coords.Count, channels));

    [Fact]
    public void AutogradMatchesRawKernelsAndAccumulates()
    {
        var coords = RandomVoxels.Create(60, 6, seed: 4);
        using var conv = new SparseConv3d(3, 5, 3, new Random(1));
        var x = Input(coords, 3, 2);
        x.Features.RequiresGrad = true;
        var y = conv.Forward(x);
        Assert.Same(coords, y.Coords);
        Assert.Equal([60, 5], y.Features.ShapeArray());

        var g = RandomVoxels.Values(60 * 5, 3);
        var map = coords.GetKernelMap(3);
        var yRef = new float[60 * 5];
        var gxRef = new float[60 * 3];
        var gwRef = new float[27 * 3 * 5];
        SparseConvolution.Forward(map, x.Features.ToArray(), conv.Weight.ToArray(), yRef, 3, 5);
        SparseConvolution.Backward(map, x.Features.ToArray(), conv.Weight.ToArray(), g, gxRef, gwRef, 3, 5);
        Assert.Equal(yRef, y.Features.ToArray());

        y.Features.Backward(Tensor.FromArray(g, 60, 5), retainGraph: true);
        Assert.Equal(gxRef, x.Features.Grad!.ToArray());
        Assert.Equal(gwRef, conv.Weight.Grad!.ToArray());

        // A second backward adds the same gradients again (summed in another order, so not bit-equal).
        y.Features.Backward(Tensor.FromArray(g, 60, 5));
        AssertClose(gxRef.Select(v => 2 * v).ToArray(), x.Features.Grad!.ToArray());
        AssertClose(gwRef.Select(v => 2 * v).ToArray(), conv.Weight.Grad!.ToArray());
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"[{i}]: expected {expected[i]}, got {actual[i]}");
    }

    [Fact]
    public void InitializationIsSeededKaimingUniform()
    {
        using var a = new SparseConv3d(4, 6, 3, new Random(7));
        using var b = new SparseConv3d(4, 6, 3, new Random(7));
        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
        Assert.Equal([27, 4, 6], a.Weight.ShapeArray());
        float bound = 1f / MathF.Sqrt(27 * 4);
        var w = a.Weight.ToArray();
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        // Spread over the interval, not clustered: the sample standard deviation of U(−b, b) is b/√3.
        double std = Math.Sqrt(w.Select(v => (double)v * v).Average());
        Assert.InRange(std, 0.8 * bound / Math.Sqrt(3), 1.2 * bound / Math.Sqrt(3));
    }

    [Fact]
    public void DownUpChainGradientMatchesFiniteDifferences()
    {
        // submanifold 3³ → kernel 2 stride 2 → transposed back onto the fine set (reusing the strided map).
        var coords = RandomVoxels.Create(80, 7, seed: 8, batches: 2);
        using var sub = new SparseConv3d(2, 4, 3, new Random(1));
        using var down = new SparseConv3d(4, 3, 2, new Random(2), stride: 2);
        using var up = new SparseConv3d(3, 2, 2, new Random(3), stride: 2, transposed: true);
        var x = Input(coords, 2, 5);
        x.Features.RequiresGrad = true;
        var g = RandomVoxels.Values(80 * 2, 6);

        double Loss()
        {
            using var _ = Tensor.NoGrad();
            var y = up.Forward(down.Forward(sub.Forward(x)));
            var v = y.Features.ToArray();
            double s = 0;
            for (int i = 0; i < v.Length; i++) s += (double)v[i] * g[i];
            return s;
        }

        var coarse = down.Forward(sub.Forward(x));
        Assert.Equal(2, coarse.TensorStride);
        var output = up.Forward(coarse);
        Assert.Same(coords, output.Coords);
        output.Features.Backward(Tensor.FromArray(g, 80, 2));

        var rng = new Random(9);
        foreach (var (param, grad) in new[] { (x.Features, x.Features.Grad!), (sub.Weight, sub.Weight.Grad!), (down.Weight, down.Weight.Grad!), (up.Weight, up.Weight.Grad!) })
        {
            for (int t = 0; t < 4; t++)
            {
                int i = rng.Next(param.Length);
                float saved = param.Data[i];
                const float h = 1e-2f;
                param.Data[i] = saved + h;
                double plus = Loss();
                param.Data[i] = saved - h;
                double minus = Loss();
                param.Data[i] = saved;
                // The loss is linear in each single parameter, so the central difference is exact up to rounding.
                double numeric = (plus - minus) / (2 * h);
                Assert.True(Math.Abs(numeric - grad.Data[i]) <= 2e-3 * (1 + Math.Abs(numeric)), $"{param}: index {i}: numeric {numeric}, autograd {grad.Data[i]}");
            }
        }
    }

    [Fact]
    public void RejectsMismatchedInputs()
    {
        var coords = RandomVoxels.Create(10, 4, seed: 1);
        using var conv = new SparseConv3d(3, 5, 3, new Random(1));
        Assert.Throws<ArgumentException>(() => conv.Forward(Input(coords, 2, 1)));
        Assert.Throws<ArgumentException>(() => new SparseTensor(coords, Tensor.Zeros(9, 3)));
        using var up = new SparseConv3d(3, 2, 2, new Random(3), stride: 2, transposed: true);
        Assert.Throws<ArgumentException>(() => up.Forward(Input(coords, 3, 1)));
        Assert.Throws<ArgumentException>(() => new SparseConv3d(3, 5, 2, new Random(1)));
    }

    /// <summary>Regular (submanifold 3³, dilated 3³, strided 2³ and 3³) and transposed sparse convolution: forward
    /// and both gradients against <see cref="Reference.SparseConv"/> differenced in double.</summary>
    [Theory]
    [InlineData(3, 1, 1, false)]
    [InlineData(3, 1, 2, false)]
    [InlineData(2, 2, 1, false)]
    [InlineData(3, 2, 1, false)]
    [InlineData(2, 2, 1, true)]
    [InlineData(3, 2, 1, true)]
    public void GradientsMatchDoubleReference(int kernel, int stride, int dilation, bool transposed)
    {
        const int cin = 3, cout = 2;
        var fine = RandomVoxels.Create(70, 6, seed: kernel * 10 + stride + (transposed ? 5 : 0), batches: 2);
        var map = fine.GetKernelMap(kernel, stride, dilation);
        var coarse = map.Output;
        int volume = kernel * kernel * kernel;
        var rng = new Random(kernel + stride + dilation);
        var x = RandomTensors.Uniform(rng, -1, 1, transposed ? coarse.Count : fine.Count, cin);
        var w = RandomTensors.Uniform(rng, -1, 1, volume, cin, cout);
        Func<double[][], double[]> reference = transposed
            ? v => Reference.SparseConvTransposed(coarse, fine, v[0], v[1], kernel, stride, cin, cout)
            : v => Reference.SparseConv(fine, coarse, v[0], v[1], kernel, stride, dilation, cin, cout);
        GradCheck.Check(t => SparseConv3d.Convolve(map, t[0], t[1], transposed), reference, [x, w]);
    }
}
