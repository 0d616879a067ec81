using System.Numerics.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Kernels;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Matrix products through <see cref="Gemm.Multiply"/>: C = op(A)·op(B), and the fused affine map of a
/// linear layer y = x·Wᵀ + b.
/// </summary>
/// <remarks>
/// Backward of C = op(A)·op(B) with G = ∂L/∂C: ∂L/∂op(A) = G·op(B)ᵀ and ∂L/∂op(B) = op(A)ᵀ·G; when A (or B)
/// is stored transposed the same products are formed transposed. Every gradient product is one more GEMM
/// with beta = 1, accumulating straight into the gradient buffer.
/// </remarks>
public static class MatMul
{
    /// <summary>op(a)·op(b) for 2-D tensors; op is a transpose when the flag is set.</summary>
    public static Tensor Multiply(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        if (a.Rank != 2 || b.Rank != 2) throw new ArgumentException($"MatMul: expected 2-D tensors, got {Tensor.ShapeString(a.Shape)} and {Tensor.ShapeString(b.Shape)}");
        int m = transposeA ? a.Dim(1) : a.Dim(0), k = transposeA ? a.Dim(0) : a.Dim(1);
        int kb = transposeB ? b.Dim(1) : b.Dim(0), n = transposeB ? b.Dim(0) : b.Dim(1);
        if (k != kb) throw new ArgumentException($"MatMul: inner dimensions differ: op(A) is {m}×{k}, op(B) is {kb}×{n}");
        int lda = a.Dim(1), ldb = b.Dim(1);
        var c = Tensor.Empty(m, n);
        Gemm.Multiply(transposeA, transposeB, m, n, k, 1f, a.Data, lda, b.Data, ldb, 0f, c.Data, n);
        if (k == 0) c.Data.Clear();
        return Graph.Record(c, [a, b], g =>
        {
            if (a.RequiresGrad)
            {
                if (!transposeA) Gemm.Multiply(false, !transposeB, m, k, n, 1f, g.Data, n, b.Data, ldb, 1f, a.GradBuffer(), k);
                else Gemm.Multiply(transposeB, true, k, m, n, 1f, b.Data, ldb, g.Data, n, 1f, a.GradBuffer(), m);
            }
            if (b.RequiresGrad)
            {
                if (!transposeB) Gemm.Multiply(!transposeA, false, k, n, m, 1f, a.Data, lda, g.Data, n, 1f, b.GradBuffer(), n);
                else Gemm.Multiply(true, transposeA, n, k, m, 1f, g.Data, n, a.Data, lda, 1f, b.GradBuffer(), k);
            }
        });
    }

    /// <summary>
    /// y = x·Wᵀ + b for x [N, in], W [out, in] (PyTorch's layout, so checkpoints interchange), b [out] or null.
    /// Backward: ∂x = G·W, ∂W = Gᵀ·x, ∂b = column sums of G.
    /// </summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        if (x.Rank != 2 || weight.Rank != 2 || x.Dim(1) != weight.Dim(1))
            throw new ArgumentException($"Linear: expected x [N,in] and weight [out,in], got {Tensor.ShapeString(x.Shape)} and {Tensor.ShapeString(weight.Shape)}");
        int rows = x.Dim(0), inF = x.Dim(1), outF = weight.Dim(0);
        if (bias is not null && (bias.Length != outF))
            throw new ArgumentException($"Linear: bias {Tensor.ShapeString(bias.Shape)} does not match {outF} output features");
        var y = Tensor.Empty(rows, outF);
        var yd = y.Data;
        if (bias is not null)
            for (int r = 0; r < rows; r++) bias.Data.CopyTo(yd.Slice(r * outF, outF));
        Gemm.Multiply(false, true, rows, outF, inF, 1f, x.Data, inF, weight.Data, inF, bias is null ? 0f : 1f, yd, outF);
        if (inF == 0 && bias is null) yd.Clear();
        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Graph.Record(y, inputs, g =>
        {
            if (x.RequiresGrad) Gemm.Multiply(false, false, rows, inF, outF, 1f, g.Data, outF, weight.Data, inF, 1f, x.GradBuffer(), inF);
            if (weight.RequiresGrad) Gemm.Multiply(true, false, outF, inF, rows, 1f, g.Data, outF, x.Data, inF, 1f, weight.GradBuffer(), inF);
            if (bias is not null && bias.RequiresGrad)
            {
                var gb = bias.GradBuffer();
                var gd = g.Data;
                for (int r = 0; r < rows; r++) TensorPrimitives.Add(gb, gd.Slice(r * outF, outF), gb);
            }
        });
    }
}
