using Clickscape.Geometry.Neighbors;

namespace Clickscape.Evaluation.Segmentation;

/// <summary>Result of <see cref="OversegmentationQuality"/>.</summary>
/// <param name="Segments">Distinct segment ids (over all points, labelled or not).</param>
/// <param name="Purity">
/// Σ over segments of the point count of its majority instance, over the labelled points (the achievable
/// segmentation accuracy of Papon et al. 2013 and Lin et al. 2018): the best instance accuracy a labelling that
/// gives each segment one instance can reach. NaN when no point is labelled.
/// </param>
/// <param name="BoundaryRecall">Recalled instance-boundary points over all of them; NaN when there are none.</param>
/// <param name="LabelledPoints">Points with an instance id &gt; 0.</param>
/// <param name="BoundaryPoints">Ground-truth instance-boundary points.</param>
/// <param name="RecalledBoundaryPoints">Those within the tolerance of a segment boundary point.</param>
public sealed record OversegmentationQualityResult(int Segments, double Purity, double BoundaryRecall,
    long LabelledPoints, long BoundaryPoints, long RecalledBoundaryPoints);

/// <summary>
/// How well an over-segmentation of a point cloud respects ground-truth instances: segment purity and boundary
/// recall, the two measures supervoxel papers plot against the segment count (Papon et al., "Voxel Cloud
/// Connectivity Segmentation", CVPR 2013, §4; Lin et al., "Toward better boundary preserved supervoxel
/// segmentation for 3D point clouds", ISPRS J. 2018, §4.1).
/// </summary>
/// <remarks>
/// <b>Unlabelled points.</b> Instance ids ≤ 0 (<c>Labels.NoInstance</c> 0, <c>Labels.Noise</c> −1,
/// <c>Labels.Ignore</c> −100) are unlabelled: they count in no purity numerator or denominator and cast no vote for
/// a segment's majority, so a segment of unannotated clutter neither helps nor hurts. They still belong to
/// segments, so they can be segment-boundary points.
/// <para><b>Purity</b> = Σ_s max_i |s ∩ I_i| / |labelled points|; majority ties do not matter (the count is the same).</para>
/// <para><b>Boundary.</b> With the <see cref="Neighbors"/> nearest neighbours of every point (itself excluded; the
/// <see cref="KdTree"/> order, ties by index): a ground-truth boundary point is a labelled point with a labelled
/// neighbour of another instance; a segment boundary point is any point with a neighbour in another segment.
/// A ground-truth boundary point is recalled when a segment boundary point lies within <see cref="Tolerance"/>
/// (Euclidean, inclusive) of it, itself included.</para>
/// </remarks>
public sealed class OversegmentationQuality
{
    /// <summary>Measures with 8 neighbours and a 3 cm tolerance (about 1.5 point spacings on ScanNet's meshes).</summary>
    public OversegmentationQuality(int neighbors = 8, float tolerance = 0.03f)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(neighbors, 1);
        if (!(tolerance >= 0) || float.IsInfinity(tolerance))
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "tolerance must be a finite distance ≥ 0");
        Neighbors = neighbors;
        Tolerance = tolerance;
    }

    /// <summary>Neighbours per point that define boundaries.</summary>
    public int Neighbors { get; }

    /// <summary>Distance within which a segment boundary recalls an instance boundary.</summary>
    public float Tolerance { get; }

    /// <summary>Measures one scene.</summary>
    /// <param name="positions">x, y, z per point.</param>
    /// <param name="segments">Segment id per point (any ints).</param>
    /// <param name="instances">Ground-truth instance id per point; ≤ 0 = unlabelled.</param>
    public OversegmentationQualityResult Evaluate(ReadOnlySpan<float> positions, ReadOnlySpan<int> segments, ReadOnlySpan<int> instances)
    {
        int n = segments.Length;
        if (positions.Length != 3 * n)
            throw new ArgumentException($"positions hold {positions.Length} floats for {n} segment ids, expected 3 per point", nameof(positions));
        if (instances.Length != n)
            throw new ArgumentException($"{instances.Length} instance ids for {n} segment ids, expected one per point", nameof(instances));
        var (purity, labelled, segmentCount) = Purity(segments, instances);
        if (n == 0)
            return new OversegmentationQualityResult(0, double.NaN, double.NaN, 0, 0, 0);

        // Neighbour lists (the point itself is among the k + 1 nearest; skip it by index).
        var tree = new KdTree(positions);
        int k = Math.Min(Neighbors + 1, n);
        var (nb, _) = tree.NearestAll(k);
        var gtBoundary = new List<int>();
        var segmentBoundary = new List<float>();
        for (int i = 0; i < n; i++)
        {
            bool onGt = false, onSegment = false;
            for (int t = 0; t < k; t++)
            {
                int j = nb[i * k + t];
                if (j < 0 || j == i)
                    continue;
                if (segments[j] != segments[i])
                    onSegment = true;
                if (instances[i] > 0 && instances[j] > 0 && instances[j] != instances[i])
                    onGt = true;
            }
            if (onGt)
                gtBoundary.Add(i);
            if (onSegment)
                segmentBoundary.AddRange([positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]]);
        }

        long recalled = 0;
        if (segmentBoundary.Count > 0)
        {
            var boundaryTree = new KdTree(segmentBoundary.ToArray());
            Span<int> nearest = stackalloc int[1];
            Span<float> d2 = stackalloc float[1];
            float t2 = Tolerance * Tolerance;
            foreach (int i in gtBoundary)
            {
                boundaryTree.Nearest(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2], nearest, d2);
                if (d2[0] <= t2)
                    recalled++;
            }
        }
        double recall = gtBoundary.Count == 0 ? double.NaN : (double)recalled / gtBoundary.Count;
        return new OversegmentationQualityResult(segmentCount, purity, recall, labelled, gtBoundary.Count, recalled);
    }

    /// <summary>Purity, labelled point count and segment count (see the remarks).</summary>
    public static (double Purity, long Labelled, int Segments) Purity(ReadOnlySpan<int> segments, ReadOnlySpan<int> instances)
    {
        if (instances.Length != segments.Length)
            throw new ArgumentException($"{instances.Length} instance ids for {segments.Length} segment ids, expected one per point", nameof(instances));
        // Sort (segment, instance) pairs; runs of equal pairs are the overlaps, runs of equal segments the segments.
        int n = segments.Length;
        var pairs = new long[n];
        for (int i = 0; i < n; i++)
            pairs[i] = ((long)segments[i] << 32) | (uint)instances[i];
        Array.Sort(pairs);
        long labelled = 0, best = 0, bestInSegment = 0;
        int segmentCount = 0;
        for (int start = 0; start < n;)
        {
            int end = start + 1;
            while (end < n && pairs[end] == pairs[start])
                end++;
            int segment = (int)(pairs[start] >> 32), instance = (int)pairs[start];
            if (start == 0 || (int)(pairs[start - 1] >> 32) != segment)
            {
                best += bestInSegment;
                bestInSegment = 0;
                segmentCount++;
            }
            if (instance > 0)
            {
                labelled += end - start;
                bestInSegment = Math.Max(bestInSegment, end - start);
            }
            start = end;
        }
        best += bestInSegment;
        return (labelled == 0 ? double.NaN : (double)best / labelled, labelled, segmentCount);
    }
}
