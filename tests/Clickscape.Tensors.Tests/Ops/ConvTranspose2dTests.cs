using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class ConvTranspose2dTests
{
    /// <summary>The defining scatter in double: every x[b,ci,r,c] adds x·W[ci,co,i,j] onto y[b,co,r·s − p + i·d, c·s − p + j·d].</summary>
    private static double[] Scatter(double[] x, int n, int cin, int h, int w, double[] wt, int cout, int k, double[]? bias, int stride, int pad, int outPad, int dilation)
    {
        int oh = (h - 1) * stride - 2 * pad + dilation * (k - 1) + outPad + 1, ow = (w - 1) * stride - 2 * pad + dilation * (k - 1) + outPad + 1;
        var y = new double[n * cout * oh * ow];
        for (int b = 0; b < n; b++)
        {
            for (int co = 0; co < cout; co++)
                for (int p = 0; p < oh * ow; p++) y[(b * cout + co) * oh * ow + p] = bias?[co] ?? 0;
            for (int ci = 0; ci < cin; ci++)
                for (int r = 0; r < h; r++)
                    for (int c = 0; c < w; c++)
                        for (int co = 0; co < cout; co++)
                            for (int i = 0; i < k; i++)
                                for (int j = 0; j < k; j++)
                                {
                                    int yr = r * stride - pad + i * dilation, yc = c * stride - pad + j * dilation;
                                    if (yr < 0 || yr >= oh || yc < 0 || yc >= ow) continue;
                                    y[((b * cout + co) * oh + yr) * ow + yc] += x[((b * cin + ci) * h + r) * w + c] * wt[((ci * cout + co) * k + i) * k + j];
                                }
        }
        return y;
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 1, 1, 1, 0, 0, 1)]
    [InlineData(2, 3, 4, 5, 2, 2, 2, 0, 0, 1)]
    [InlineData(1, 2, 5, 4, 3, 3, 2, 1, 1, 1)]
    [InlineData(2, 2, 3, 3, 2, 4, 2, 1, 0, 1)]
    [InlineData(1, 2, 4, 3, 3, 3, 1, 2, 0, 2)]
    [InlineData(1, 1, 3, 4, 2, 3, 3, 1, 2, 1)]
    public void MatchesScatterDefinitionAndGradients(int n, int cin, int h, int w, int cout, int k, int stride, int pad, int outPad, int dilation)
    {
        var rng = new Random(n + cin * 7 + h * 31 + k * 101 + stride * 1009 + pad + outPad * 13);
        var x = RandomTensors.Uniform(rng, -1, 1, n, cin, h, w);
        var wt = RandomTensors.Uniform(rng, -1, 1, cin, cout, k, k);
        var b = RandomTensors.Uniform(rng, -1, 1, cout);
        var y = Tensors.Ops.ConvTranspose2d.Forward(x, wt, b, stride, pad, outPad, dilation);
        int oh = (h - 1) * stride - 2 * pad + dilation * (k - 1) + outPad + 1;
        Assert.Equal([n, cout, oh, (w - 1) * stride - 2 * pad + dilation * (k - 1) + outPad + 1], y.ShapeArray());
        double[] Reference(double[][] v) => Scatter(v[0], n, cin, h, w, v[1], cout, k, v[2], stride, pad, outPad, dilation);
        RandomTensors.AssertClose(Reference([.. new[] { x, wt, b }.Select(t => t.ToArray().Select(f => (double)f).ToArray())]), y.Data, rtol: 1e-5, atol: 1e-5);
        GradCheck.Check(t => Tensors.Ops.ConvTranspose2d.Forward(t[0], t[1], t[2], stride, pad, outPad, dilation), Reference, [x, wt, b]);
    }

    [Fact]
    public void IsTheAdjointOfConv2d()
    {
        // ⟨conv(u), v⟩ = ⟨u, convᵀ(v)⟩ for the same weight (W [Cout, Cin, k, k] of the conv is [Cin', Cout'] of the transpose).
        var rng = new Random(3);
        var u = RandomTensors.Uniform(rng, -1, 1, 2, 3, 10, 8);
        var wt = RandomTensors.Uniform(rng, -1, 1, 4, 3, 3, 3);
        var cu = Tensors.Ops.Conv2d.Forward(u, wt, null, stride: 2, padding: 1);
        var v = RandomTensors.Uniform(rng, -1, 1, cu.ShapeArray());
        var tv = Tensors.Ops.ConvTranspose2d.Forward(v, wt, null, stride: 2, padding: 1, outputPadding: 1);
        Assert.Equal(u.ShapeArray(), tv.ShapeArray());
        double left = 0, right = 0;
        for (int i = 0; i < cu.Length; i++) left += (double)cu.Data[i] * v.Data[i];
        for (int i = 0; i < u.Length; i++) right += (double)u.Data[i] * tv.Data[i];
        Assert.Equal(left, right, 1e-3);
    }

    [Fact]
    public void OutputPaddingAtLeastTheStrideThrows() =>
        Assert.Throws<ArgumentException>(() => Tensors.Ops.ConvTranspose2d.Forward(Tensor.Zeros(1, 1, 3, 3), Tensor.Zeros(1, 1, 3, 3), null, stride: 2, outputPadding: 2));

    [Fact]
    public void ChannelMismatchThrows() =>
        Assert.Throws<ArgumentException>(() => Tensors.Ops.ConvTranspose2d.Forward(Tensor.Zeros(1, 2, 3, 3), Tensor.Zeros(3, 1, 3, 3), null));
}
