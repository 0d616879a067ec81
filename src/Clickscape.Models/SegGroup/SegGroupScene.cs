namespace Clickscape.Models.SegGroup;

/// <summary>
/// One scene as SegGroup sees it (Tao et al., "SegGroup: Seg-Level Supervision for 3D Instance and Semantic
/// Segmentation", §3.2; REFERENCE.md §4): the points with their positions and colours, the over-segmentation as
/// segment ids 0..S−1, the segment graph (an edge joins two adjacent segments — mesh faces or kNN), and the seg-level
/// labels: the object each clicked segment belongs to (<see cref="Unlabelled"/> elsewhere) and the class of each object.
/// </summary>
/// <param name="Name">Scene id.</param>
/// <param name="Positions">x, y, z per point (centred on the scene mean, metres).</param>
/// <param name="Colors">r, g, b per point in [−1, 1] (rgb/127.5 − 1).</param>
/// <param name="PointSegment">Segment 0..S−1 of every point.</param>
/// <param name="SegmentCount">S.</param>
/// <param name="EdgeA">First segment of every edge (EdgeA[e] &lt; EdgeB[e]; pairs sorted and unique).</param>
/// <param name="EdgeB">Second segment of every edge.</param>
/// <param name="SegmentObject">Object id (≥ 1) of every labelled segment, <see cref="Unlabelled"/> for the others.</param>
/// <param name="ObjectClass">Class (nyu40 id 1..40) of every object id that labels a segment.</param>
public sealed record SegGroupScene(string Name, float[] Positions, float[] Colors, int[] PointSegment, int SegmentCount,
    int[] EdgeA, int[] EdgeB, int[] SegmentObject, IReadOnlyDictionary<int, int> ObjectClass)
{
    /// <summary>The seg-level label of a segment no click reaches (the reference's −1).</summary>
    public const int Unlabelled = -1;

    /// <summary>Points N.</summary>
    public int PointCount => PointSegment.Length;

    /// <summary>Checks the arrays against each other; a mismatch is an <see cref="ArgumentException"/> naming the scene.</summary>
    public void Validate()
    {
        int n = PointSegment.Length;
        if (Positions.Length != 3 * n || Colors.Length != 3 * n)
            throw new ArgumentException($"scene '{Name}': {Positions.Length / 3} positions and {Colors.Length / 3} colours for {n} points");
        if (SegmentObject.Length != SegmentCount) throw new ArgumentException($"scene '{Name}': {SegmentObject.Length} seg-level labels for {SegmentCount} segments");
        if (EdgeA.Length != EdgeB.Length) throw new ArgumentException($"scene '{Name}': edge lists of different lengths");
        foreach (int s in PointSegment)
            if ((uint)s >= (uint)SegmentCount) throw new ArgumentException($"scene '{Name}': segment id {s} outside 0..{SegmentCount - 1}");
        for (int e = 0; e < EdgeA.Length; e++)
            if ((uint)EdgeA[e] >= (uint)SegmentCount || (uint)EdgeB[e] >= (uint)SegmentCount || EdgeA[e] >= EdgeB[e])
                throw new ArgumentException($"scene '{Name}': edge {e} ({EdgeA[e]}, {EdgeB[e]}) is not a pair a < b of segments");
        foreach (int o in SegmentObject)
            if (o != Unlabelled && !ObjectClass.ContainsKey(o)) throw new ArgumentException($"scene '{Name}': object {o} labels a segment but has no class");
    }

    /// <summary>The points of every segment as CSR: segment s holds <c>Points[Offsets[s] .. Offsets[s+1]]</c>, ascending.</summary>
    public (int[] Offsets, int[] Points) SegmentPoints() => GroupPoints(PointSegment, SegmentCount);

    /// <summary>Points grouped by <paramref name="group"/> (0..count−1 per point) as CSR, ascending within a group.</summary>
    public static (int[] Offsets, int[] Points) GroupPoints(int[] group, int count)
    {
        ArgumentNullException.ThrowIfNull(group);
        var offsets = new int[count + 1];
        foreach (int g in group) offsets[g + 1]++;
        for (int i = 0; i < count; i++) offsets[i + 1] += offsets[i];
        var points = new int[group.Length];
        var fill = offsets[..count];
        for (int p = 0; p < group.Length; p++) points[fill[group[p]]++] = p;
        return (offsets, points);
    }
}
