using System.Numerics.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Kernels;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Pairwise squared Euclidean distances D[i, j] = ‖aᵢ − bⱼ‖² = ‖aᵢ‖² + ‖bⱼ‖² − 2⟨aᵢ, bⱼ⟩ for a [N, C], b [M, C],
/// the cross term by one GEMM (as DGCNN's knn does). Values are clamped at 0 against cancellation.
/// </summary>
/// <remarks>Backward: ∂aᵢ = 2(aᵢ·Σⱼ Gᵢⱼ − (G·b)ᵢ), ∂bⱼ = 2(bⱼ·Σᵢ Gᵢⱼ − (Gᵀ·a)ⱼ).</remarks>
public static class PairwiseDistance
{
    /// <summary>[N, M] squared distances between the rows of a and b.</summary>
    public static Tensor Squared(Tensor a, Tensor b)
    {
        if (a.Rank != 2 || b.Rank != 2 || a.Dim(1) != b.Dim(1))
            throw new ArgumentException($"PairwiseDistance: expected [N,C] and [M,C], got {Tensor.ShapeString(a.Shape)} and {Tensor.ShapeString(b.Shape)}");
        int n = a.Dim(0), m = b.Dim(0), c = a.Dim(1);
        var d = Tensor.Empty(n, m);
        float[] ad = a.Storage, bd = b.Storage, dd = d.Storage;
        var bNorm = new float[m];
        for (int j = 0; j < m; j++) bNorm[j] = TensorPrimitives.Dot(bd.AsSpan(j * c, c), bd.AsSpan(j * c, c));
        Gemm.Multiply(false, true, n, m, c, -2f, a.Data, c, b.Data, c, 0f, d.Data, m);
        if (c == 0) d.Data.Clear();
        ComputeThreads.For(n, Math.Max(1, 16384 / Math.Max(1, m)), (s, e) =>
        {
            for (int i = s; i < e; i++)
            {
                float an = TensorPrimitives.Dot(ad.AsSpan(i * c, c), ad.AsSpan(i * c, c));
                var row = dd.AsSpan(i * m, m);
                TensorPrimitives.Add(row, bNorm, row);
                TensorPrimitives.Add(row, an, row);
                TensorPrimitives.Max(row, 0f, row);
            }
        });
        return Graph.Record(d, [a, b], g =>
        {
            var gd = g.Data;
            if (a.RequiresGrad)
            {
                var ga = a.GradBuffer();
                Gemm.Multiply(false, false, n, c, m, -2f, gd, m, b.Data, c, 1f, ga, c);
                for (int i = 0; i < n; i++)
                    TensorPrimitives.MultiplyAdd(a.Data.Slice(i * c, c), 2f * TensorPrimitives.Sum(gd.Slice(i * m, m)), ga.Slice(i * c, c), ga.Slice(i * c, c));
            }
            if (b.RequiresGrad)
            {
                var gb = b.GradBuffer();
                Gemm.Multiply(true, false, m, c, n, -2f, gd, m, a.Data, c, 1f, gb, c);
                var colSum = new float[m];
                for (int i = 0; i < n; i++) TensorPrimitives.Add(colSum, gd.Slice(i * m, m), colSum);
                for (int j = 0; j < m; j++)
                    TensorPrimitives.MultiplyAdd(b.Data.Slice(j * c, c), 2f * colSum[j], gb.Slice(j * c, c), gb.Slice(j * c, c));
            }
        });
    }
}
