using System.Numerics.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Element-wise arithmetic c = a ∘ b (∘ ∈ +, −, ×, ÷) with the broadcasts of <see cref="Broadcast"/>, and the
/// scalar forms. Forward loops are <see cref="TensorPrimitives"/> calls over contiguous segments.
/// </summary>
/// <remarks>
/// Backward (∂c/∂a, ∂c/∂b): + → (g, g); − → (g, −g); × → (g·b, g·a); ÷ → (g/b, −g·a/b²). A broadcast operand
/// receives the sum of its copies' gradients (<see cref="Broadcast.AccumulateReduced"/>).
/// </remarks>
public static class Elementwise
{
    internal enum Kind { Add, Subtract, Multiply, Divide }

    /// <summary>Large element-wise loops are split across threads in blocks of at least this many elements.</summary>
    internal const int ParallelBlock = 1 << 16;

    /// <summary>a + b.</summary>
    public static Tensor Add(Tensor a, Tensor b) => Binary(Kind.Add, a, b);

    /// <summary>a − b.</summary>
    public static Tensor Subtract(Tensor a, Tensor b) => Binary(Kind.Subtract, a, b);

    /// <summary>a × b (element-wise).</summary>
    public static Tensor Multiply(Tensor a, Tensor b) => Binary(Kind.Multiply, a, b);

    /// <summary>a ÷ b (element-wise).</summary>
    public static Tensor Divide(Tensor a, Tensor b) => Binary(Kind.Divide, a, b);

    private static Tensor Binary(Kind kind, Tensor a, Tensor b)
    {
        var plan = Broadcast.Plan(a, b, kind.ToString());
        var c = Tensor.Empty(plan.OutShape);
        float[] sa = a.Storage, sb = b.Storage, sc = c.Storage;
        int n = c.Length;
        switch (plan.Mode)
        {
            case BroadcastMode.Same:
                ComputeThreads.For(n, ParallelBlock, (s, e) => Segment(kind, sa.AsSpan(s, e - s), sb.AsSpan(s, e - s), sc.AsSpan(s, e - s)));
                break;
            case BroadcastMode.Tile:
            {
                int len = plan.SmallLength, rows = len == 0 ? 0 : n / len;
                float[] big = plan.AIsBig ? sa : sb, small = plan.AIsBig ? sb : sa;
                ComputeThreads.For(rows, Math.Max(1, ParallelBlock / Math.Max(1, len)), (s, e) =>
                {
                    for (int r = s; r < e; r++)
                    {
                        var bigRow = big.AsSpan(r * len, len);
                        var outRow = sc.AsSpan(r * len, len);
                        if (plan.AIsBig) Segment(kind, bigRow, small.AsSpan(0, len), outRow);
                        else Segment(kind, small.AsSpan(0, len), bigRow, outRow);
                    }
                });
                break;
            }
            default:
            {
                int block = plan.Block, count = plan.SmallLength;
                float[] big = plan.AIsBig ? sa : sb, small = plan.AIsBig ? sb : sa;
                ComputeThreads.For(count, Math.Max(1, ParallelBlock / Math.Max(1, block)), (s, e) =>
                {
                    for (int j = s; j < e; j++)
                    {
                        var bigBlock = big.AsSpan(j * block, block);
                        var outBlock = sc.AsSpan(j * block, block);
                        if (plan.AIsBig) SegmentScalarRight(kind, bigBlock, small[j], outBlock);
                        else SegmentScalarLeft(kind, small[j], bigBlock, outBlock);
                    }
                });
                break;
            }
        }
        if (!Graph.IsRecording([a, b])) return c;
        return Graph.Record(c, [a, b], g => BinaryBackward(kind, plan, a, b, c, g));
    }

    private static void BinaryBackward(Kind kind, Broadcast plan, Tensor a, Tensor b, Tensor c, Tensor g)
    {
        bool aFullShape = plan.AIsBig || plan.Mode == BroadcastMode.Same;
        bool bFullShape = !plan.AIsBig || plan.Mode == BroadcastMode.Same;
        Tensor? aExpanded = null, bExpanded = null, scratch = null;
        try
        {
            // Full-shape views of a and b: the tensor itself, or the small operand materialized (only when needed).
            ReadOnlySpan<float> Full(Tensor t, bool fullShape, ref Tensor? cache)
            {
                if (fullShape) return t.Data;
                cache ??= Tensor.Empty(plan.OutShape).DetachFromScope();
                plan.Materialize(t.Data, cache.Data);
                return cache.Data;
            }

            Span<float> Scratch() => (scratch ??= Tensor.Empty(plan.OutShape).DetachFromScope()).Data;

            // Adds a full-shape partial gradient into t's gradient, summing broadcast copies for a small operand.
            void Into(Tensor t, bool fullShape, ReadOnlySpan<float> partial)
            {
                if (fullShape)
                {
                    t.AccumulateGrad(partial);
                    return;
                }
                plan.AccumulateReduced(partial, t.GradBuffer());
            }

            if (a.RequiresGrad)
            {
                var ga = aFullShape ? a.GradBuffer() : default;
                switch (kind)
                {
                    case Kind.Add:
                    case Kind.Subtract:
                        Into(a, aFullShape, g.Data);
                        break;
                    case Kind.Multiply:
                        if (aFullShape) TensorPrimitives.MultiplyAdd(g.Data, Full(b, bFullShape, ref bExpanded), ga, ga);
                        else { TensorPrimitives.Multiply(g.Data, Full(b, bFullShape, ref bExpanded), Scratch()); Into(a, false, Scratch()); }
                        break;
                    default:
                        TensorPrimitives.Divide(g.Data, Full(b, bFullShape, ref bExpanded), Scratch());
                        Into(a, aFullShape, Scratch());
                        break;
                }
            }
            if (b.RequiresGrad)
            {
                var gb = bFullShape ? b.GradBuffer() : default;
                switch (kind)
                {
                    case Kind.Add:
                        Into(b, bFullShape, g.Data);
                        break;
                    case Kind.Subtract:
                        if (bFullShape) TensorPrimitives.Subtract(gb, g.Data, gb);
                        else { TensorPrimitives.Negate(g.Data, Scratch()); Into(b, false, Scratch()); }
                        break;
                    case Kind.Multiply:
                        if (bFullShape) TensorPrimitives.MultiplyAdd(g.Data, Full(a, aFullShape, ref aExpanded), gb, gb);
                        else { TensorPrimitives.Multiply(g.Data, Full(a, aFullShape, ref aExpanded), Scratch()); Into(b, false, Scratch()); }
                        break;
                    default:
                        // ∂b = −g·a/b² = −g·c/b
                        var s = Scratch();
                        TensorPrimitives.Multiply(g.Data, c.Data, s);
                        TensorPrimitives.Divide(s, Full(b, bFullShape, ref bExpanded), s);
                        TensorPrimitives.Negate(s, s);
                        Into(b, bFullShape, s);
                        break;
                }
            }
        }
        finally
        {
            aExpanded?.Dispose();
            bExpanded?.Dispose();
            scratch?.Dispose();
        }
    }

    private static void Segment(Kind kind, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (kind)
        {
            case Kind.Add: TensorPrimitives.Add(x, y, d); break;
            case Kind.Subtract: TensorPrimitives.Subtract(x, y, d); break;
            case Kind.Multiply: TensorPrimitives.Multiply(x, y, d); break;
            default: TensorPrimitives.Divide(x, y, d); break;
        }
    }

    private static void SegmentScalarRight(Kind kind, ReadOnlySpan<float> x, float y, Span<float> d)
    {
        switch (kind)
        {
            case Kind.Add: TensorPrimitives.Add(x, y, d); break;
            case Kind.Subtract: TensorPrimitives.Subtract(x, y, d); break;
            case Kind.Multiply: TensorPrimitives.Multiply(x, y, d); break;
            default: TensorPrimitives.Divide(x, y, d); break;
        }
    }

    private static void SegmentScalarLeft(Kind kind, float x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (kind)
        {
            case Kind.Add: TensorPrimitives.Add(y, x, d); break;
            case Kind.Subtract: TensorPrimitives.Subtract(x, y, d); break;
            case Kind.Multiply: TensorPrimitives.Multiply(y, x, d); break;
            default: TensorPrimitives.Divide(x, y, d); break;
        }
    }

    /// <summary>a + s.</summary>
    public static Tensor AddScalar(Tensor a, float s)
    {
        var c = Map(a, (x, d) => TensorPrimitives.Add(x, s, d));
        return Graph.Record(c, [a], g => a.AccumulateGrad(g.Data));
    }

    /// <summary>a × s.</summary>
    public static Tensor MultiplyScalar(Tensor a, float s)
    {
        var c = Map(a, (x, d) => TensorPrimitives.Multiply(x, s, d));
        return Graph.Record(c, [a], g =>
        {
            var ga = a.GradBuffer();
            TensorPrimitives.MultiplyAdd(g.Data, s, ga, ga);
        });
    }

    /// <summary>s − a.</summary>
    public static Tensor ScalarSubtract(float s, Tensor a)
    {
        var c = Map(a, (x, d) => TensorPrimitives.Subtract(s, x, d));
        return Graph.Record(c, [a], g =>
        {
            var ga = a.GradBuffer();
            TensorPrimitives.Subtract(ga, g.Data, ga);
        });
    }

    /// <summary>−a.</summary>
    public static Tensor Negate(Tensor a) => MultiplyScalar(a, -1f);

    /// <summary>Applies a span kernel over <paramref name="a"/> in parallel blocks, returning a new tensor.</summary>
    internal static Tensor Map(Tensor a, SpanMap kernel)
    {
        var c = Tensor.Empty(a.Shape);
        float[] sa = a.Storage, sc = c.Storage;
        ComputeThreads.For(a.Length, ParallelBlock, (s, e) => kernel(sa.AsSpan(s, e - s), sc.AsSpan(s, e - s)));
        return c;
    }

    internal delegate void SpanMap(ReadOnlySpan<float> x, Span<float> destination);
}
