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

    [Fact]
    public void KernelLargerThanInputThrows() =>
        Assert.Throws<ArgumentException>(() => Tensors.Ops.Conv2d.Forward(Tensor.Zeros(1, 1, 2, 2), Tensor.Zeros(1, 1, 3, 3), null));
}
