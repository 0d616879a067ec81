namespace Clickscape.Geometry.Sampling;

/// <summary>
/// Farthest-point sampling (Eldar et al., "The farthest point strategy for progressive image sampling", IEEE TIP
/// 1997; the sampler of PointNet++, Qi et al., NeurIPS 2017): starting from one point, repeatedly take the point
/// whose distance to the points taken so far is largest. Used by SegGroup to fill each segment to a fixed number
/// of points (REFERENCE.md §4, "tiling + farthest-point fill") and to bound the points of a cluster.
/// </summary>
/// <remarks>
/// Distances are squared Euclidean in float32; ties go to the lowest position in <c>subset</c>, so the result is
/// deterministic. O(count · |subset|) time, O(|subset|) memory.
/// </remarks>
public static class FarthestPointSampling
{
    /// <summary>
    /// <paramref name="count"/> points of <paramref name="subset"/> (indices into <paramref name="positions"/>, x y z per
    /// point), the first being <c>subset[first]</c>; all of them, in subset order, when <paramref name="count"/> ≥ |subset|.
    /// Returns indices into <paramref name="positions"/>, in the order they were taken.
    /// </summary>
    public static int[] Sample(ReadOnlySpan<float> positions, ReadOnlySpan<int> subset, int count, int first = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        int n = subset.Length;
        if (count >= n) return subset.ToArray();
        if (count == 0) return [];
        if ((uint)first >= (uint)n) throw new ArgumentOutOfRangeException(nameof(first), $"farthest-point sampling: first = {first}, the subset has {n} points");
        var x = new float[n];
        var y = new float[n];
        var z = new float[n];
        for (int i = 0; i < n; i++)
        {
            int p = subset[i];
            if ((uint)(3 * p + 2) >= (uint)positions.Length) throw new ArgumentOutOfRangeException(nameof(subset), $"farthest-point sampling: point {p} is outside the {positions.Length / 3} positions");
            x[i] = positions[3 * p];
            y[i] = positions[3 * p + 1];
            z[i] = positions[3 * p + 2];
        }
        var nearest = new float[n];
        Array.Fill(nearest, float.PositiveInfinity);
        var result = new int[count];
        int current = first;
        for (int t = 0; t < count; t++)
        {
            result[t] = subset[current];
            nearest[current] = -1f; // taken: never chosen again
            float cx = x[current], cy = y[current], cz = z[current];
            int best = -1;
            float bestDistance = -1f;
            for (int i = 0; i < n; i++)
            {
                if (nearest[i] < 0f) continue;
                float dx = x[i] - cx, dy = y[i] - cy, dz = z[i] - cz;
                float d = dx * dx + dy * dy + dz * dz;
                if (d < nearest[i]) nearest[i] = d;
                if (nearest[i] > bestDistance)
                {
                    bestDistance = nearest[i];
                    best = i;
                }
            }
            current = best;
        }
        return result;
    }
}
