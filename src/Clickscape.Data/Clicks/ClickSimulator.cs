using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Clicks;

/// <summary>
/// Simulates an annotator who clicks every object of a labelled scene once (or two, three times), the
/// protocol of ClickSeg (§4, "1t1c / 1t2c / 1t3c") and SegGroup (§3.1, one click on the most representative
/// segment, taken as the largest one — REFERENCE §4 <c>maxseg</c>).
/// </summary>
/// <remarks>
/// Deterministic for a seed: instances are visited in ascending id order and one <see cref="Random"/> drives
/// every choice. An instance's class is the majority semantic label of its points. Instances with fewer than
/// <see cref="Options.MinInstancePoints"/> points are not clicked and are listed in
/// <see cref="ClickSet.Skipped"/> so the file says so.
/// </remarks>
public static class ClickSimulator
{
    /// <summary>Simulation settings.</summary>
    /// <param name="Policy">Which points to click.</param>
    /// <param name="Seed">Random seed.</param>
    /// <param name="MinInstancePoints">Instances with fewer points are skipped (0 = click every instance).</param>
    /// <param name="TopSegments">For <see cref="ClickPolicy.RandomSegment"/>: choose among this many largest segments.</param>
    public sealed record Options(ClickPolicy Policy, int Seed, int MinInstancePoints = 0, int TopSegments = 3);

    /// <summary>
    /// Clicks the instances of <paramref name="scene"/>. Segment policies need <paramref name="segments"/>
    /// (a segment id per point, e.g. from <c>segs.json</c>) and use the mesh faces, when present, to find the
    /// connected parts of an instance.
    /// </summary>
    public static ClickSet Simulate(Scene scene, Options options, int[]? segments = null)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(options);
        var instances = scene.InstanceIds ?? throw new ArgumentException($"scene '{scene.Name}' has no instance labels: clicks can only be simulated on labelled scenes");
        var semantics = scene.SemanticLabels ?? throw new ArgumentException($"scene '{scene.Name}' has no semantic labels: clicks can only be simulated on labelled scenes");
        bool segmentPolicy = options.Policy is ClickPolicy.MaxSegment or ClickPolicy.RandomSegment;
        if (segmentPolicy && segments is null)
            throw new ArgumentException($"policy '{options.Policy.Name()}' needs an over-segmentation of scene '{scene.Name}' (run clickscape oversegment first)");
        if (segments is not null && segments.Length != scene.PointCount)
            throw new ArgumentException($"scene '{scene.Name}': {segments.Length} segment ids for {scene.PointCount} points");

        var members = InstanceMembers(instances);
        var rng = new Random(options.Seed);
        var clicks = new List<Click>();
        var skipped = new List<SkippedInstance>();
        foreach (var (instance, points) in members)
        {
            int label = MajorityLabel(semantics, points);
            if (points.Count < options.MinInstancePoints)
            {
                skipped.Add(new SkippedInstance(instance, label, points.Count, $"fewer than {options.MinInstancePoints} points"));
                continue;
            }
            foreach (int point in ChoosePoints(scene, points, segments, options, rng))
            {
                clicks.Add(new Click(instance, label, point,
                    [scene.Positions[3 * point], scene.Positions[3 * point + 1], scene.Positions[3 * point + 2]],
                    Positive: true, Order: clicks.Count));
            }
        }
        return new ClickSet(scene.Name, options.Policy.Name(), options.Seed, clicks, skipped);
    }

    private static IEnumerable<int> ChoosePoints(Scene scene, List<int> points, int[]? segments, Options options, Random rng)
    {
        switch (options.Policy)
        {
            case ClickPolicy.MaxSegment:
            {
                var ranked = RankSegments(scene, points, segments!);
                var chosen = ranked[0].Points;
                yield return chosen[rng.Next(chosen.Count)];
                break;
            }
            case ClickPolicy.RandomSegment:
            {
                var ranked = RankSegments(scene, points, segments!);
                int top = Math.Min(Math.Max(1, options.TopSegments), ranked.Count);
                long total = 0;
                for (int i = 0; i < top; i++) total += ranked[i].Points.Count;
                long pick = rng.NextInt64(total);
                int s = 0;
                while (pick >= ranked[s].Points.Count)
                {
                    pick -= ranked[s].Points.Count;
                    s++;
                }
                var chosen = ranked[s].Points;
                yield return chosen[rng.Next(chosen.Count)];
                break;
            }
            default:
            {
                // Distinct random points (a partial Fisher–Yates shuffle over a copy).
                int count = Math.Min(options.Policy.ClicksPerInstance(), points.Count);
                var pool = points.ToArray();
                for (int i = 0; i < count; i++)
                {
                    int j = rng.Next(i, pool.Length);
                    (pool[i], pool[j]) = (pool[j], pool[i]);
                    yield return pool[i];
                }
                break;
            }
        }
    }

    /// <summary>
    /// The instance's pieces of segments (its points grouped by segment id), those of its largest connected
    /// part first (REFERENCE §4: components by segment adjacency, largest by point count), each group sorted
    /// by size descending, ties by segment id.
    /// </summary>
    private static List<(int Segment, List<int> Points)> RankSegments(Scene scene, List<int> points, int[] segments)
    {
        var bySegment = new SortedDictionary<int, List<int>>();
        foreach (int p in points)
        {
            if (!bySegment.TryGetValue(segments[p], out var list)) bySegment[segments[p]] = list = [];
            list.Add(p);
        }
        var component = SegmentComponents(scene, points, segments, bySegment.Keys);
        var componentSize = new Dictionary<int, int>();
        foreach (var (seg, list) in bySegment)
            componentSize[component[seg]] = componentSize.GetValueOrDefault(component[seg]) + list.Count;
        int largest = componentSize.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First().Key;
        return bySegment
            .Select(kv => (Segment: kv.Key, Points: kv.Value))
            .OrderBy(s => component[s.Segment] == largest ? 0 : 1)
            .ThenByDescending(s => s.Points.Count)
            .ThenBy(s => s.Segment)
            .ToList();
    }

    /// <summary>
    /// Connected components of an instance's segments: two segments are adjacent when a mesh edge joins two
    /// of the instance's points in them. Without faces all segments form one component (nothing tells
    /// them apart). Returns segment id → component id (the smallest segment id in it).
    /// </summary>
    private static Dictionary<int, int> SegmentComponents(Scene scene, List<int> points, int[] segments, IEnumerable<int> segmentIds)
    {
        var parent = segmentIds.ToDictionary(s => s, s => s);
        if (scene.Faces is null)
        {
            int first = parent.Keys.Min();
            return parent.Keys.ToDictionary(s => s, _ => first);
        }
        var inInstance = new HashSet<int>(points);
        var faces = scene.Faces;
        for (int f = 0; f < faces.Length; f += 3)
        {
            for (int e = 0; e < 3; e++)
            {
                int a = faces[f + e], b = faces[f + (e + 1) % 3];
                if (inInstance.Contains(a) && inInstance.Contains(b) && segments[a] != segments[b])
                    Union(segments[a], segments[b]);
            }
        }
        return parent.Keys.ToDictionary(s => s, Find);

        int Find(int s)
        {
            while (parent[s] != s) s = parent[s] = parent[parent[s]];
            return s;
        }

        void Union(int a, int b)
        {
            int ra = Find(a), rb = Find(b);
            if (ra == rb) return;
            if (ra < rb) parent[rb] = ra;
            else parent[ra] = rb;
        }
    }

    private static SortedDictionary<int, List<int>> InstanceMembers(int[] instances)
    {
        var members = new SortedDictionary<int, List<int>>();
        for (int i = 0; i < instances.Length; i++)
        {
            int id = instances[i];
            if (id == Scene.NoInstance) continue;
            if (!members.TryGetValue(id, out var list)) members[id] = list = [];
            list.Add(i);
        }
        return members;
    }

    private static int MajorityLabel(int[] semantics, List<int> points)
    {
        var counts = new Dictionary<int, int>();
        foreach (int p in points) counts[semantics[p]] = counts.GetValueOrDefault(semantics[p]) + 1;
        return counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First().Key;
    }
}
