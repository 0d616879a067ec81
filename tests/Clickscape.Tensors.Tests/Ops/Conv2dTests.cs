using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class Conv2dTests
{
    [Theory]
    [InlineData(1, 1, 1, 1, 1, 1, 1, 0)]
    [InlineData(2, 3, 7, 5, 4, 3, 1, 1)]
    [InlineData(1, 2, 9, 8, 3, 3, 2, 1)]
    [InlineData(2, 1, 6, 7, 2, 2, 2, 0)]
    public void MatchesDirectConvolutionAndGradients(int n, int cin, int h, int w, int cout, int k, int stride, int pad)
    {
        var rng = new Random(n + cin * 10 + h * 100 + k);
        var x = RandomTensors.Uniform(rng, -1, 1, n, cin, h, w);
        var wt = RandomTensors.Uniform(rng, -1, 1, cout, cin, k, k);
        var b = RandomTensors.Uniform(rng, -1, 1, cout);
        var y = Tensors.Ops.Conv2d.Forward(x, wt, b, stride, pad);
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        Assert.Equal([n, cout, oh, ow], y.ShapeArray());
        var expected = new double[y.Length];
        for (int i = 0; i < n; i++)
            for (int co = 0; co < cout; co++)
                for (int r = 0; r < oh; r++)
                    for (int c = 0; c < ow; c++)
                    {
                        double s = b.Data[co];
                        for (int ci = 0; ci < cin; ci++)
                            for (int kh = 0; kh < k; kh++)
                                for (int kw = 0; kw < k; kw++)
                                {
                                    int ih = r * stride - pad + kh, iw = c * stride - pad + kw;
                                    if (ih < 0 || ih >= h || iw < 0 || iw >= w) continue;
                                    s += (double)x[i, ci, ih, iw] * wt[co, ci, kh, kw];
                                }
                        expected[((i * cout + co) * oh + r) * ow + c] = s;
                    }
        RandomTensors.AssertClose(expected, y.Data, rtol: 1e-5, atol: 1e-5);
        GradCheck.Check(t => Tensors.Ops.Conv2d.Forward(t[0], t[1], t[2], stride, pad), v => Reference.Conv2d(v[0], n, cin, h, w, v[1], cout, k, k, v[2], stride, pad), [x, wt, b]);
    }

    [Theory]
    [InlineData(1, 1, 7, 7, 1, 3, 1, 2, 2)]
    [InlineData(2, 3, 9, 8, 4, 3, 2, 2, 2)]
    [InlineData(1, 2, 11, 10, 3, 3, 1, 3, 3)]
    [InlineData(1, 2, 8, 9, 2, 2, 3, 0, 2)]
    public void DilatedAndStridedMatchesNaiveLoopAndGradients(int n, int cin, int h, int w, int cout, int k, int stride, int pad, int dilation)
    {
        var rng = new Random(n + cin * 10 + h * 100 + k + 1000 * dilation);
        var x = RandomTensors.Uniform(rng, -1, 1, n, cin, h, w);
        var wt = RandomTensors.Uniform(rng, -1, 1, cout, cin, k, k);
        var b = RandomTensors.Uniform(rng, -1, 1, cout);
        var y = Tensors.Ops.Conv2d.Forward(x, wt, b, stride, pad, dilation);
        int oh = (h + 2 * pad - dilation * (k - 1) - 1) / stride + 1, ow = (w + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
        Assert.Equal([n, cout, oh, ow], y.ShapeArray());
        double[] Naive(double[][] v) => DilatedConv(v[0], n, cin, h, w, v[1], cout, k, v[2], stride, pad, dilation);
        RandomTensors.AssertClose(Naive([.. new[] { x, wt, b }.Select(t => t.ToArray().Select(f => (double)f).ToArray())]), y.Data, rtol: 1e-5, atol: 1e-5);
        GradCheck.Check(t => Tensors.Ops.Conv2d.Forward(t[0], t[1], t[2], stride, pad, dilation), Naive, [x, wt, b]);
    }

    [Fact]
    public void DilationOneIsThePlainConvolution()
    {
        var rng = new Random(5);
        var x = RandomTensors.Uniform(rng, -1, 1, 2, 3, 6, 7);
        var wt = RandomTensors.Uniform(rng, -1, 1, 4, 3, 3, 3);
        Assert.Equal(Tensors.Ops.Conv2d.Forward(x, wt, null, 2, 1).ToArray(), Tensors.Ops.Conv2d.Forward(x, wt, null, 2, 1, 1).ToArray());
    }

    [Fact]
    public void StridedKernelWiderThanInputThrows() =>
        Assert.Throws<ArgumentException>(() => Tensors.Ops.Conv2d.Forward(Tensor.Zeros(1, 1, 2, 2), Tensor.Zeros(1, 1, 3, 3), null, stride: 2));

    /// <summary>Direct dilated cross-correlation in double: y[b,co,r,c] = bias + Σ x[b,ci,r·s − p + i·d, c·s − p + j·d]·W[co,ci,i,j].</summary>
    internal static double[] DilatedConv(double[] x, int n, int cin, int h, int w, double[] wt, int cout, int k, double[]? bias, int stride, int pad, int dilation)
    {
        int oh = (h + 2 * pad - dilation * (k - 1) - 1) / stride + 1, ow = (w + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
        var y = new double[n * cout * oh * ow];
        for (int b = 0; b < n; b++)
            for (int co = 0; co < cout; co++)
                for (int r = 0; r < oh; r++)
                    for (int c = 0; c < ow; c++)
                    {
                        double s = bias?[co] ?? 0;
                        for (int ci = 0; ci < cin; ci++)
                            for (int i = 0; i < k; i++)
                                for (int j = 0; j < k; j++)
                                {
                                    int ih = r * stride - pad + i * dilation, iw = c * stride - pad + j * dilation;
                                    if (ih >= 0 && ih < h && iw >= 0 && iw < w) s += x[((b * cin + ci) * h + ih) * w + iw] * wt[((co * cin + ci) * k + i) * k + j];
                                }
                        y[((b * cout + co) * oh + r) * ow + c] = s;
                    }
        return y;
    }

    [Fact]
    public void KernelLargerThanInputThrows() =>
        Assert.Throws<ArgumentException>(() => Tensors.Ops.Conv2d.Forward(Tensor.Zeros(1, 1, 2, 2), Tensor.Zeros(1, 1, 3, 3), null));
}
