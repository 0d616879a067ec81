using System.Numerics.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// EdgeConv edge features (Wang et al., "Dynamic Graph CNN for Learning on Point Clouds", TOG 2019, Eq. 7 with
/// h(xᵢ, xⱼ − xᵢ)): for x [N, C] and the k neighbours of each point (row-major [N·k]), y [N, k, 2C] with
/// y[i, j] = (x[nbr(i,j)] − x[i], x[i]). A max over the k axis afterwards gives the EdgeConv output.
/// </summary>
/// <remarks>
/// Backward with G = [G⁻ | G⁺] split at C: ∂x[nbr(i,j)] += G⁻[i,j] (a scatter grouped by neighbour, so each
/// thread owns its target rows) and ∂x[i] += Σⱼ (G⁺[i,j] − G⁻[i,j]) (each thread owns rows i), run one after
/// the other: deterministic.
/// </remarks>
public static class EdgeFeatures
{
    /// <summary>Builds the [N, k, 2C] edge features.</summary>
    public static Tensor Forward(Tensor x, int[] neighbors, int k)
    {
        ArgumentNullException.ThrowIfNull(neighbors);
        if (x.Rank != 2) throw new ArgumentException($"EdgeFeatures: expected x [N,C], got {Tensor.ShapeString(x.Shape)}");
        int n = x.Dim(0), c = x.Dim(1);
        if (k <= 0 || neighbors.Length != n * k) throw new ArgumentException($"EdgeFeatures: expected {n}·{k} neighbour indices, got {neighbors.Length}");
        for (int p = 0; p < neighbors.Length; p++)
            if ((uint)neighbors[p] >= (uint)n) throw new ArgumentOutOfRangeException(nameof(neighbors), $"EdgeFeatures: neighbors[{p}] = {neighbors[p]} is outside [0, {n})");
        var y = Tensor.Empty(n, k, 2 * c);
        float[] xs = x.Storage, ys = y.Storage;
        ComputeThreads.For(n, Math.Max(1, 8192 / Math.Max(1, k * c)), (s, e) =>
        {
            for (int i = s; i < e; i++)
            {
                var xi = xs.AsSpan(i * c, c);
                for (int j = 0; j < k; j++)
                {
                    int off = (i * k + j) * 2 * c;
                    TensorPrimitives.Subtract(xs.AsSpan(neighbors[i * k + j] * c, c), xi, ys.AsSpan(off, c));
                    xi.CopyTo(ys.AsSpan(off + c, c));
                }
            }
        });
        return Graph.Record(y, [x], g =>
        {
            float[] gs = g.Storage, gx = x.GradStorage();
            var groups = RowGroups.Build(neighbors, n, "EdgeFeatures");
            ComputeThreads.For(n, Math.Max(1, 8192 / Math.Max(1, k * c)), (s, e) =>
            {
                for (int t = s; t < e; t++)
                {
                    var dst = gx.AsSpan(t * c, c);
                    for (int q = groups.Offsets[t]; q < groups.Offsets[t + 1]; q++)
                        TensorPrimitives.Add(dst, gs.AsSpan(groups.Rows[q] * 2 * c, c), dst);
                }
            });
            ComputeThreads.For(n, Math.Max(1, 8192 / Math.Max(1, k * c)), (s, e) =>
            {
                for (int i = s; i < e; i++)
                {
                    var dst = gx.AsSpan(i * c, c);
                    for (int j = 0; j < k; j++)
                    {
                        int off = (i * k + j) * 2 * c;
                        TensorPrimitives.Add(dst, gs.AsSpan(off + c, c), dst);
                        TensorPrimitives.Subtract(dst, gs.AsSpan(off, c), dst);
                    }
                }
            });
        });
    }
}
