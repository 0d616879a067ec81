using Clickscape.Tensors.Ops;
using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class Upsample2dTests
{
    [Fact]
    public void MatchesPyTorchOnAKnownExample()
    {
        // F.interpolate([[1,2],[3,4]], scale_factor=2, mode="bilinear", align_corners=False) and mode="nearest".
        var x = Tensor.FromArray([1f, 2f, 3f, 4f], 1, 1, 2, 2);
        Assert.Equal([1f, 1.25f, 1.75f, 2f, 1.5f, 1.75f, 2.25f, 2.5f, 2.5f, 2.75f, 3.25f, 3.5f, 3f, 3.25f, 3.75f, 4f],
            Upsample2d.Bilinear(x, 4, 4).ToArray());
        Assert.Equal([1f, 1f, 2f, 2f, 1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f, 3f, 3f, 4f, 4f], Upsample2d.Nearest(x, 4, 4).ToArray());
    }

    [Theory]
    [InlineData(1, 1, 1, 1, 3, 2)]
    [InlineData(2, 3, 3, 5, 7, 11)]
    [InlineData(1, 2, 8, 6, 4, 3)]
    public void BilinearMatchesDoubleReferenceAndGradients(int n, int c, int h, int w, int oh, int ow)
    {
        var rng = new Random(h * w + oh * ow);
        var x = RandomTensors.Uniform(rng, -1, 1, n, c, h, w);
        var y = Upsample2d.Bilinear(x, oh, ow);
        var expected = new double[n * c * oh * ow];
        static (int, int, double) Tap(int o, int inSize, int outSize)
        {
            double s = Math.Max(0, (o + 0.5) * inSize / outSize - 0.5);
            int i0 = Math.Min((int)Math.Floor(s), inSize - 1);
            return (i0, Math.Min(i0 + 1, inSize - 1), s - i0);
        }
        for (int p = 0; p < n * c; p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++)
                {
                    var (r0, r1, ly) = Tap(i, h, oh);
                    var (c0, c1, lx) = Tap(j, w, ow);
                    double X(int r, int cc) => x.Data[p * h * w + r * w + cc];
                    expected[(p * oh + i) * ow + j] = (1 - ly) * ((1 - lx) * X(r0, c0) + lx * X(r0, c1)) + ly * ((1 - lx) * X(r1, c0) + lx * X(r1, c1));
                }
        RandomTensors.AssertClose(expected, y.Data, rtol: 1e-5, atol: 1e-6);
        GradCheck.Check(t => Upsample2d.Bilinear(t[0], oh, ow), v => Reference.Resize(v[0], n * c, h, w, oh, ow, bilinear: true), [x]);
        GradCheck.Check(t => Upsample2d.Nearest(t[0], oh, ow), v => Reference.Resize(v[0], n * c, h, w, oh, ow, bilinear: false), [x]);
    }
}
