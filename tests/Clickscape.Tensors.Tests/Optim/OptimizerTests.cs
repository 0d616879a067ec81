using Clickscape.Tensors.Optim;

namespace Clickscape.Tensors.Tests.Optim;

public class OptimizerTests
{
    private static Tensor Param(params float[] v)
    {
        var p = Tensor.FromArray(v, v.Length);
        p.RequiresGrad = true;
        p.Grad = Tensor.Zeros(v.Length).DetachFromScope();
        return p;
    }

    [Fact]
    public void SgdMomentumWeightDecayByHand()
    {
        var p = Param(1f);
        using var opt = new Sgd([p], 0.1f, momentum: 0.9f, weightDecay: 0.5f);
        p.Grad!.Data[0] = 2f;
        opt.Step(); // g = 2 + 0.5·1 = 2.5; b = 2.5; p = 1 − 0.25 = 0.75
        Assert.Equal(0.75f, p.Data[0], 6);
        opt.Step(); // g = 2 + 0.375 = 2.375; b = 0.9·2.5 + 2.375 = 4.625; p = 0.75 − 0.4625 = 0.2875
        Assert.Equal(0.2875f, p.Data[0], 6);
    }

    [Fact]
    public void SgdNesterovByHand()
    {
        var p = Param(1f);
        using var opt = new Sgd([p], 0.1f, momentum: 0.9f, nesterov: true);
        p.Grad!.Data[0] = 1f;
        opt.Step(); // b = 1; g = 1 + 0.9 = 1.9; p = 0.81
        Assert.Equal(0.81f, p.Data[0], 6);
        opt.Step(); // b = 0.9 + 1 = 1.9; g = 1 + 1.71 = 2.71; p = 0.81 − 0.271 = 0.539
        Assert.Equal(0.539f, p.Data[0], 6);
    }

    [Fact]
    public void AdamByHand()
    {
        var p = Param(1f, -1f);
        using var opt = new Adam([p], 0.1f);
        p.Grad!.Data[0] = 0.5f;
        p.Grad!.Data[1] = -2f;
        opt.Step(); // first step: m̂ = g, v̂ = g² → update = lr·g/(|g| + ε) ≈ lr·sign(g)
        Assert.Equal(0.9f, p.Data[0], 5);
        Assert.Equal(-0.9f, p.Data[1], 5);
        p.Grad!.Data[0] = 1f;
        opt.Step();
        // m = 0.9·0.05 + 0.1·1 = 0.145 → m̂ = 0.145/0.19; v = 0.999·0.00025 + 0.001·1 = 0.00124975 → v̂ = v/0.001999
        double mh = 0.145 / 0.19, vh = 0.00124975 / (1 - 0.999 * 0.999);
        Assert.Equal(0.9 - 0.1 * mh / (Math.Sqrt(vh) + 1e-8), p.Data[0], 5);
    }

    [Fact]
    public void AdamWDecouplesWeightDecay()
    {
        var p = Param(2f);
        using var opt = new AdamW([p], 0.1f, weightDecay: 0.5f);
        p.Grad!.Data[0] = 1f;
        opt.Step(); // p = 2·(1 − 0.05) − 0.1·1 = 1.8
        Assert.Equal(1.8f, p.Data[0], 5);
        var q = Param(2f);
        using var adam = new Adam([q], 0.1f, weightDecay: 0.5f);
        q.Grad!.Data[0] = 1f;
        adam.Step(); // g = 1 + 1 = 2 → step ≈ lr·sign = 0.1 → 1.9
        Assert.Equal(1.9f, q.Data[0], 5);
    }

    /// <summary>The vectorized Adam update equals the scalar formula bit for bit, lanes and tail alike
    /// (length 1037 leaves a remainder for every vector width).</summary>
    [Theory]
    [InlineData(0f, false)]
    [InlineData(0.05f, false)]
    [InlineData(0.05f, true)]
    public void AdamMatchesTheScalarUpdateBitForBit(float weightDecay, bool decoupled)
    {
        const int n = 1037;
        const float lr = 1e-3f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
        var rng = new Random(5);
        var p = Tensor.Uniform(rng, -1, 1, n).DetachFromScope();
        p.RequiresGrad = true;
        var expected = p.ToArray();
        var m = new float[n];
        var v = new float[n];
        using var opt = decoupled ? new AdamW([p], lr, b1, b2, eps, weightDecay) : new Adam([p], lr, b1, b2, eps, weightDecay);
        for (int t = 1; t <= 3; t++)
        {
            var g = Enumerable.Range(0, n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
            p.Grad = Tensor.FromArray(g, n).DetachFromScope();
            opt.Step();
            float stepSize = (float)(lr / (1 - Math.Pow(b1, t)));
            float sqrtBc2 = (float)Math.Sqrt(1 - Math.Pow(b2, t));
            for (int i = 0; i < n; i++)
            {
                float gi = g[i];
                if (weightDecay != 0f)
                {
                    if (decoupled) expected[i] *= 1f - lr * weightDecay;
                    else gi += weightDecay * expected[i];
                }
                m[i] = b1 * m[i] + (1f - b1) * gi;
                v[i] = b2 * v[i] + (1f - b2) * gi * gi;
                expected[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / sqrtBc2 + eps);
            }
            Assert.Equal(expected, p.ToArray());
        }
    }

    [Fact]
    public void SkipsParametersWithoutGradient()
    {
        var p = Tensor.FromArray([1f], 1);
        p.RequiresGrad = true;
        using var opt = new Adam([p]);
        opt.Step();
        Assert.Equal(1f, p.Data[0]);
    }

    [Fact]
    public void Schedules()
    {
        Assert.Equal(0.1f, new StepSchedule(0.1f, 10, 0.5f).At(9), 6);
        Assert.Equal(0.05f, new StepSchedule(0.1f, 10, 0.5f).At(10), 6);
        Assert.Equal(1f, new CosineSchedule(1f, 100).At(0), 6);
        Assert.Equal(0.5f, new CosineSchedule(1f, 100).At(50), 6);
        Assert.Equal(0.1f, new CosineSchedule(1f, 100, 0.1f).At(100), 6);
        Assert.Equal(MathF.Pow(0.5f, 0.9f), new PolySchedule(1f, 100).At(50), 6);
        Assert.Equal(0f, new PolySchedule(1f, 100).At(150), 6);
        var w = new WarmupSchedule(new StepSchedule(1f, 1000), 10, 0f);
        Assert.Equal(0f, w.At(0), 6);
        Assert.Equal(0.5f, w.At(5), 6);
        Assert.Equal(1f, w.At(10), 6);
    }
}
