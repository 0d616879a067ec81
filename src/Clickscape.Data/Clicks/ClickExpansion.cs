namespace Clickscape.Data.Clicks;

/// <summary>
/// Extends point clicks to the over-segments that contain them: "points in the same supervoxel can be
/// considered to belong to the same instance" (ClickSeg §3.1); SegGroup §3.1 does the same with its
/// seg-level labels.
/// </summary>
/// <remarks>
/// Label sentinels: <see cref="Unlabelled"/> (−1) for points no click reaches. When clicks of two different
/// objects fall into one segment the segment is ambiguous: only the clicked points themselves are labelled
/// and the rest of that segment stays unlabelled. Negative clicks label nothing.
/// </remarks>
public static class ClickExpansion
{
    /// <summary>Marks a point that no click labels.</summary>
    public const int Unlabelled = -1;

    /// <summary>Per-point labels expanded from clicks.</summary>
    /// <param name="Instance">Object id per point, or −1.</param>
    /// <param name="Semantic">Class id per point, or −1.</param>
    public sealed record SegmentLabels(int[] Instance, int[] Semantic)
    {
        /// <summary>Fraction of points that carry a label.</summary>
        public double LabelledFraction => Instance.Length == 0 ? 0 : Instance.Count(i => i != Unlabelled) / (double)Instance.Length;
    }

    /// <summary>Expands <paramref name="clicks"/> to every point of the clicked segments.</summary>
    public static SegmentLabels ToSegments(ClickSet clicks, int[] segments)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        ArgumentNullException.ThrowIfNull(segments);
        int n = segments.Length;
        // segment id → (object, label), or ambiguous.
        var owner = new Dictionary<int, (int Object, int Label, bool Ambiguous)>();
        foreach (var c in clicks.Clicks)
        {
            if (!c.Positive) continue;
            if ((uint)c.Point >= (uint)n) throw new ArgumentException($"click {c.Order} is on point {c.Point}, but the segmentation has {n} points");
            int seg = segments[c.Point];
            if (owner.TryGetValue(seg, out var o))
            {
                if (o.Object != c.Object) owner[seg] = (o.Object, o.Label, true);
            }
            else
            {
                owner[seg] = (c.Object, c.Label, false);
            }
        }
        var instance = new int[n];
        var semantic = new int[n];
        Array.Fill(instance, Unlabelled);
        Array.Fill(semantic, Unlabelled);
        for (int i = 0; i < n; i++)
        {
            if (owner.TryGetValue(segments[i], out var o) && !o.Ambiguous)
            {
                instance[i] = o.Object;
                semantic[i] = o.Label;
            }
        }
        foreach (var c in clicks.Clicks)
        {
            if (!c.Positive) continue;
            instance[c.Point] = c.Object;
            semantic[c.Point] = c.Label;
        }
        return new SegmentLabels(instance, semantic);
    }
}
