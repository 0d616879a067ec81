using System.Numerics;
using System.Numerics.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Segment reductions: rows of x [M, C] grouped by an index vector (point → voxel, point → segment,
/// point → cluster) reduced to [S, C] by sum, mean or max. Rows with a negative segment id (e.g. −1,
/// "unlabelled") take part in no segment; empty segments give 0.
/// </summary>
/// <remarks>
/// Rows are grouped by segment with a stable counting sort (<see cref="RowGroups"/>); each thread owns a range
/// of segments, so results are deterministic. Backward: sum → ∂x[r] = G[seg r]; mean → G[seg r]/|seg|;
/// max → G routed to the arg-max row of each (segment, channel), first on ties.
/// </remarks>
public static class SegmentReductions
{
    /// <summary>y[s] = Σ_{r: seg[r]=s} x[r].</summary>
    public static Tensor Sum(Tensor x, int[] segments, int count) => IndexOps.ScatterAdd(x, segments, count);

    /// <summary>y[s] = mean of the rows in segment s (0 for an empty segment).</summary>
    public static Tensor Mean(Tensor x, int[] segments, int count)
    {
        var (rows, channels) = Validate(x, segments, "SegmentMean");
        var groups = RowGroups.Build(segments, count, "SegmentMean");
        var y = Tensor.Zeros(count, channels);
        float[] xs = x.Storage, ys = y.Storage;
        IndexOps.ScatterAddInto(xs, groups, channels, ys, count);
        for (int s = 0; s < count; s++)
        {
            int c = groups.Count(s);
            if (c > 1) TensorPrimitives.Multiply(ys.AsSpan(s * channels, channels), 1f / c, ys.AsSpan(s * channels, channels));
        }
        return Graph.Record(y, [x], g =>
        {
            float[] gs = g.Storage, gx = x.GradStorage();
            ComputeThreads.For(rows, Math.Max(1, 16384 / Math.Max(1, channels)), (a, b) =>
            {
                for (int r = a; r < b; r++)
                {
                    int s = segments[r];
                    if (s < 0) continue;
                    var dst = gx.AsSpan(r * channels, channels);
                    TensorPrimitives.MultiplyAdd(gs.AsSpan(s * channels, channels), 1f / groups.Count(s), dst, dst);
                }
            });
        });
    }

    /// <summary>y[s, c] = max over rows r of segment s of x[r, c] (0 for an empty segment).</summary>
    public static Tensor Max(Tensor x, int[] segments, int count)
    {
        var (_, channels) = Validate(x, segments, "SegmentMax");
        var groups = RowGroups.Build(segments, count, "SegmentMax");
        var y = Tensor.Zeros(count, channels);
        var arg = new int[count * channels];
        float[] xs = x.Storage, ys = y.Storage;
        ComputeThreads.For(count, Math.Max(1, 16384 / Math.Max(1, channels)), (a, b) =>
        {
            for (int s = a; s < b; s++)
            {
                int start = groups.Offsets[s], end = groups.Offsets[s + 1];
                var dst = ys.AsSpan(s * channels, channels);
                var argRow = arg.AsSpan(s * channels, channels);
                if (start == end) { argRow.Fill(-1); continue; }
                int first = groups.Rows[start];
                xs.AsSpan(first * channels, channels).CopyTo(dst);
                argRow.Fill(first);
                for (int p = start + 1; p < end; p++)
                {
                    int r = groups.Rows[p];
                    MaxWithArg(xs.AsSpan(r * channels, channels), r, dst, argRow);
                }
            }
        });
        return Graph.Record(y, [x], g =>
        {
            var gx = x.GradBuffer();
            var gd = g.Data;
            // Each (segment, channel) routes to a distinct (row, channel): no two writes collide.
            for (int i = 0; i < arg.Length; i++)
                if (arg[i] >= 0) gx[arg[i] * channels + i % channels] += gd[i];
        });
    }

    /// <summary>dst = max(dst, src) and arg = r where src &gt; dst (strictly: the first row wins ties).</summary>
    /// <remarks>
    /// SIMD because which row wins is data-dependent and random, so the scalar branch mispredicts constantly.
    /// Float and int vectors have the same lane count, so the float comparison mask selects the arg-max lanes
    /// directly; the tail runs the scalar equivalent.
    /// </remarks>
    internal static void MaxWithArg(ReadOnlySpan<float> src, int row, Span<float> dst, Span<int> arg)
    {
        int c = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var rowV = new Vector<int>(row);
            for (; c <= src.Length - Vector<float>.Count; c += Vector<float>.Count)
            {
                var s = new Vector<float>(src[c..]);
                var d = new Vector<float>(dst[c..]);
                var gt = Vector.GreaterThan(s, d);
                Vector.ConditionalSelect(gt, s, d).CopyTo(dst[c..]);
                Vector.ConditionalSelect(gt, rowV, new Vector<int>(arg[c..])).CopyTo(arg[c..]);
            }
        }
        for (; c < src.Length; c++)
            if (src[c] > dst[c]) { dst[c] = src[c]; arg[c] = row; }
    }

    /// <summary>Number of rows in each segment (negative ids skipped).</summary>
    public static int[] Counts(ReadOnlySpan<int> segments, int count)
    {
        var counts = new int[count];
        foreach (int s in segments)
        {
            if (s < 0) continue;
            if (s >= count) throw new ArgumentOutOfRangeException(nameof(segments), $"Counts: segment id {s} is outside [0, {count})");
            counts[s]++;
        }
        return counts;
    }

    private static (int Rows, int Channels) Validate(Tensor x, int[] segments, string op)
    {
        ArgumentNullException.ThrowIfNull(segments);
        if (x.Rank != 2) throw new ArgumentException($"{op}: expected x [M,C], got {Tensor.ShapeString(x.Shape)}");
        if (x.Dim(0) != segments.Length) throw new ArgumentException($"{op}: {segments.Length} segment ids for {x.Dim(0)} rows");
        return (x.Dim(0), x.Dim(1));
    }
}
