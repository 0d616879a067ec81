using Clickscape.Tensors.Ops;
using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class Pool2dTests
{
    [Theory]
    [InlineData(1, 1, 1, 1, 1, 1, 0)]
    [InlineData(2, 3, 7, 5, 2, 2, 0)]
    [InlineData(1, 2, 9, 8, 3, 2, 1)]
    [InlineData(1, 1, 6, 6, 3, 1, 1)]
    public void MatchReferenceAndGradients(int n, int c, int h, int w, int k, int stride, int pad)
    {
        var rng = new Random(n + c + h + w + k);
        var x = RandomTensors.Uniform(rng, -1, 1, n, c, h, w);
        var mx = Pool2d.Max(x, k, stride, pad);
        var avg = Pool2d.Average(x, k, stride, pad);
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        var eMax = new double[n * c * oh * ow];
        var eAvg = new double[eMax.Length];
        for (int p = 0; p < n * c; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    double m = double.NegativeInfinity, s = 0;
                    for (int di = 0; di < k; di++)
                        for (int dj = 0; dj < k; dj++)
                        {
                            int r = i * stride - pad + di, cc = j * stride - pad + dj;
                            if (r < 0 || r >= h || cc < 0 || cc >= w) continue;
                            double v = x.Data[p * h * w + r * w + cc];
                            m = Math.Max(m, v);
                            s += v;
                        }
                    eMax[(p * oh + i) * ow + j] = m;
                    eAvg[(p * oh + i) * ow + j] = s / (k * k);
                }
        RandomTensors.AssertClose(eMax, mx.Data, what: "max");
        RandomTensors.AssertClose(eAvg, avg.Data, what: "avg");
        // Max needs values farther apart than the finite-difference step: a shuffled grid spaced 0.01.
        var spaced = RandomTensors.Distinct(rng, x.ShapeArray());
        GradCheck.Check(t => Pool2d.Max(t[0], k, stride, pad), v => Reference.Pool(v[0], n * c, h, w, k, stride, pad, max: true), [spaced]);
        GradCheck.Check(t => Pool2d.Average(t[0], k, stride, pad), v => Reference.Pool(v[0], n * c, h, w, k, stride, pad, max: false), [x]);
    }
}
