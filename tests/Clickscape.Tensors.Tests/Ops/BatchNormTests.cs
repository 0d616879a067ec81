using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class BatchNormTests
{
    [Theory]
    [InlineData(new[] { 7, 3 })]
    [InlineData(new[] { 2, 1 })]
    [InlineData(new[] { 3, 4, 5 })]
    [InlineData(new[] { 2, 3, 2, 3 })]
    public void TrainingForwardAndRunningStatsMatchReference(int[] shape)
    {
        var rng = new Random(shape.Sum());
        var x = RandomTensors.Uniform(rng, -2, 2, shape);
        int n = shape[0], c = shape[1], inner = x.Length / (n * c), m = n * inner;
        using var bn = new BatchNorm1d(c, eps: 1e-3f, momentum: 0.2f);
        bn.Weight!.Data.Fill(1.5f);
        bn.Bias!.Data.Fill(-0.25f);
        var y = bn.Forward(x);
        var expected = new double[x.Length];
        for (int ch = 0; ch < c; ch++)
        {
            var vals = new List<(int Index, double V)>();
            for (int i = 0; i < n; i++)
                for (int k = 0; k < inner; k++) vals.Add(((i * c + ch) * inner + k, x.Data[(i * c + ch) * inner + k]));
            double mu = vals.Average(v => v.V), var = vals.Average(v => (v.V - mu) * (v.V - mu));
            foreach (var (idx, v) in vals) expected[idx] = 1.5 * (v - mu) / Math.Sqrt(var + 1e-3) - 0.25;
            Assert.Equal(0.8 * 0 + 0.2 * mu, bn.RunningMean.Data[ch], 5);
            Assert.Equal(0.8 * 1 + 0.2 * var * m / (m - 1), bn.RunningVar.Data[ch], 4);
        }
        RandomTensors.AssertClose(expected, y.Data, rtol: 1e-4, atol: 1e-4);
    }

    [Theory]
    [InlineData(true, new[] { 6, 3, 2 })]
    [InlineData(false, new[] { 6, 3, 2 })]
    [InlineData(true, new[] { 37, 5 })]      // [N, C]: the point / voxel feature layout
    [InlineData(false, new[] { 37, 5 })]
    [InlineData(true, new[] { 2, 3, 2, 3 })] // images
    public void GradientsMatchDoubleReference(bool training, int[] shape)
    {
        var rng = new Random(training ? 1 : 2);
        int n = shape[0], c = shape[1], inner = shape.Skip(2).Aggregate(1, (p, v) => p * v);
        var x = RandomTensors.Uniform(rng, -2, 2, shape);
        var w = RandomTensors.Uniform(rng, 0.5f, 1.5f, c);
        var b = RandomTensors.Uniform(rng, -1, 1, c);
        var rm = RandomTensors.Uniform(rng, -0.5f, 0.5f, c);
        var rv = RandomTensors.Positive(rng, c);
        double[] rmd = [.. rm.ToArray().Select(v => (double)v)], rvd = [.. rv.ToArray().Select(v => (double)v)];
        GradCheck.Check(t => Tensors.Ops.BatchNorm.Forward(t[0], t[1], t[2], rm.Detach(), rv.Detach(), training),
            v => Reference.BatchNorm(v[0], n, c, inner, v[1], v[2], training, rmd, rvd, 1e-5f), [x, w, b]);
    }

    [Fact]
    public void EvalUsesRunningStatistics()
    {
        using var bn = new BatchNorm1d(2);
        bn.RunningMean.Data[0] = 1f;
        bn.RunningVar.Data[1] = 4f;
        bn.Eval();
        var y = bn.Forward(Tensor.FromArray([3f, 2f], 1, 2));
        Assert.Equal(2f / MathF.Sqrt(1f + 1e-5f), y.Data[0], 5);
        Assert.Equal(2f / MathF.Sqrt(4f + 1e-5f), y.Data[1], 5);
        Assert.Equal(1f, bn.RunningMean.Data[0]);
    }

    [Theory]
    [InlineData(true, new[] { 37, 5 })]
    [InlineData(false, new[] { 37, 5 })]
    [InlineData(true, new[] { 2, 3, 2, 3 })]
    public void FusedReluIsTheSameBitsAsReluAfterBatchNorm(bool training, int[] shape)
    {
        var rng = new Random(7);
        int c = shape[1];
        var x = RandomTensors.Uniform(rng, -2, 2, shape);
        var w = RandomTensors.Uniform(rng, 0.5f, 1.5f, c);
        var b = RandomTensors.Uniform(rng, -1, 1, c);
        var g = RandomTensors.Uniform(rng, -1, 1, shape);
        (float[] Y, float[] Gx, float[] Gw, float[] Gb, float[] Rm, float[] Rv) Run(bool fused)
        {
            foreach (var t in new[] { x, w, b }) { t.RequiresGrad = true; t.Grad = null; }
            var rm = Tensor.Zeros(c);
            var rv = Tensor.Ones(c);
            var y = fused
                ? Tensors.Ops.BatchNorm.Forward(x, w, b, rm, rv, training, relu: true)
                : Tensors.Ops.BatchNorm.Forward(x, w, b, rm, rv, training).Relu();
            y.Backward(g);
            return (y.ToArray(), x.Grad!.ToArray(), w.Grad!.ToArray(), b.Grad!.ToArray(), rm.ToArray(), rv.ToArray());
        }
        var fusedRun = Run(true);
        var plainRun = Run(false);
        Assert.Contains(0f, fusedRun.Y);
        Assert.Equal(plainRun.Y, fusedRun.Y);
        Assert.Equal(plainRun.Gx, fusedRun.Gx);
        Assert.Equal(plainRun.Gw, fusedRun.Gw);
        Assert.Equal(plainRun.Gb, fusedRun.Gb);
        Assert.Equal(plainRun.Rm, fusedRun.Rm);
        Assert.Equal(plainRun.Rv, fusedRun.Rv);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FusedReluGradientsMatchDoubleReference(bool training)
    {
        var rng = new Random(training ? 3 : 4);
        var x = RandomTensors.Uniform(rng, -2, 2, 29, 4);
        var w = RandomTensors.Uniform(rng, 0.5f, 1.5f, 4);
        var b = RandomTensors.Uniform(rng, -1, 1, 4);
        double[] rm = [0, 0.1, -0.2, 0.3], rv = [1, 0.5, 2, 1.5];
        GradCheck.Check(t => Tensors.Ops.BatchNorm.Forward(t[0], t[1], t[2], Tensor.FromArray([.. rm.Select(v => (float)v)], 4), Tensor.FromArray([.. rv.Select(v => (float)v)], 4), training, relu: true),
            v => Reference.Map(Reference.BatchNorm(v[0], 29, 4, 1, v[1], v[2], training, [.. rm.Select(q => (double)(float)q)], [.. rv.Select(q => (double)(float)q)], 1e-5f), a => Math.Max(a, 0)),
            [x, w, b]);
    }
}
