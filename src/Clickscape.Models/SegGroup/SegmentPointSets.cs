using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Sampling;

namespace Clickscape.Models.SegGroup;

/// <summary>
/// The input of the structural grouping layer (SegGroup supplementary C; REFERENCE.md §4): every segment resampled to
/// a fixed number of points (64) — all its points tiled ⌊64/n⌋ times, the remaining 64 mod n by farthest-point sampling
/// (started from the point farthest from the segment's first point, as the public code's <c>skip_initial</c>) — then
/// centred on their mean and scaled by the largest |coordinate|, so only shape and colour remain; with the k = 10
/// nearest neighbours of every sampled point among its segment's samples (duplicates from tiling included).
/// </summary>
/// <param name="Features">Rows S·P × 6: x, y, z (normalized), r, g, b.</param>
/// <param name="Neighbors">Rows S·P × k: neighbour rows (global).</param>
/// <param name="PointsPerSegment">P.</param>
/// <param name="K">k.</param>
public sealed record SegmentPointSets(float[] Features, int[] Neighbors, int PointsPerSegment, int K)
{
    /// <summary>Channels per point.</summary>
    public const int Channels = 6;

    /// <summary>The sets of every segment of <paramref name="scene"/>.</summary>
    public static SegmentPointSets Build(SegGroupScene scene, int pointsPerSegment, int k)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentOutOfRangeException.ThrowIfLessThan(pointsPerSegment, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        int s = scene.SegmentCount, p = pointsPerSegment;
        k = Math.Min(k, p);
        var (offsets, points) = scene.SegmentPoints();
        var features = new float[s * p * Channels];
        var neighbors = new int[s * p * k];
        Parallel.For(0, s, new ParallelOptions { MaxDegreeOfParallelism = Tensors.Threading.ComputeThreads.Count }, seg =>
        {
            var members = points.AsSpan(offsets[seg], offsets[seg + 1] - offsets[seg]);
            var rows = Resample(scene.Positions, members, p);
            var xyz = new float[3 * p];
            double mx = 0, my = 0, mz = 0;
            for (int r = 0; r < p; r++)
            {
                mx += scene.Positions[3 * rows[r]];
                my += scene.Positions[3 * rows[r] + 1];
                mz += scene.Positions[3 * rows[r] + 2];
            }
            mx /= p; my /= p; mz /= p;
            float scale = 0;
            for (int r = 0; r < p; r++)
            {
                xyz[3 * r] = (float)(scene.Positions[3 * rows[r]] - mx);
                xyz[3 * r + 1] = (float)(scene.Positions[3 * rows[r] + 1] - my);
                xyz[3 * r + 2] = (float)(scene.Positions[3 * rows[r] + 2] - mz);
                scale = Math.Max(scale, Math.Max(Math.Abs(xyz[3 * r]), Math.Max(Math.Abs(xyz[3 * r + 1]), Math.Abs(xyz[3 * r + 2]))));
            }
            if (scale > 0)
                for (int i = 0; i < xyz.Length; i++) xyz[i] /= scale;
            for (int r = 0; r < p; r++)
            {
                int o = (seg * p + r) * Channels;
                xyz.AsSpan(3 * r, 3).CopyTo(features.AsSpan(o, 3));
                scene.Colors.AsSpan(3 * rows[r], 3).CopyTo(features.AsSpan(o + 3, 3));
            }
            var (nbr, _) = new KdTree(xyz).NearestAll(k, threads: 1);
            for (int i = 0; i < nbr.Length; i++) neighbors[seg * p * k + i] = seg * p + nbr[i];
        });
        return new SegmentPointSets(features, neighbors, p, k);
    }

    /// <summary>Exactly <paramref name="count"/> of <paramref name="members"/>: all of them tiled, the remainder by farthest-point sampling.</summary>
    public static int[] Resample(ReadOnlySpan<float> positions, ReadOnlySpan<int> members, int count)
    {
        int n = members.Length;
        if (n == 0) throw new ArgumentException("segment point sets: an empty segment");
        var rows = new int[count];
        int tiles = count / n, remainder = count % n, at = 0;
        for (int t = 0; t < tiles; t++)
            for (int i = 0; i < n; i++) rows[at++] = members[i];
        if (remainder > 0)
        {
            // start from the point farthest from the first one (the public code's skip_initial)
            int first = 0;
            float best = -1;
            for (int i = 0; i < n; i++)
            {
                float dx = positions[3 * members[i]] - positions[3 * members[0]];
                float dy = positions[3 * members[i] + 1] - positions[3 * members[0] + 1];
                float dz = positions[3 * members[i] + 2] - positions[3 * members[0] + 2];
                float d = dx * dx + dy * dy + dz * dz;
                if (d > best) { best = d; first = i; }
            }
            FarthestPointSampling.Sample(positions, members, remainder, first).CopyTo(rows, at);
        }
        return rows;
    }
}
