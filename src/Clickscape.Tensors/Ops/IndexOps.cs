using System.Numerics.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Row gather (index select) y[i] = x[index[i]] and its adjoint, row scatter-add y[index[i]] += x[i].
/// Rows are the first axis; a row is everything after it. kNN feature gather for EdgeConv is a gather
/// with an [N·k] index reshaped to [N, k, C].
/// </summary>
/// <remarks>
/// Gather is parallel over output rows directly. Scatter-add (and gather's backward) first groups source
/// rows by target (<see cref="RowGroups"/>), then each thread owns a range of target rows: deterministic,
/// no atomic or racing adds.
/// </remarks>
public static class IndexOps
{
    /// <summary>y[i] = x[index[i]]: shape [index.Length, …x.Shape[1..]].</summary>
    public static Tensor IndexSelect(Tensor x, int[] index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var shape = x.ShapeArray();
        shape[0] = index.Length;
        return Gather(x, index, shape, "IndexSelect");
    }

    /// <summary>
    /// EdgeConv neighbour features: x [N, C] and the k nearest neighbours of every row (row-major [N·k])
    /// → [N, k, C] with y[i, j] = x[neighbors[i·k + j]] (Wang et al., "Dynamic Graph CNN", 2019).
    /// </summary>
    public static Tensor KnnGather(Tensor x, int[] neighbors, int k)
    {
        ArgumentNullException.ThrowIfNull(neighbors);
        if (x.Rank != 2) throw new ArgumentException($"KnnGather: expected x [N,C], got {Tensor.ShapeString(x.Shape)}");
        if (k <= 0 || neighbors.Length % k != 0) throw new ArgumentException($"KnnGather: {neighbors.Length} neighbour indices are not a multiple of k = {k}");
        return Gather(x, neighbors, [neighbors.Length / k, k, x.Dim(1)], "KnnGather");
    }

    private static Tensor Gather(Tensor x, int[] index, int[] shape, string op)
    {
        if (x.Rank == 0) throw new ArgumentException($"{op}: expected at least one axis");
        int n = x.Dim(0), row = 1;
        for (int i = 1; i < x.Rank; i++) row *= x.Dim(i);
        for (int i = 0; i < index.Length; i++)
            if ((uint)index[i] >= (uint)n) throw new ArgumentOutOfRangeException(nameof(index), $"{op}: index[{i}] = {index[i]} is outside [0, {n})");
        var y = Tensor.Empty(shape);
        float[] xs = x.Storage, ys = y.Storage;
        ComputeThreads.For(index.Length, Math.Max(1, 16384 / Math.Max(1, row)), (s, e) =>
        {
            for (int i = s; i < e; i++) Array.Copy(xs, index[i] * row, ys, i * row, row);
        });
        if (!Graph.IsRecording([x])) return y;
        return Graph.Record(y, [x], g =>
        {
            var groups = RowGroups.Build(index, n, op);
            ScatterAddInto(g.Storage, groups, row, x.GradStorage(), n);
        });
    }

    /// <summary>y[index[i]] += x[i] over rows, y with <paramref name="rows"/> rows (zeros where nothing lands).
    /// Negative indices are skipped.</summary>
    public static Tensor ScatterAdd(Tensor x, int[] index, int rows)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (x.Rank == 0 || x.Dim(0) != index.Length)
            throw new ArgumentException($"ScatterAdd: {index.Length} indices for a tensor with {(x.Rank == 0 ? 0 : x.Dim(0))} rows");
        var shape = x.ShapeArray();
        shape[0] = rows;
        int row = 1;
        for (int i = 1; i < shape.Length; i++) row *= shape[i];
        var groups = RowGroups.Build(index, rows, "ScatterAdd");
        var y = Tensor.Empty(shape);
        y.Data.Clear();
        ScatterAddInto(x.Storage, groups, row, y.Storage, rows);
        return Graph.Record(y, [x], g =>
        {
            float[] gs = g.Storage, gx = x.GradStorage();
            ComputeThreads.For(index.Length, Math.Max(1, 16384 / Math.Max(1, row)), (s, e) =>
            {
                for (int i = s; i < e; i++)
                {
                    if (index[i] < 0) continue;
                    var dst = gx.AsSpan(i * row, row);
                    TensorPrimitives.Add(dst, gs.AsSpan(index[i] * row, row), dst);
                }
            });
        });
    }

    /// <summary>dst[t] += Σ_{r in group t} src[r], parallel over target rows t.</summary>
    internal static void ScatterAddInto(float[] src, RowGroups groups, int row, float[] dst, int targets)
    {
        ComputeThreads.For(targets, Math.Max(1, 16384 / Math.Max(1, row)), (s, e) =>
        {
            for (int t = s; t < e; t++)
            {
                var d = dst.AsSpan(t * row, row);
                for (int p = groups.Offsets[t]; p < groups.Offsets[t + 1]; p++)
                    TensorPrimitives.Add(d, src.AsSpan(groups.Rows[p] * row, row), d);
            }
        });
    }
}
