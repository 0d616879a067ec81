using Clickscape.Tensors.Autograd;

namespace Clickscape.Tensors.Tests.Autograd;

/// <summary>
/// Finite-difference gradient check: compares the analytic vector–Jacobian product of an op with central
/// differences L(x + h·eᵢ) − L(x − h·eᵢ) / 2h of L = Σ f(x) ⊙ R for a fixed random R, evaluated in float with
/// a large step (h ≈ 1e-2) and summed in double, against a relative tolerance.
/// </summary>
internal static class GradCheck
{
    public static void Check(Func<Tensor[], Tensor> f, Tensor[] inputs, int seed = 1, float h = 1e-2f,
        double rtol = 2e-2, double atol = 2e-3, int maxChecksPerInput = 48, bool[]? differentiable = null)
    {
        var rng = new Random(seed);
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].RequiresGrad = differentiable?[i] ?? true;
            inputs[i].Grad = null;
        }
        var y = f(inputs);
        var r = RandomTensors.Uniform(rng, -1f, 1f, y.ShapeArray());
        y.Backward(r);

        double Loss()
        {
            using (Tensor.NoGrad())
            {
                var o = f(inputs);
                double s = 0;
                var od = o.Data;
                var rd = r.Data;
                for (int k = 0; k < od.Length; k++) s += (double)od[k] * rd[k];
                return s;
            }
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            if (!(differentiable?[i] ?? true)) continue;
            var x = inputs[i];
            Assert.True(x.Grad is not null || x.Length == 0, $"input {i}: no gradient reached it");
            int n = x.Length;
            var idx = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(maxChecksPerInput).ToArray();
            foreach (int k in idx)
            {
                float orig = x.Data[k];
                x.Data[k] = orig + h;
                double lp = Loss();
                x.Data[k] = orig - h;
                double lm = Loss();
                x.Data[k] = orig;
                double numeric = (lp - lm) / (2 * h);
                double analytic = x.Grad!.Data[k];
                double tol = atol + rtol * Math.Max(Math.Abs(numeric), Math.Abs(analytic));
                Assert.True(Math.Abs(numeric - analytic) <= tol,
                    $"input {i} element {k}: analytic {analytic:G6} vs numeric {numeric:G6} (tolerance {tol:G3})");
            }
        }
    }
}

/// <summary>Seeded random inputs for tests.</summary>
internal static class RandomTensors
{
    public static Tensor Uniform(Random rng, float lo, float hi, params int[] shape) => Tensor.Uniform(rng, lo, hi, shape).DetachFromScope();

    /// <summary>A shuffled grid of values spaced 0.01 apart (max-type ops: no near-ties within the finite-difference step).</summary>
    public static Tensor Distinct(Random rng, params int[] shape)
    {
        int n = (int)Tensor.ShapeLength(shape);
        var values = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Select(v => (v - n / 2) * 0.01f).ToArray();
        return Tensor.FromArray(values, shape).DetachFromScope();
    }

    /// <summary>Values bounded away from 0 (for log, sqrt, division).</summary>
    public static Tensor Positive(Random rng, params int[] shape) => Uniform(rng, 0.5f, 2f, shape);

    /// <summary>Values with |x| ≥ 0.1 so kinks (ReLU, abs) are farther than the finite-difference step.</summary>
    public static Tensor AwayFromZero(Random rng, params int[] shape)
    {
        var t = Uniform(rng, -1f, 1f, shape);
        var d = t.Data;
        for (int i = 0; i < d.Length; i++) d[i] = d[i] >= 0 ? d[i] + 0.1f : d[i] - 0.1f;
        return t;
    }

    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double rtol = 1e-5, double atol = 1e-5, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tol = atol + rtol * Math.Abs(expected[i]);
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol, $"{what}[{i}]: expected {expected[i]:G8}, got {actual[i]:G8}");
        }
    }
}
