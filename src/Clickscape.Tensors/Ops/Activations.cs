using System.Numerics;
using System.Numerics.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Point-wise nonlinearities y = f(x) with their derivatives: ReLU, LeakyReLU (Maas et al. 2013),
/// sigmoid, tanh, exp, log, sqrt, abs, square. Forward calls <see cref="TensorPrimitives"/>; backward rules
/// that need a mask (ReLU family, abs) are scalar loops the JIT vectorizes poorly but that stay memory-bound.
/// </summary>
public static class Activations
{
    /// <summary>max(x, 0); ∂y/∂x = [x &gt; 0].</summary>
    public static Tensor Relu(Tensor x) => LeakyRelu(x, 0f);

    /// <summary>x for x &gt; 0, slope·x otherwise (slope in [0, 1)); ∂y/∂x = 1 or slope.</summary>
    public static Tensor LeakyRelu(Tensor x, float slope)
    {
        if (slope is < 0f or >= 1f) throw new ArgumentOutOfRangeException(nameof(slope), slope, "LeakyRelu: slope must be in [0, 1)");
        // max(x, slope·x) equals LeakyReLU for slope < 1 and keeps the forward fully inside TensorPrimitives.
        var y = Elementwise.Map(x, (s, d) =>
        {
            TensorPrimitives.Multiply(s, slope, d);
            TensorPrimitives.Max(s, d, d);
        });
        return Graph.Record(y, [x], g => Backward(x, g, (xs, gs, gx) => LeakyReluGrad(xs, gs, gx, slope)));
    }

    /// <summary>gx += g · (x &gt; 0 ? 1 : slope).</summary>
    /// <remarks>
    /// SIMD because the scalar form branches on the sign of x, which is random in a network, so the branch
    /// mispredicts about half the time (measured ~20× slower than this loop). Lanes: <see cref="Vector{T}"/>
    /// (8 floats with AVX2, 16 with 512-bit vectors); the mask x &gt; 0 selects g or slope·g per lane; the tail
    /// runs the scalar equivalent.
    /// </remarks>
    internal static void LeakyReluGrad(ReadOnlySpan<float> xs, ReadOnlySpan<float> gs, Span<float> gx, float slope)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var zero = Vector<float>.Zero;
            var s = new Vector<float>(slope);
            for (; i <= xs.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var xv = new Vector<float>(xs[i..]);
                var gv = new Vector<float>(gs[i..]);
                var dv = new Vector<float>(gx[i..]);
                var pass = Vector.ConditionalSelect(Vector.GreaterThan(xv, zero), gv, gv * s);
                (dv + pass).CopyTo(gx[i..]);
            }
        }
        for (; i < xs.Length; i++) gx[i] += xs[i] > 0f ? gs[i] : slope * gs[i];
    }

    /// <summary>1 / (1 + e^−x); ∂y/∂x = y(1 − y).</summary>
    public static Tensor Sigmoid(Tensor x)
    {
        var y = Elementwise.Map(x, (s, d) => TensorPrimitives.Sigmoid(s, d));
        return Graph.Record(y, [x], g => Backward(y, g, (ys, gs, gx) =>
        {
            for (int i = 0; i < ys.Length; i++) gx[i] += gs[i] * ys[i] * (1f - ys[i]);
        }, x));
    }

    /// <summary>tanh x; ∂y/∂x = 1 − y².</summary>
    public static Tensor Tanh(Tensor x)
    {
        var y = Elementwise.Map(x, (s, d) => TensorPrimitives.Tanh(s, d));
        return Graph.Record(y, [x], g => Backward(y, g, (ys, gs, gx) =>
        {
            for (int i = 0; i < ys.Length; i++) gx[i] += gs[i] * (1f - ys[i] * ys[i]);
        }, x));
    }

    /// <summary>eˣ; ∂y/∂x = y.</summary>
    public static Tensor Exp(Tensor x)
    {
        var y = Elementwise.Map(x, (s, d) => TensorPrimitives.Exp(s, d));
        return Graph.Record(y, [x], g => Backward(y, g, (ys, gs, gx) => TensorPrimitives.MultiplyAdd(gs, ys, gx, gx), x));
    }

    /// <summary>ln x; ∂y/∂x = 1/x.</summary>
    public static Tensor Log(Tensor x)
    {
        var y = Elementwise.Map(x, (s, d) => TensorPrimitives.Log(s, d));
        return Graph.Record(y, [x], g => Backward(x, g, (xs, gs, gx) =>
        {
            for (int i = 0; i < xs.Length; i++) gx[i] += gs[i] / xs[i];
        }));
    }

    /// <summary>√x; ∂y/∂x = 1/(2y).</summary>
    public static Tensor Sqrt(Tensor x)
    {
        var y = Elementwise.Map(x, (s, d) => TensorPrimitives.Sqrt(s, d));
        return Graph.Record(y, [x], g => Backward(y, g, (ys, gs, gx) =>
        {
            for (int i = 0; i < ys.Length; i++) gx[i] += gs[i] * 0.5f / ys[i];
        }, x));
    }

    /// <summary>|x|; ∂y/∂x = sign x (0 at 0).</summary>
    public static Tensor Abs(Tensor x)
    {
        var y = Elementwise.Map(x, (s, d) => TensorPrimitives.Abs(s, d));
        return Graph.Record(y, [x], g => Backward(x, g, (xs, gs, gx) =>
        {
            // Branch-free sign: (x > 0) − (x < 0) as 0/1 floats, for the same reason as LeakyReluGrad.
            for (int i = 0; i < xs.Length; i++) gx[i] += gs[i] * ((xs[i] > 0f ? 1f : 0f) - (xs[i] < 0f ? 1f : 0f));
        }));
    }

    /// <summary>x²; ∂y/∂x = 2x.</summary>
    public static Tensor Square(Tensor x)
    {
        var y = Elementwise.Map(x, (s, d) => TensorPrimitives.Multiply(s, s, d));
        return Graph.Record(y, [x], g => Backward(x, g, (xs, gs, gx) =>
        {
            for (int i = 0; i < xs.Length; i++) gx[i] += 2f * xs[i] * gs[i];
        }));
    }

    /// <summary>min(max(x, low), high); ∂y/∂x = 1 inside (low, high), 0 where clamped.</summary>
    public static Tensor Clamp(Tensor x, float low, float high)
    {
        if (!(low <= high)) throw new ArgumentException($"Clamp: low {low} must be ≤ high {high}");
        var y = Elementwise.Map(x, (s, d) => TensorPrimitives.Clamp(s, low, high, d));
        return Graph.Record(y, [x], g => Backward(x, g, (xs, gs, gx) =>
        {
            for (int i = 0; i < xs.Length; i++) gx[i] += xs[i] > low && xs[i] < high ? gs[i] : 0f;
        }));
    }

    private delegate void GradRule(ReadOnlySpan<float> saved, ReadOnlySpan<float> gradOut, Span<float> gradIn);

    /// <summary>Runs a point-wise gradient rule in parallel blocks: gradIn += rule(saved, gradOut).</summary>
    private static void Backward(Tensor saved, Tensor gradOut, GradRule rule, Tensor? input = null)
    {
        var target = input ?? saved;
        if (!target.RequiresGrad) return;
        float[] s = saved.Storage, g = gradOut.Storage, gx = target.GradStorage();
        ComputeThreads.For(saved.Length, Elementwise.ParallelBlock, (a, b) => rule(s.AsSpan(a, b - a), g.AsSpan(a, b - a), gx.AsSpan(a, b - a)));
    }
}
