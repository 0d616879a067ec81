using Clickscape.Tensors.Autograd;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Shape operations: reshape, concatenation and slicing along an axis, 2-D transpose. Along an axis the
/// tensor is viewed as [outer, d, inner], so one contiguous block of d·inner elements per outer index moves.
/// </summary>
/// <remarks>Backward copies the gradient blocks back (concat ↔ slice are each other's adjoint).</remarks>
public static class Shape
{
    /// <summary>Same elements, new shape (a copy; tensors are always contiguous). One dimension may be −1.</summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var s = (int[])shape.Clone();
        int unknown = Array.IndexOf(s, -1);
        if (unknown >= 0)
        {
            long known = 1;
            for (int i = 0; i < s.Length; i++) if (i != unknown) known *= s[i];
            s[unknown] = known == 0 ? 0 : (int)(x.Length / known);
        }
        if (Tensor.ShapeLength(s) != x.Length)
            throw new ArgumentException($"Reshape: cannot view {Tensor.ShapeString(x.Shape)} ({x.Length} elements) as {Tensor.ShapeString(shape)}");
        var y = Tensor.Empty(s);
        x.Data.CopyTo(y.Data);
        return Graph.Record(y, [x], g => x.AccumulateGrad(g.Data));
    }

    /// <summary>Concatenates tensors that agree on every dimension but <paramref name="axis"/>.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> parts, int axis)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("Concat: no tensors given");
        var first = parts[0];
        int a = first.NormalizeAxis(axis);
        var shape = first.ShapeArray();
        int total = 0;
        foreach (var p in parts)
        {
            if (p.Rank != first.Rank) throw new ArgumentException($"Concat: ranks differ ({Tensor.ShapeString(first.Shape)} vs {Tensor.ShapeString(p.Shape)})");
            for (int i = 0; i < p.Rank; i++)
                if (i != a && p.Dim(i) != first.Dim(i)) throw new ArgumentException($"Concat along axis {a}: {Tensor.ShapeString(first.Shape)} and {Tensor.ShapeString(p.Shape)} differ in dimension {i}");
            total += p.Dim(a);
        }
        shape[a] = total;
        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= shape[i];
        for (int i = a + 1; i < shape.Length; i++) inner *= shape[i];
        var y = Tensor.Empty(shape);
        var yd = y.Data;
        int rowOut = total * inner, offset = 0;
        var offsets = new int[parts.Count];
        for (int pi = 0; pi < parts.Count; pi++)
        {
            var p = parts[pi];
            int block = p.Dim(a) * inner;
            offsets[pi] = offset;
            var pd = p.Data;
            for (int o = 0; o < outer; o++) pd.Slice(o * block, block).CopyTo(yd.Slice(o * rowOut + offset, block));
            offset += block;
        }
        var inputs = parts.ToArray();
        return Graph.Record(y, inputs, g =>
        {
            var gd = g.Data;
            for (int pi = 0; pi < inputs.Length; pi++)
            {
                var p = inputs[pi];
                if (!p.RequiresGrad) continue;
                int block = p.Dim(a) * inner;
                var gp = p.GradBuffer();
                for (int o = 0; o < outer; o++)
                    System.Numerics.Tensors.TensorPrimitives.Add(gp.Slice(o * block, block), gd.Slice(o * rowOut + offsets[pi], block), gp.Slice(o * block, block));
            }
        });
    }

    /// <summary>Elements [start, start+length) along <paramref name="axis"/>.</summary>
    public static Tensor Slice(Tensor x, int axis, int start, int length)
    {
        int a = x.NormalizeAxis(axis);
        int d = x.Dim(a);
        if (start < 0 || length < 0 || start + length > d)
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice: [{start}, {start + length}) is outside axis {a} of size {d} in {Tensor.ShapeString(x.Shape)}");
        var shape = x.ShapeArray();
        shape[a] = length;
        int outer = 1, inner = 1;
        for (int i = 0; i < a; i++) outer *= shape[i];
        for (int i = a + 1; i < shape.Length; i++) inner *= shape[i];
        int block = length * inner, rowIn = d * inner, off = start * inner;
        var y = Tensor.Empty(shape);
        var xd = x.Data;
        var yd = y.Data;
        for (int o = 0; o < outer; o++) xd.Slice(o * rowIn + off, block).CopyTo(yd.Slice(o * block, block));
        return Graph.Record(y, [x], g =>
        {
            var gx = x.GradBuffer();
            var gd = g.Data;
            for (int o = 0; o < outer; o++)
                System.Numerics.Tensors.TensorPrimitives.Add(gx.Slice(o * rowIn + off, block), gd.Slice(o * block, block), gx.Slice(o * rowIn + off, block));
        });
    }

    /// <summary>Transpose of a 2-D tensor.</summary>
    public static Tensor Transpose(Tensor x)
    {
        if (x.Rank != 2) throw new ArgumentException($"Transpose: expected a 2-D tensor, got {Tensor.ShapeString(x.Shape)}");
        int r = x.Dim(0), c = x.Dim(1);
        var y = Tensor.Empty(c, r);
        Transpose(x.Data, y.Data, r, c);
        return Graph.Record(y, [x], g =>
        {
            var gx = x.GradBuffer();
            var gd = g.Data;
            for (int i = 0; i < r; i++)
                for (int j = 0; j < c; j++) gx[i * c + j] += gd[j * r + i];
        });
    }

    private static void Transpose(ReadOnlySpan<float> src, Span<float> dst, int rows, int cols)
    {
        // Blocked so both the reads and the writes stay within a few cache lines per block.
        const int B = 32;
        for (int i0 = 0; i0 < rows; i0 += B)
            for (int j0 = 0; j0 < cols; j0 += B)
                for (int i = i0; i < Math.Min(rows, i0 + B); i++)
                    for (int j = j0; j < Math.Min(cols, j0 + B); j++) dst[j * rows + i] = src[i * cols + j];
    }
}
