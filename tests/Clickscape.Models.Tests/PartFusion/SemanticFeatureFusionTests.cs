using Clickscape.Models.PartFusion;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;

namespace Clickscape.Models.Tests.PartFusion;

/// <summary>Eq. 3–6 against a plain double-precision loop, its backward against finite differences, and the stop-gradient.</summary>
public sealed class SemanticFeatureFusionTests
{
    private static float[] Random(Random rng, int n, double low = -1, double high = 1) =>
        Enumerable.Range(0, n).Select(_ => (float)(low + (high - low) * rng.NextDouble())).ToArray();

    private static float[] SoftmaxRows(float[] logits, int c)
    {
        var p = new float[logits.Length];
        for (int i = 0; i < logits.Length / c; i++)
        {
            double max = logits.Skip(i * c).Take(c).Max(), sum = 0;
            for (int m = 0; m < c; m++) sum += Math.Exp(logits[i * c + m] - max);
            for (int m = 0; m < c; m++) p[i * c + m] = (float)(Math.Exp(logits[i * c + m] - max) / sum);
        }
        return p;
    }

    /// <summary>Z_m = Σ_q w_q P_qm F_q / Σ_q w_q P_qm and F̂_p = Σ_m P_pm Z_m per shape, written as the paper's sums (w = points per row).</summary>
    private static double[] Reference(float[] p, float[] f, int c, int l, int[][] shapes, float[]? w = null)
    {
        var result = new double[f.Length];
        foreach (var shape in shapes)
        {
            var z = new double[c, l];
            for (int m = 0; m < c; m++)
            {
                double mass = 0;
                foreach (int q in shape) mass += (w?[q] ?? 1) * p[q * c + m];
                for (int j = 0; j < l; j++)
                {
                    double sum = 0;
                    foreach (int q in shape) sum += (w?[q] ?? 1) * p[q * c + m] * f[q * l + j];
                    z[m, j] = sum / (mass + SemanticFeatureFusion.Epsilon);
                }
            }
            foreach (int q in shape)
                for (int j = 0; j < l; j++)
                {
                    double sum = 0;
                    for (int m = 0; m < c; m++) sum += p[q * c + m] * z[m, j];
                    result[q * l + j] = sum;
                }
        }
        return result;
    }

    [Theory]
    [InlineData(1, 5, 3, 4, false)]
    [InlineData(3, 17, 7, 9, true)]
    [InlineData(2, 1, 1, 1, false)]
    [InlineData(4, 6, 2, 3, true)]
    public void Forward_MatchesTheLoopOfEq3And4_PerShape(int shapes, int rowsPerShape, int classes, int width, bool weighted)
    {
        var rng = new Random(shapes * 100 + rowsPerShape);
        int n = shapes * rowsPerShape;
        // shapes interleaved (row i belongs to shape i mod B), as voxels of a batch may be
        var groups = Enumerable.Range(0, shapes).Select(b => Enumerable.Range(0, n).Where(i => i % shapes == b).ToArray()).ToArray();
        var p = SoftmaxRows(Random(rng, n * classes, -3, 3), classes);
        var f = Random(rng, n * width);
        var w = weighted ? Enumerable.Range(0, n).Select(_ => (float)rng.Next(1, 9)).ToArray() : null;
        using var scope = TensorScope.Begin();
        var fused = SemanticFeatureFusion.Aggregate(Tensor.FromArray(p, n, classes), Tensor.FromArray(f, n, width), groups, w).Data.ToArray();
        var expected = Reference(p, f, classes, width, groups, w);
        for (int i = 0; i < fused.Length; i++) Assert.Equal(expected[i], fused[i], 1e-5);
    }

    [Fact]
    public void WeightedRows_EqualTheirPointsRepeated()
    {
        // a row of weight 3 is three identical points: the fusion over rows with weights = the fusion over the points
        var rng = new Random(9);
        var p = SoftmaxRows(Random(rng, 4 * 3, -2, 2), 3);
        var f = Random(rng, 4 * 2);
        float[] w = [3, 1, 2, 1];
        var repeated = Enumerable.Range(0, 4).SelectMany(i => Enumerable.Repeat(i, (int)w[i])).ToArray();
        using var scope = TensorScope.Begin();
        var rows = SemanticFeatureFusion.Aggregate(Tensor.FromArray(p, 4, 3), Tensor.FromArray(f, 4, 2), [[0, 1, 2, 3]], w).Data.ToArray();
        var points = SemanticFeatureFusion.Aggregate(Tensor.FromArray(p, 4, 3).IndexSelect(repeated), Tensor.FromArray(f, 4, 2).IndexSelect(repeated),
            [Enumerable.Range(0, repeated.Length).ToArray()]).Data.ToArray();
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 2; j++) Assert.Equal(points[Array.IndexOf(repeated, i) * 2 + j], rows[i * 2 + j], 5);
    }

    [Fact]
    public void Forward_KeepsShapesApart_AndOneHotOfAnAbsentClassContributesNothing()
    {
        // two shapes of different sizes: the second's features never reach the first
        var rng = new Random(3);
        int[][] start = [[0, 1, 2, 3], [4, 5, 6, 7, 8, 9, 10]];
        var p = SoftmaxRows(Random(rng, 11 * 3, -2, 2), 3);
        var f = Random(rng, 11 * 2);
        var g = (float[])f.Clone();
        for (int i = 8; i < 22; i++) g[i] += 10f; // change shape 2 only
        using var scope = TensorScope.Begin();
        var a = SemanticFeatureFusion.Aggregate(Tensor.FromArray(p, 11, 3), Tensor.FromArray(f, 11, 2), start).Data.ToArray();
        var b = SemanticFeatureFusion.Aggregate(Tensor.FromArray(p, 11, 3), Tensor.FromArray(g, 11, 2), start).Data.ToArray();
        Assert.Equal(a.AsSpan(0, 8).ToArray(), b.AsSpan(0, 8).ToArray());
        Assert.NotEqual(a[8], b[8]);

        // one-hot: every point gets the mean feature of the points predicted like it
        var hot = SemanticFeatureFusion.OneHot(Tensor.FromArray([0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f], 3, 2));
        var fused = SemanticFeatureFusion.Aggregate(hot, Tensor.FromArray([1f, 2f, 5f], 3, 1), [[0, 1, 2]]).Data.ToArray();
        Assert.Equal([3f, 2f, 3f], fused); // points 0 and 2 are class 1: (1 + 5) / 2
    }

    [Fact]
    public void Backward_MatchesFiniteDifferences_ForFeaturesAndProbabilities()
    {
        var rng = new Random(7);
        int n = 9, c = 4, l = 3;
        int[][] start = [[0, 2, 4, 6, 8], [1, 3, 5, 7]];
        using var logits = Tensor.FromArray(Random(rng, n * c, -2, 2), n, c).DetachFromScope();
        using var features = Tensor.FromArray(Random(rng, n * l), n, l).DetachFromScope();
        using var weights = Tensor.FromArray(Random(rng, n * l), n, l).DetachFromScope();
        logits.RequiresGrad = true;
        features.RequiresGrad = true;

        double Loss()
        {
            using var scope = TensorScope.Begin();
            using var noGrad = Tensor.NoGrad();
            return (SemanticFeatureFusion.Aggregate(logits.Softmax(), features, start) * weights).Sum().Item();
        }

        using (TensorScope.Begin())
        {
            (SemanticFeatureFusion.Aggregate(logits.Softmax(), features, start) * weights).Sum().Backward();
        }
        foreach (var x in new[] { logits, features })
        {
            var grad = x.Grad!.Data.ToArray();
            Assert.Contains(grad, v => Math.Abs(v) > 1e-3);
            for (int i = 0; i < x.Length; i++)
            {
                float original = x.Data[i];
                const float h = 1e-2f;
                x.Data[i] = original + h;
                double up = Loss();
                x.Data[i] = original - h;
                double down = Loss();
                x.Data[i] = original;
                double numeric = (up - down) / (2 * h);
                Assert.True(Math.Abs(numeric - grad[i]) <= 2e-3 + 2e-2 * Math.Abs(numeric), $"entry {i}: analytic {grad[i]}, numeric {numeric}");
            }
        }
    }
}
