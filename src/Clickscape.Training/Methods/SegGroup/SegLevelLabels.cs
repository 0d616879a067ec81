using Clickscape.Data.Clicks;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Models.SegGroup;

namespace Clickscape.Training.Methods.SegGroup;

/// <summary>
/// Seg-level labels from clicks (SegGroup §3.1: "these location annotations are automatically extended into segments as
/// seg-level labels"; REFERENCE.md §4): every positive click labels the segment holding its point with its object and
/// class; an object clicked on several segments (one click per unconnected part, footnote 2) labels them all. As in
/// <see cref="ClickExpansion"/>, a segment clicked for two different objects is ambiguous and stays unlabelled — unless
/// it was split first by <see cref="SplitSharedSegments"/>, which the pipeline does. Clicks come from a click set of any
/// source — simulated (<c>maxseg</c>, <c>random-seg</c>), or made in Studio.
/// </summary>
public static class SegLevelLabels
{
    /// <summary>The seg-level labels of <paramref name="clicks"/> on a scene whose points lie in <paramref name="pointSegment"/> (0..S−1).</summary>
    /// <returns>Object per segment (<see cref="SegGroupScene.Unlabelled"/> elsewhere), the class of every object, the number of ambiguous segments.</returns>
    /// <exception cref="ArgumentException">A click on a point the scene does not have, or a class that is not a nyu40 id 1..40.</exception>
    public static (int[] SegmentObject, Dictionary<int, int> ObjectClass, int Ambiguous) FromClicks(string scene, IEnumerable<Click> clicks, int[] pointSegment, int segmentCount)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        ArgumentNullException.ThrowIfNull(pointSegment);
        var segmentObject = new int[segmentCount];
        Array.Fill(segmentObject, SegGroupScene.Unlabelled);
        var ambiguous = new HashSet<int>();
        var objectClass = new Dictionary<int, int>();
        foreach (var c in clicks)
        {
            if (!c.Positive) continue;
            if ((uint)c.Point >= (uint)pointSegment.Length)
                throw new ArgumentException($"click {c.Order} is on point {c.Point}, but scene '{scene}' has {pointSegment.Length} points (expected 0..{pointSegment.Length - 1})");
            if (c.Label is < 1 or > ScanNetPredictionWriter.MaxNyu40Id)
                throw new ArgumentException($"click {c.Order} has class {c.Label}, expected a nyu40 id 1..{ScanNetPredictionWriter.MaxNyu40Id}");
            if (c.Object < 1) throw new ArgumentException($"click {c.Order} has object id {c.Object}, expected ≥ 1");
            if (objectClass.TryGetValue(c.Object, out int known) && known != c.Label)
                throw new ArgumentException($"click {c.Order} gives object {c.Object} class {c.Label}, an earlier click gave it {known}");
            objectClass[c.Object] = c.Label;
            int s = pointSegment[c.Point];
            if (segmentObject[s] == SegGroupScene.Unlabelled && !ambiguous.Contains(s)) segmentObject[s] = c.Object;
            else if (segmentObject[s] != c.Object)
            {
                ambiguous.Add(s);
                segmentObject[s] = SegGroupScene.Unlabelled;
            }
        }
        return (segmentObject, objectClass, ambiguous.Count);
    }

    /// <summary>
    /// Splits every segment that holds clicks of two or more objects (an over-segment spanning objects, common on real
    /// scans) into one segment per object: each of its points goes to the object of its nearest click in that segment
    /// (ties: the earlier click). Other segments keep their ids; the new ones get ids above the largest. Without this the
    /// shared segment would be unlabelled and its objects lost (deviation: SegGroup's annotators click unambiguous segments).
    /// </summary>
    /// <returns>The segment id of every point, and the number of segments split.</returns>
    public static (int[] Segments, int Split) SplitSharedSegments(int[] segments, ReadOnlySpan<float> positions, IEnumerable<Click> clicks)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(clicks);
        var bySegment = new Dictionary<int, List<Click>>();
        foreach (var c in clicks)
        {
            if (!c.Positive || (uint)c.Point >= (uint)segments.Length) continue; // FromClicks reports bad points
            if (!bySegment.TryGetValue(segments[c.Point], out var list)) bySegment[segments[c.Point]] = list = [];
            list.Add(c);
        }
        var shared = bySegment.Where(kv => kv.Value.Select(c => c.Object).Distinct().Count() > 1).ToDictionary(kv => kv.Key, kv => kv.Value);
        if (shared.Count == 0) return (segments, 0);
        var result = (int[])segments.Clone();
        int next = segments.Max() + 1;
        var newId = new Dictionary<(int Segment, int Object), int>();
        foreach (var (segment, list) in shared.OrderBy(kv => kv.Key))
            foreach (int o in list.Select(c => c.Object).Distinct()) newId[(segment, o)] = next++;
        for (int p = 0; p < segments.Length; p++)
        {
            if (!shared.TryGetValue(segments[p], out var list)) continue;
            Click nearest = list[0];
            float best = float.PositiveInfinity;
            foreach (var c in list)
            {
                float dx = positions[3 * p] - positions[3 * c.Point], dy = positions[3 * p + 1] - positions[3 * c.Point + 1], dz = positions[3 * p + 2] - positions[3 * c.Point + 2];
                float d = dx * dx + dy * dy + dz * dz;
                if (d < best) { best = d; nearest = c; }
            }
            result[p] = newId[(segments[p], nearest.Object)];
        }
        return (result, shared.Count);
    }
}
