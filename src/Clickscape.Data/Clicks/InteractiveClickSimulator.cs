using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Clicks;

/// <summary>
/// The test-time user of interactive 3D object segmentation (Kontogianni et al., "Interactive Object
/// Segmentation in 3D Point Clouds", §4 evaluation protocol; REFERENCE §5): after each prediction it clicks
/// the centre of the largest error region.
/// </summary>
/// <remarks>
/// On the points sub-sampled to one per 5 cm voxel (the first point of each voxel, in scene order):
/// FN = GT ∧ ¬pred, FP = pred ∧ ¬GT. For each error set E every point of E gets its Euclidean distance to
/// the nearest sub-sampled point NOT in E; the candidate of E is the point with the largest distance (the
/// first in sub-sample order on ties). The FN candidate is clicked (positive) if its distance ≥ the FP
/// candidate's, else the FP one (negative). Distances come from a k-d tree over the complement of E, so a
/// click costs O(n log n), not O(n²). When the complement is empty (everything is wrong) the distance is
/// +∞. A click's region is the axis-aligned cube of half-edge 5 cm around it; see <see cref="ApplyClicks"/>.
/// </remarks>
public sealed class InteractiveClickSimulator
{
    /// <summary>Sub-sampling voxel and click-region half-edge of the protocol, metres.</summary>
    public const float ProtocolVoxel = 0.05f;

    private readonly Scene _scene;
    private readonly bool[] _groundTruth;
    private readonly int[] _sample;
    private readonly int _object;
    private readonly int _label;

    /// <summary>Creates the simulated user for object <paramref name="objectId"/> of class <paramref name="label"/>.</summary>
    public InteractiveClickSimulator(Scene scene, bool[] groundTruth, int objectId, int label, float voxelSize = ProtocolVoxel)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(groundTruth);
        if (groundTruth.Length != scene.PointCount)
            throw new ArgumentException($"scene '{scene.Name}': ground-truth mask has {groundTruth.Length} entries for {scene.PointCount} points");
        _scene = scene;
        _groundTruth = groundTruth;
        _object = objectId;
        _label = label;
        _sample = scene.Voxelize(voxelSize).FirstPointOfEachVoxel();
    }

    /// <summary>The sub-sampled point indices the protocol works on.</summary>
    public IReadOnlyList<int> SampledPoints => _sample;

    /// <summary>
    /// The next click given the current <paramref name="prediction"/> (one flag per scene point), or null
    /// when the prediction has no error on the sub-sampled points.
    /// </summary>
    public Click? NextClick(ReadOnlySpan<bool> prediction, int order)
    {
        if (prediction.Length != _scene.PointCount)
            throw new ArgumentException($"prediction has {prediction.Length} entries, scene '{_scene.Name}' has {_scene.PointCount} points");
        var falseNegative = new bool[_sample.Length];
        var falsePositive = new bool[_sample.Length];
        for (int s = 0; s < _sample.Length; s++)
        {
            int p = _sample[s];
            falseNegative[s] = _groundTruth[p] && !prediction[p];
            falsePositive[s] = prediction[p] && !_groundTruth[p];
        }
        var (fnPoint, fnDistance) = FarthestFromBorder(falseNegative);
        var (fpPoint, fpDistance) = FarthestFromBorder(falsePositive);
        if (fnPoint < 0 && fpPoint < 0) return null;
        bool positive = fnPoint >= 0 && fnDistance >= fpDistance;
        int point = positive ? fnPoint : fpPoint;
        var xyz = new[] { _scene.Positions[3 * point], _scene.Positions[3 * point + 1], _scene.Positions[3 * point + 2] };
        return positive
            ? new Click(_object, _label, point, xyz, Positive: true, order)
            : new Click(0, 0, point, xyz, Positive: false, order);
    }

    /// <summary>
    /// The point of the error set with the largest distance to the nearest sampled point outside it, and
    /// that distance; (−1, −∞) for an empty set.
    /// </summary>
    private (int Point, double Distance) FarthestFromBorder(bool[] inSet)
    {
        var inside = new List<int>();
        var outside = new List<int>();
        for (int s = 0; s < inSet.Length; s++) (inSet[s] ? inside : outside).Add(s);
        if (inside.Count == 0) return (-1, double.NegativeInfinity);
        if (outside.Count == 0) return (_sample[inside[0]], double.PositiveInfinity);

        var outsideXyz = Gather(outside);
        var insideXyz = Gather(inside);
        var (nearest, _) = new KdTree(outsideXyz).Nearest(insideXyz, k: 1);
        // The tree finds each neighbour in float; the distance that ranks candidates is recomputed in double
        // from the coordinates so that FN/FP comparisons do not hinge on float rounding of squared sums.
        int best = -1;
        double bestDistance = double.NegativeInfinity;
        for (int i = 0; i < inside.Count; i++)
        {
            int o = nearest[i];
            double dx = insideXyz[3 * i] - (double)outsideXyz[3 * o];
            double dy = insideXyz[3 * i + 1] - (double)outsideXyz[3 * o + 1];
            double dz = insideXyz[3 * i + 2] - (double)outsideXyz[3 * o + 2];
            double d = Math.Sqrt(dx * dx + dy * dy + dz * dz);
            if (d > bestDistance)
            {
                bestDistance = d;
                best = i;
            }
        }
        return (_sample[inside[best]], bestDistance);
    }

    private float[] Gather(List<int> sampleIndices)
    {
        var xyz = new float[sampleIndices.Count * 3];
        for (int i = 0; i < sampleIndices.Count; i++)
        {
            int p = _sample[sampleIndices[i]];
            xyz[3 * i] = _scene.Positions[3 * p];
            xyz[3 * i + 1] = _scene.Positions[3 * p + 1];
            xyz[3 * i + 2] = _scene.Positions[3 * p + 2];
        }
        return xyz;
    }

    /// <summary>
    /// Forces the points under each click's region (cube of half-edge <paramref name="halfEdge"/>) to 1 for a
    /// positive click and 0 for a negative one, in click order, as the protocol does after every prediction.
    /// </summary>
    public static void ApplyClicks(Scene scene, IEnumerable<Click> clicks, Span<bool> mask, float halfEdge = ProtocolVoxel)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(clicks);
        var p = scene.Positions;
        foreach (var c in clicks)
        {
            for (int i = 0; i < scene.PointCount; i++)
            {
                if (MathF.Abs(p[3 * i] - c.Xyz[0]) <= halfEdge && MathF.Abs(p[3 * i + 1] - c.Xyz[1]) <= halfEdge && MathF.Abs(p[3 * i + 2] - c.Xyz[2]) <= halfEdge)
                    mask[i] = c.Positive;
            }
        }
    }
}
