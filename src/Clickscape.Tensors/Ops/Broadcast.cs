namespace Clickscape.Tensors.Ops;

/// <summary>
/// The broadcasts element-wise operations support — exactly the ones the models need — and the two
/// loops that move between a small operand and the full output shape.
/// </summary>
/// <remarks>
/// One operand is "big" (its shape is the output shape); the other is the same shape, or:
/// <list type="bullet">
/// <item><description><b>Tile</b>: its shape (after dropping leading 1s) equals the TRAILING dimensions of the big
/// one, e.g. a bias row [C] added to [N,C]; it repeats every <c>small.Length</c> elements.</description></item>
/// <item><description><b>Expand</b>: same rank, its shape (after dropping trailing 1s) equals the LEADING
/// dimensions of the big one, e.g. a per-row scale [N,1] with [N,C], or a one-element scalar; element j covers the contiguous
/// block [j·Block, (j+1)·Block).</description></item>
/// </list>
/// </remarks>
internal readonly record struct Broadcast(int[] OutShape, bool AIsBig, BroadcastMode Mode, int SmallLength)
{
    internal int BigLength => (int)Tensor.ShapeLength(OutShape);

    internal int Block => SmallLength == 0 ? 0 : BigLength / SmallLength;

    internal static Broadcast Plan(Tensor a, Tensor b, string op)
    {
        if (a.SameShape(b)) return new(a.ShapeArray(), true, BroadcastMode.Same, a.Length);
        bool aBig = a.Length > b.Length || (a.Length == b.Length && a.Rank >= b.Rank);
        var big = aBig ? a : b;
        var small = aBig ? b : a;
        var mode = Classify(big.Shape, small.Shape);
        if (mode is null)
            throw new ArgumentException($"{op}: cannot broadcast {Tensor.ShapeString(a.Shape)} with {Tensor.ShapeString(b.Shape)} (supported: equal shapes, a scalar, a trailing-dimension row like [C] with [N,C], a leading-dimension column like [N,1] with [N,C])");
        return new(big.ShapeArray(), aBig, mode.Value, small.Length);
    }

    private static BroadcastMode? Classify(ReadOnlySpan<int> big, ReadOnlySpan<int> small)
    {
        if (Tensor.ShapeLength(small) == Tensor.ShapeLength(big) && Tensor.ShapeLength(small) <= 1) return BroadcastMode.Same;
        if (Tensor.ShapeLength(small) == 1) return BroadcastMode.Expand;
        var lead = small;
        while (lead.Length > 0 && lead[0] == 1) lead = lead[1..];
        if (lead.Length <= big.Length && big[(big.Length - lead.Length)..].SequenceEqual(lead)) return BroadcastMode.Tile;
        // Same rank, leading dims equal, the rest 1 (numpy would broadcast it the same way).
        if (small.Length != big.Length) return null;
        var trail = small;
        while (trail.Length > 0 && trail[^1] == 1) trail = trail[..^1];
        if (big[..trail.Length].SequenceEqual(trail)) return BroadcastMode.Expand;
        return null;
    }

    /// <summary>Writes the small operand repeated to the full output shape.</summary>
    internal void Materialize(ReadOnlySpan<float> small, Span<float> full)
    {
        switch (Mode)
        {
            case BroadcastMode.Same:
                small.CopyTo(full);
                break;
            case BroadcastMode.Tile:
                for (int r = 0; r < full.Length; r += SmallLength) small.CopyTo(full.Slice(r, SmallLength));
                break;
            default:
                int block = Block;
                for (int j = 0; j < SmallLength; j++) full.Slice(j * block, block).Fill(small[j]);
                break;
        }
    }

    /// <summary>Adds a full-shape gradient into the small operand's gradient, summing over the broadcast copies
    /// (the adjoint of <see cref="Materialize"/>).</summary>
    internal void AccumulateReduced(ReadOnlySpan<float> full, Span<float> smallGrad)
    {
        switch (Mode)
        {
            case BroadcastMode.Same:
                System.Numerics.Tensors.TensorPrimitives.Add(smallGrad, full, smallGrad);
                break;
            case BroadcastMode.Tile:
                for (int r = 0; r < full.Length; r += SmallLength)
                    System.Numerics.Tensors.TensorPrimitives.Add(smallGrad, full.Slice(r, SmallLength), smallGrad);
                break;
            default:
                int block = Block;
                for (int j = 0; j < SmallLength; j++) smallGrad[j] += System.Numerics.Tensors.TensorPrimitives.Sum(full.Slice(j * block, block));
                break;
        }
    }
}

internal enum BroadcastMode
{
    Same,
    Tile,
    Expand,
}
