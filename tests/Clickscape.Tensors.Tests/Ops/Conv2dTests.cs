using Clickscape.Tensors.Kernels;
using Clickscape.Tensors.Tests.Autograd;
using Clickscape.Tensors.Threading;
using FsCheck;
using FsCheck.Fluent;

namespace Clickscape.Tensors.Tests.Ops;

/// <summary>
/// Conv2d (the direct polyphase kernel, <see cref="Tensors.Ops.Conv2dDirect"/>) against naive loops in double:
/// forward, input, weight and bias gradients on generated shapes, 1 and 2 threads bit for bit, finite-difference
/// gradient checks. <see cref="Kernels.InstructionSetFallbackTests"/> re-runs this class with AVX-512 and AVX2
/// switched off.
/// </summary>
[Collection("ComputeThreads")]
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
    [InlineData(2, 9, 9, 11, 10, 3, 2, 2, 2)]
    [InlineData(3, 5, 8, 7, 3, 3, 1, 1, 1)]
    [InlineData(1, 3, 10, 9, 17, 3, 1, 2, 2)]
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

    /// <summary>One convolution problem: shapes, stride, padding, dilation and the seed of its values.</summary>
    public sealed record ConvCase(int N, int CIn, int H, int W, int COut, int K, int Stride, int Pad, int Dilation, int Seed)
    {
        public int OutH => (H + 2 * Pad - Dilation * (K - 1) - 1) / Stride + 1;

        public int OutW => (W + 2 * Pad - Dilation * (K - 1) - 1) / Stride + 1;
    }

    // Odd sizes, channel counts on both sides of the 8-row slivers and 4-row dot blocks, 1×1 to 5×5 kernels.
    private static readonly Gen<ConvCase> ConvCases =
        from n in Gen.Elements(1, 3)
        from cin in Gen.Elements(1, 2, 3, 5, 9, 17)
        from cout in Gen.Elements(1, 3, 4, 8, 9, 17)
        from k in Gen.Elements(1, 2, 3, 3, 5)
        from stride in Gen.Elements(1, 1, 2, 3)
        from dilation in Gen.Elements(1, 2)
        from pad in Gen.Elements(0, 1, 2)
        from h in Gen.Choose(1, 23)
        from w in Gen.Choose(1, 23)
        from seed in Gen.Choose(0, 1 << 20)
        let span = dilation * (k - 1) + 1 - 2 * pad // the padded input must hold one window
        select new ConvCase(n, cin, Math.Max(h, span), Math.Max(w, span), cout, k, stride, pad, dilation, seed);

    [Fact]
    public void GeneratedShapesMatchNaiveLoopsForwardAndAllGradients() =>
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(60).WithReplay(new Replay(new Rnd(1601), null)),
            Prop.ForAll(ConvCases.ToArbitrary(), c => CheckAgainstNaiveLoops(c)));

    /// <summary>Large enough for several forward / input-gradient blocks per image (and, 100 × 97, two weight-gradient
    /// chunks of 8192 positions and a partial 16-channel group; 3 × 50 × 55, weight-gradient chunks of 2 images + 1).</summary>
    [Theory]
    [InlineData(1, 3, 70, 66, 5, 3, 1, 1, 1)]
    [InlineData(2, 4, 64, 64, 9, 3, 1, 2, 2)]
    [InlineData(1, 20, 90, 90, 4, 3, 2, 1, 1)]
    [InlineData(1, 6, 57, 61, 3, 3, 2, 2, 2)]
    [InlineData(2, 2, 100, 97, 19, 3, 1, 1, 1)]
    [InlineData(3, 2, 50, 55, 5, 3, 1, 1, 1)]
    public void LargeImagesMatchNaiveLoopsForwardAndAllGradients(int n, int cin, int h, int w, int cout, int k, int stride, int pad, int dilation) =>
        CheckAgainstNaiveLoops(new ConvCase(n, cin, h, w, cout, k, stride, pad, dilation, h * w + cin));

    /// <summary>Runs the case on 1 and on 2 threads (work split down to single items), requires the same bits, and
    /// compares y, ∂x, ∂W, ∂b for a random upstream gradient with the double loops, within (terms + 4)·ε·Σ|term|
    /// (a bound that holds for any summation order, so it is tight and still fails on any wrong index).</summary>
    private static void CheckAgainstNaiveLoops(ConvCase c)
    {
        var rng = new Random(c.Seed);
        var x = RandomTensors.Uniform(rng, -1, 1, c.N, c.CIn, c.H, c.W);
        var wt = RandomTensors.Uniform(rng, -1, 1, c.COut, c.CIn, c.K, c.K);
        var b = RandomTensors.Uniform(rng, -1, 1, c.COut);
        var gy = RandomTensors.Uniform(rng, -1, 1, c.N, c.COut, c.OutH, c.OutW);
        var one = Run(c, x, wt, b, gy, threads: 1);
        var two = Run(c, x, wt, b, gy, threads: 2);
        for (int i = 0; i < one.Length; i++) Assert.Equal(one[i], two[i]);

        var r = NaiveConvAndGradients(c, x.ToArray(), wt.ToArray(), b.ToArray(), gy.ToArray());
        int kk = c.K * c.K;
        AssertWithin(r.Y, r.YMag, one[0], c.CIn * kk + 1, $"{c} y");
        AssertWithin(r.Dx, r.DxMag, one[1], c.COut * kk, $"{c} dx");
        AssertWithin(r.Dw, r.DwMag, one[2], c.N * c.OutH * c.OutW, $"{c} dW");
        AssertWithin(r.Db, r.DbMag, one[3], c.N * c.OutH * c.OutW, $"{c} db");
    }

    private static float[][] Run(ConvCase c, Tensor x0, Tensor w0, Tensor b0, Tensor gy, int threads)
    {
        long savedFlops = Gemm.MinTaskFlops;
        using var computeThreads = ComputeThreads.Use(threads);
        try
        {
            Gemm.MinTaskFlops = 1; // split even small problems so every threaded path runs
            var x = x0.Detach();
            var w = w0.Detach();
            var b = b0.Detach();
            foreach (var t in new[] { x, w, b }) t.RequiresGrad = true;
            var y = Tensors.Ops.Conv2d.Forward(x, w, b, c.Stride, c.Pad, c.Dilation);
            Assert.Equal([c.N, c.COut, c.OutH, c.OutW], y.ShapeArray());
            y.Backward(gy);
            return [y.ToArray(), x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray()];
        }
        finally
        {
            Gemm.MinTaskFlops = savedFlops;
        }
    }

    private static void AssertWithin(double[] expected, double[] magnitude, float[] actual, int terms, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = (terms + 4) * magnitude[i] / (1 << 23) + 1e-30;
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"{what}[{i}]: expected {expected[i]:G9}, got {actual[i]:G9} (tolerance {tol:G3})");
        }
    }

    /// <summary>y = conv(x, W) + b and, for upstream gradient gy, ∂x, ∂W, ∂b by the definition, in double, each with
    /// Σ|term| for the rounding bound: every (output, tap) pair contributes x·W to y, gy·W to ∂x, gy·x to ∂W.</summary>
    internal static (double[] Y, double[] YMag, double[] Dx, double[] DxMag, double[] Dw, double[] DwMag, double[] Db, double[] DbMag)
        NaiveConvAndGradients(ConvCase c, float[] x, float[] wt, float[] bias, float[] gy)
    {
        int oh = c.OutH, ow = c.OutW, k = c.K;
        var y = new double[c.N * c.COut * oh * ow];
        var yMag = new double[y.Length];
        var dx = new double[x.Length];
        var dxMag = new double[x.Length];
        var dw = new double[wt.Length];
        var dwMag = new double[wt.Length];
        var db = new double[c.COut];
        var dbMag = new double[c.COut];
        for (int n = 0; n < c.N; n++)
            for (int co = 0; co < c.COut; co++)
                for (int r = 0; r < oh; r++)
                    for (int q = 0; q < ow; q++)
                    {
                        int yi = ((n * c.COut + co) * oh + r) * ow + q;
                        double g = gy[yi], s = bias[co], sMag = Math.Abs(bias[co]);
                        db[co] += g;
                        dbMag[co] += Math.Abs(g);
                        for (int ci = 0; ci < c.CIn; ci++)
                            for (int i = 0; i < k; i++)
                                for (int j = 0; j < k; j++)
                                {
                                    int ih = r * c.Stride - c.Pad + i * c.Dilation, iw = q * c.Stride - c.Pad + j * c.Dilation;
                                    if (ih < 0 || ih >= c.H || iw < 0 || iw >= c.W) continue;
                                    int xi = ((n * c.CIn + ci) * c.H + ih) * c.W + iw, wi = ((co * c.CIn + ci) * k + i) * k + j;
                                    s += (double)x[xi] * wt[wi];
                                    sMag += Math.Abs((double)x[xi] * wt[wi]);
                                    dx[xi] += g * wt[wi];
                                    dxMag[xi] += Math.Abs(g * wt[wi]);
                                    dw[wi] += g * x[xi];
                                    dwMag[wi] += Math.Abs(g * x[xi]);
                                }
                        y[yi] = s;
                        yMag[yi] = sMag;
                    }
        return (y, yMag, dx, dxMag, dw, dwMag, db, dbMag);
    }

    [Fact]
    public void KernelLargerThanInputThrows() =>
        Assert.Throws<ArgumentException>(() => Tensors.Ops.Conv2d.Forward(Tensor.Zeros(1, 1, 2, 2), Tensor.Zeros(1, 1, 3, 3), null));
}
