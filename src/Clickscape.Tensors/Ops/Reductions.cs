using System.Numerics.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Sum, mean and max over all elements or along one axis. Along an axis the tensor is viewed as
/// [outer, d, inner]; the result is [outer, inner] (the axis removed, or kept as 1 with keepDim).
/// </summary>
/// <remarks>
/// Backward: sum broadcasts G back over the axis; mean does the same scaled by 1/d; max routes G to the
/// first arg-max of each slice (the sub-gradient PyTorch uses).
/// </remarks>
public static class Reductions
{
    /// <summary>Σ of all elements, as a scalar tensor.</summary>
    public static Tensor Sum(Tensor x)
    {
        var y = Tensor.Scalar(SumAll(x));
        return Graph.Record(y, [x], g =>
        {
            var gx = x.GradBuffer();
            TensorPrimitives.Add(gx, g.Data[0], gx);
        });
    }

    /// <summary>Mean of all elements, as a scalar tensor.</summary>
    public static Tensor Mean(Tensor x)
    {
        if (x.Length == 0) throw new ArgumentException("Mean: tensor is empty");
        float inv = 1f / x.Length;
        var y = Tensor.Scalar(SumAll(x) * inv);
        return Graph.Record(y, [x], g =>
        {
            var gx = x.GradBuffer();
            TensorPrimitives.Add(gx, g.Data[0] * inv, gx);
        });
    }

    /// <summary>Maximum of all elements, as a scalar tensor.</summary>
    public static Tensor Max(Tensor x)
    {
        if (x.Length == 0) throw new ArgumentException("Max: tensor is empty");
        int arg = TensorPrimitives.IndexOfMax(x.Data);
        var y = Tensor.Scalar(x.Data[arg]);
        return Graph.Record(y, [x], g => x.GradBuffer()[arg] += g.Data[0]);
    }

    private static float SumAll(Tensor x)
    {
        // Pairwise-in-blocks summation keeps float error small for long vectors.
        var d = x.Data;
        double total = 0;
        for (int i = 0; i < d.Length; i += 4096) total += TensorPrimitives.Sum(d.Slice(i, Math.Min(4096, d.Length - i)));
        return (float)total;
    }

    /// <summary>Σ along <paramref name="axis"/>.</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDim = false) => AxisSum(x, axis, keepDim, mean: false);

    /// <summary>Mean along <paramref name="axis"/>.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDim = false) => AxisSum(x, axis, keepDim, mean: true);

    private static Tensor AxisSum(Tensor x, int axis, bool keepDim, bool mean)
    {
        var (outer, d, inner, shape) = View(x, axis, keepDim);
        if (mean && d == 0) throw new ArgumentException($"Mean: axis {axis} of {Tensor.ShapeString(x.Shape)} is empty");
        float scale = mean ? 1f / d : 1f;
        var y = Tensor.Empty(shape);
        float[] xs = x.Storage, ys = y.Storage;
        ComputeThreads.For(outer, Math.Max(1, 4096 / Math.Max(1, d * inner)), (s, e) =>
        {
            for (int o = s; o < e; o++)
            {
                var dst = ys.AsSpan(o * inner, inner);
                if (inner == 1)
                {
                    dst[0] = TensorPrimitives.Sum(xs.AsSpan(o * d, d)) * scale;
                    continue;
                }
                dst.Clear();
                for (int k = 0; k < d; k++) TensorPrimitives.Add(dst, xs.AsSpan((o * d + k) * inner, inner), dst);
                if (scale != 1f) TensorPrimitives.Multiply(dst, scale, dst);
            }
        });
        return Graph.Record(y, [x], g =>
        {
            float[] gs = g.Storage, gx = x.GradStorage();
            ComputeThreads.For(outer, Math.Max(1, 4096 / Math.Max(1, d * inner)), (s, e) =>
            {
                for (int o = s; o < e; o++)
                {
                    var src = gs.AsSpan(o * inner, inner);
                    for (int k = 0; k < d; k++)
                    {
                        var dst = gx.AsSpan((o * d + k) * inner, inner);
                        TensorPrimitives.MultiplyAdd(src, scale, dst, dst);
                    }
                }
            });
        });
    }

    /// <summary>Maximum along <paramref name="axis"/>; ties go to the first index.</summary>
    public static Tensor Max(Tensor x, int axis, bool keepDim = false) => Max(x, axis, out _, keepDim);

    /// <summary>Maximum along <paramref name="axis"/> and the arg-max (index along the axis) of each slice.</summary>
    public static Tensor Max(Tensor x, int axis, out int[] argMax, bool keepDim = false)
    {
        var (outer, d, inner, shape) = View(x, axis, keepDim);
        if (d == 0) throw new ArgumentException($"Max: axis {axis} of {Tensor.ShapeString(x.Shape)} is empty");
        var y = Tensor.Empty(shape);
        var arg = new int[outer * inner];
        float[] xs = x.Storage, ys = y.Storage;
        ComputeThreads.For(outer, Math.Max(1, 4096 / Math.Max(1, d * inner)), (s, e) =>
        {
            for (int o = s; o < e; o++)
            {
                for (int i = 0; i < inner; i++)
                {
                    int best = 0;
                    float bv = xs[o * d * inner + i];
                    for (int k = 1; k < d; k++)
                    {
                        float v = xs[(o * d + k) * inner + i];
                        if (v > bv || (float.IsNaN(v) && !float.IsNaN(bv))) { bv = v; best = k; }
                    }
                    ys[o * inner + i] = bv;
                    arg[o * inner + i] = best;
                }
            }
        });
        argMax = arg;
        return Graph.Record(y, [x], g =>
        {
            var gx = x.GradBuffer();
            var gd = g.Data;
            for (int o = 0; o < outer; o++)
                for (int i = 0; i < inner; i++)
                    gx[(o * d + arg[o * inner + i]) * inner + i] += gd[o * inner + i];
        });
    }

    /// <summary>Index of the maximum along the last axis for every row (first on ties); not differentiable.
    /// The usual way to turn logits [N, C] into predicted labels.</summary>
    public static int[] ArgMax(Tensor x)
    {
        if (x.Rank == 0 || x.Dim(-1) == 0) throw new ArgumentException($"ArgMax: expected a non-empty last axis, got {Tensor.ShapeString(x.Shape)}");
        int cols = x.Dim(-1), rows = x.Length / cols;
        var result = new int[rows];
        float[] xs = x.Storage;
        ComputeThreads.For(rows, Math.Max(1, 8192 / cols), (s, e) =>
        {
            for (int r = s; r < e; r++) result[r] = TensorPrimitives.IndexOfMax(xs.AsSpan(r * cols, cols));
        });
        return result;
    }

    internal static (int Outer, int D, int Inner, int[] Shape) View(Tensor x, int axis, bool keepDim)
    {
        int a = x.NormalizeAxis(axis);
        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= x.Dim(i);
        for (int i = a + 1; i < x.Rank; i++) inner *= x.Dim(i);
        var shape = new List<int>(x.Rank);
        for (int i = 0; i < x.Rank; i++)
        {
            if (i != a) shape.Add(x.Dim(i));
            else if (keepDim) shape.Add(1);
        }
        return (outer, x.Dim(a), inner, shape.ToArray());
    }
}
