using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Softmax and log-softmax along the last axis, computed stably per row: z − max(z), then exp and the
/// normalizer (log-sum-exp).
/// </summary>
/// <remarks>
/// Backward with G = ∂L/∂y per row: softmax ∂z = y ⊙ (G − ⟨G, y⟩); log-softmax ∂z = G − softmax(z)·ΣG.
/// </remarks>
public static class Softmax
{
    /// <summary>Softmax over the last axis.</summary>
    public static Tensor Forward(Tensor x)
    {
        var (rows, cols) = Rows(x);
        var y = Tensor.Empty(x.Shape);
        float[] xs = x.Storage, yStore = y.Storage;
        ComputeThreads.For(rows, RowBlock(cols), (s, e) =>
        {
            for (int r = s; r < e; r++) SoftmaxRow(xs.AsSpan(r * cols, cols), yStore.AsSpan(r * cols, cols));
        });
        return Graph.Record(y, [x], g =>
        {
            float[] gs = g.Storage, gx = x.GradStorage(), ys = y.Storage; // y.Storage throws if y was disposed
            ComputeThreads.For(rows, RowBlock(cols), (s, e) =>
            {
                Span<float> tmp = cols <= 1024 ? stackalloc float[cols] : new float[cols];
                for (int r = s; r < e; r++)
                {
                    var yr = ys.AsSpan(r * cols, cols);
                    var gr = gs.AsSpan(r * cols, cols);
                    var dst = gx.AsSpan(r * cols, cols);
                    float dot = TensorPrimitives.Dot(gr, yr);
                    TensorPrimitives.Subtract(gr, dot, tmp);
                    TensorPrimitives.MultiplyAdd(yr, tmp, dst, dst);
                }
            });
        });
    }

    /// <summary>Log-softmax over the last axis.</summary>
    public static Tensor Log(Tensor x)
    {
        var (rows, cols) = Rows(x);
        var y = Tensor.Empty(x.Shape);
        float[] xs = x.Storage, yStore = y.Storage;
        ComputeThreads.For(rows, RowBlock(cols), (s, e) =>
        {
            for (int r = s; r < e; r++) LogSoftmaxRow(xs.AsSpan(r * cols, cols), yStore.AsSpan(r * cols, cols));
        });
        return Graph.Record(y, [x], g =>
        {
            float[] gs = g.Storage, gx = x.GradStorage(), ys = y.Storage; // y.Storage throws if y was disposed
            ComputeThreads.For(rows, RowBlock(cols), (s, e) =>
            {
                Span<float> tmp = cols <= 1024 ? stackalloc float[cols] : new float[cols];
                for (int r = s; r < e; r++)
                {
                    var yr = ys.AsSpan(r * cols, cols);
                    var gr = gs.AsSpan(r * cols, cols);
                    var dst = gx.AsSpan(r * cols, cols);
                    float sum = TensorPrimitives.Sum(gr);
                    TensorPrimitives.Exp(yr, tmp);
                    TensorPrimitives.MultiplyAdd(tmp, -sum, dst, dst);
                    TensorPrimitives.Add(dst, gr, dst);
                }
            });
        });
    }

    /// <summary>y = softmax(z) for one row (z and y may alias).</summary>
    internal static void SoftmaxRow(ReadOnlySpan<float> z, Span<float> y)
    {
        if (z.Length == 0) return;
        float max = TensorPrimitives.Max(z);
        TensorPrimitives.Subtract(z, max, y);
        TensorPrimitives.Exp(y, y);
        float sum = TensorPrimitives.Sum(y);
        TensorPrimitives.Divide(y, sum, y);
    }

    /// <summary>y = log softmax(z) = z − max − ln Σ e^(z − max) for one row (z and y must not alias).</summary>
    internal static void LogSoftmaxRow(ReadOnlySpan<float> z, Span<float> y)
    {
        if (z.Length == 0) return;
        float max = TensorPrimitives.Max(z);
        // exp into y as scratch, then overwrite y with (z − max) − ln Σ; z is read again, so z and y must differ.
        TensorPrimitives.Subtract(z, max, y);
        TensorPrimitives.Exp(y, y);
        float logSum = MathF.Log(TensorPrimitives.Sum(y));
        if (Unsafe.AreSame(ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(y)))
            throw new ArgumentException("LogSoftmaxRow: z and y must not alias");
        // Two subtractions, not z − (max + logSum): at |z| ~ 1000 the float sum would lose logSum's low bits.
        TensorPrimitives.Subtract(z, max, y);
        TensorPrimitives.Subtract(y, logSum, y);
    }

    private static (int Rows, int Cols) Rows(Tensor x)
    {
        if (x.Rank == 0) throw new ArgumentException("Softmax: expected at least one axis");
        int cols = x.Dim(-1);
        return (cols == 0 ? 0 : x.Length / cols, cols);
    }

    private static int RowBlock(int cols) => Math.Max(1, 8192 / Math.Max(1, cols));
}
