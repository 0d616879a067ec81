namespace Clickscape.Models.PointGroup;

/// <summary>
/// Greedy non-maximum suppression on point sets, as PointGroup's test script runs it on its proposals (Jiang et
/// al., CVPR 2020; REFERENCE.md §2 Grouping, NMS IoU 0.3): take the highest-scoring remaining proposal, keep it, and
/// drop every remaining proposal whose IoU with it is strictly greater than the threshold; repeat.
/// </summary>
/// <remarks>
/// IoU of two point sets = |A ∩ B| / (|A| + |B| − |A ∩ B|), computed in float64. Ties in score go to the lower
/// proposal index (PointGroup's numpy argsort leaves them unspecified). Intersections come from an inverted index
/// point → proposals, so the cost is Σ over points of (proposals containing it)², linear for PointGroup's two
/// sets of disjoint clusters, instead of the dense proposals × points product of the original.
/// </remarks>
public static class PointSetNms
{
    /// <summary>
    /// Indices of the kept proposals, in descending score order.
    /// </summary>
    /// <param name="proposals">Point indices per proposal, each without duplicates, all in [0, <paramref name="pointCount"/>).</param>
    /// <param name="scores">Score per proposal.</param>
    /// <param name="iouThreshold">A proposal is suppressed when its IoU with a kept one is &gt; this.</param>
    /// <param name="pointCount">Number of points the indices refer to.</param>
    public static int[] Suppress(IReadOnlyList<int[]> proposals, ReadOnlySpan<float> scores, float iouThreshold, int pointCount)
    {
        ArgumentNullException.ThrowIfNull(proposals);
        int m = proposals.Count;
        if (scores.Length != m)
            throw new ArgumentException($"{scores.Length} scores for {m} proposals", nameof(scores));
        ArgumentOutOfRangeException.ThrowIfNegative(pointCount);

        // Inverted index: the proposals holding each point, as compressed rows.
        var start = new int[pointCount + 1];
        foreach (var proposal in proposals)
        {
            foreach (int p in proposal)
            {
                if ((uint)p >= (uint)pointCount)
                    throw new ArgumentOutOfRangeException(nameof(proposals), p, $"point index outside [0, {pointCount})");
                start[p + 1]++;
            }
        }
        for (int p = 0; p < pointCount; p++)
            start[p + 1] += start[p];
        var holders = new int[start[pointCount]];
        var fill = start.AsSpan(0, pointCount).ToArray();
        for (int j = 0; j < m; j++)
        {
            foreach (int p in proposals[j])
                holders[fill[p]++] = j;
        }

        var score = scores.ToArray();
        var order = Enumerable.Range(0, m).ToArray();
        Array.Sort(order, (a, b) => score[a] != score[b] ? score[b].CompareTo(score[a]) : a.CompareTo(b));
        var suppressed = new bool[m];
        var intersection = new int[m];
        var touched = new List<int>();
        var kept = new List<int>();
        foreach (int i in order)
        {
            if (suppressed[i])
                continue;
            kept.Add(i);
            foreach (int p in proposals[i])
            {
                for (int t = start[p]; t < start[p + 1]; t++)
                {
                    int j = holders[t];
                    if (j != i && !suppressed[j] && intersection[j]++ == 0)
                        touched.Add(j);
                }
            }
            foreach (int j in touched)
            {
                double inter = intersection[j];
                double iou = inter / (proposals[i].Length + proposals[j].Length - inter);
                if (iou > iouThreshold)
                    suppressed[j] = true;
                intersection[j] = 0;
            }
            touched.Clear();
        }
        return [.. kept];
    }
}
