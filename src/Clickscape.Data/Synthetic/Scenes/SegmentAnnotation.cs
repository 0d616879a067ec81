using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Synthetic.Scenes;

/// <summary>
/// ScanNet's annotation rule (Dai et al., "ScanNet", CVPR 2017, §4): annotators paint whole segments of the mesh
/// Segmentator, so every vertex of a segment carries the segment's label and instance. Here the label of a segment
/// is its majority (semantic label, instance) pair among the generated per-vertex labels — where a segment straddles
/// a rounded contact, the object with more of its vertices takes all of them, and the labelled boundary follows the
/// segment border instead of the true one, as in the real scans.
/// </summary>
public static class SegmentAnnotation
{
    /// <summary>Relabels <paramref name="scene"/> in place by segments; ties go to the pair seen first.</summary>
    /// <param name="scene">A scene with semantic labels and instance ids.</param>
    /// <param name="segments">Segment id per vertex (any ints).</param>
    public static void LabelBySegments(Scene scene, ReadOnlySpan<int> segments)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var labels = scene.SemanticLabels ?? throw new ArgumentException($"scene {scene.Name} has no semantic labels", nameof(scene));
        var instances = scene.InstanceIds ?? throw new ArgumentException($"scene {scene.Name} has no instance ids", nameof(scene));
        if (segments.Length != scene.PointCount)
            throw new ArgumentException($"{segments.Length} segment ids for {scene.PointCount} vertices of scene {scene.Name}", nameof(segments));
        var votes = new Dictionary<int, Dictionary<(int Label, int Instance), int>>();
        var firstSeen = new Dictionary<(int, (int, int)), int>();
        for (int v = 0; v < segments.Length; v++)
        {
            if (!votes.TryGetValue(segments[v], out var tally)) votes[segments[v]] = tally = [];
            var key = (labels[v], instances[v]);
            tally[key] = tally.GetValueOrDefault(key) + 1;
            firstSeen.TryAdd((segments[v], key), v);
        }
        var winner = new Dictionary<int, (int Label, int Instance)>();
        foreach (var (segment, tally) in votes)
        {
            var best = tally.OrderByDescending(p => p.Value).ThenBy(p => firstSeen[(segment, p.Key)]).First().Key;
            winner[segment] = best;
        }
        for (int v = 0; v < segments.Length; v++)
            (labels[v], instances[v]) = winner[segments[v]];
    }
}
