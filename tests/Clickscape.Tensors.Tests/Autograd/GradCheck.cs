using Clickscape.Tensors.Autograd;

namespace Clickscape.Tensors.Tests.Autograd;

/// <summary>
/// Gradient check against a double-precision reference. For an engine op f (float32) and its plain re-implementation
/// f_ref in double (<see cref="Reference"/>), at the same inputs (floats widen to doubles exactly):
/// <list type="number">
/// <item><description>the forward must agree: |f − f_ref| ≤ 1e-4·|f_ref| + 1e-5·max|f_ref|;</description></item>
/// <item><description>for L = ⟨f(x), R⟩ with a fixed random R, the engine's backward (a vector–Jacobian product in
/// float32) must agree with central differences of L_ref = ⟨f_ref(x), R⟩ taken in double (step 1e-6·max(1, |xᵢ|),
/// error ~1e-10): |analytic − numeric| ≤ <see cref="Rtol"/>·|numeric| + <see cref="AtolScale"/>·max|numeric|.</description></item>
/// </list>
/// A backward that is 1 % off fails: 1 % exceeds <see cref="Rtol"/> (0.2 %) on every element whose gradient is
/// larger than 1.25 % of the input's largest one (GradCheckSensitivityTests proves it on deliberately wrong ops).
/// The float32 forward is never differenced, so float rounding cannot hide or fake an error.
/// </summary>
internal static class GradCheck
{
    /// <summary>Relative tolerance on each gradient element.</summary>
    public const double Rtol = 2e-3;

    /// <summary>Absolute tolerance as a fraction of the input's largest reference gradient (float32 rounding in the backward).</summary>
    public const double AtolScale = 1e-4;

    /// <summary>Asserts that <paramref name="f"/>'s forward and backward match <paramref name="reference"/> (see the type remarks).</summary>
    /// <param name="f">The engine computation of the inputs.</param>
    /// <param name="reference">The same function in double; receives the inputs' values, returns the outputs row-major.</param>
    /// <param name="inputs">The inputs; those marked differentiable get RequiresGrad and are checked.</param>
    /// <param name="differentiable">Which inputs to check (default: all).</param>
    /// <param name="seed">Seed of R and of the element sample.</param>
    /// <param name="maxChecksPerInput">Elements differenced per input (all when the input is smaller).</param>
    public static void Check(Func<Tensor[], Tensor> f, Func<double[][], double[]> reference, Tensor[] inputs,
        bool[]? differentiable = null, int seed = 1, int maxChecksPerInput = 400)
    {
        var failure = Compare(f, reference, inputs, differentiable, seed, maxChecksPerInput);
        Assert.True(failure is null, failure);
    }

    /// <summary>Scalar-valued reference overload (losses).</summary>
    public static void Check(Func<Tensor[], Tensor> f, Func<double[][], double> reference, Tensor[] inputs,
        bool[]? differentiable = null, int seed = 1, int maxChecksPerInput = 400) =>
        Check(f, x => [reference(x)], inputs, differentiable, seed, maxChecksPerInput);

    /// <summary>The check of <see cref="Check(Func{Tensor[], Tensor}, Func{double[][], double[]}, Tensor[], bool[], int, int)"/>
    /// without asserting: null when it passes, otherwise what failed.</summary>
    public static string? Compare(Func<Tensor[], Tensor> f, Func<double[][], double[]> reference, Tensor[] inputs,
        bool[]? differentiable = null, int seed = 1, int maxChecksPerInput = 400)
    {
        // A stream of its own: tests draw their inputs from new Random(small seed), and an R equal to (a multiple of)
        // an input makes some gradients vanish by symmetry (batch norm's ∂x is ~0 when R is affine in x).
        var rng = new Random(unchecked(seed * 1_000_003 + 77_777));
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i].RequiresGrad = differentiable?[i] ?? true;
            inputs[i].Grad = null;
        }
        var x = inputs.Select(t => t.ToArray().Select(v => (double)v).ToArray()).ToArray();

        // 1. Forward.
        var y = f(inputs);
        var yRef = reference(x);
        if (yRef.Length != y.Length) return $"forward: engine output has {y.Length} elements, reference {yRef.Length}";
        double yScale = yRef.Length == 0 ? 0 : yRef.Max(Math.Abs);
        for (int k = 0; k < yRef.Length; k++)
        {
            double tol = 1e-4 * Math.Abs(yRef[k]) + 1e-5 * yScale + 1e-12;
            if (!(Math.Abs(y.Data[k] - yRef[k]) <= tol)) return $"forward element {k}: engine {y.Data[k]:G9} vs reference {yRef[k]:G12}";
        }

        // 2. Backward against central differences of the reference in double.
        var r = RandomTensors.Uniform(rng, -1f, 1f, y.ShapeArray());
        var rd = r.ToArray().Select(v => (double)v).ToArray();
        y.Backward(r);

        double Loss(double[][] at)
        {
            var o = reference(at);
            double s = 0;
            for (int k = 0; k < o.Length; k++) s += o[k] * rd[k];
            return s;
        }

        for (int i = 0; i < inputs.Length; i++)
        {
            if (!(differentiable?[i] ?? true)) continue;
            int n = inputs[i].Length;
            if (n == 0) continue;
            if (inputs[i].Grad is null) return $"input {i}: no gradient reached it";
            var analytic = inputs[i].Grad!.ToArray();
            var idx = n <= maxChecksPerInput ? Enumerable.Range(0, n).ToArray() : Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(maxChecksPerInput).ToArray();
            var numeric = new double[idx.Length];
            for (int q = 0; q < idx.Length; q++)
            {
                int k = idx[q];
                double orig = x[i][k], h = 1e-6 * Math.Max(1, Math.Abs(orig));
                x[i][k] = orig + h;
                double lp = Loss(x);
                x[i][k] = orig - h;
                double lm = Loss(x);
                x[i][k] = orig;
                numeric[q] = (lp - lm) / (2 * h);
            }
            double scale = numeric.Max(Math.Abs);
            for (int q = 0; q < idx.Length; q++)
            {
                double tol = Rtol * Math.Abs(numeric[q]) + AtolScale * scale + 1e-12;
                double a = analytic[idx[q]];
                if (!(Math.Abs(a - numeric[q]) <= tol))
                    return $"input {i} element {idx[q]}: backward {a:G9} vs double reference {numeric[q]:G12} (tolerance {tol:G3}, error {Math.Abs(a - numeric[q]) / Math.Max(1e-300, Math.Abs(numeric[q])):P3})";
            }
        }
        return null;
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
