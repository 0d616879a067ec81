using System.Numerics;
using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Normals;

namespace Clickscape.Geometry.Segmentation;

/// <summary>Parameters of <see cref="SurfaceGraphSegmentator"/>.</summary>
public sealed record SurfaceGraphOptions
{
    /// <summary>Neighbours searched per point (candidate edges).</summary>
    public int Neighbors { get; init; } = 12;

    /// <summary>Neighbours for the PCA normals when the cloud has none.</summary>
    public int NormalNeighbors { get; init; } = 8;

    /// <summary>
    /// Orient estimated normals consistently by propagation (<see cref="NormalOrientationPropagation"/>) instead of each
    /// towards the viewpoint on its own; the Segmentator's weights depend on the sign (a flipped neighbour weighs ≈ 2).
    /// Ignored when the cloud has its own normals.
    /// </summary>
    public bool PropagateOrientation { get; init; } = true;

    /// <summary>Smallest |n_i·n_j| through which the propagation passes a sign on (below it the viewpoint decides).</summary>
    public float OrientationMinCosine { get; init; } = 0.5f;

    /// <summary>Keep an edge only when each end is among the other's <see cref="Neighbors"/> nearest (mutual kNN).</summary>
    public bool Mutual { get; init; } = true;

    /// <summary>Longest kept edge, in median nearest-neighbour distances of the cloud (0 = no limit).</summary>
    public float MaxEdgeSpacings { get; init; } = 3f;

    /// <summary>
    /// Largest kept tangent-plane slope: max(|n_i·(x_j − x_i)|, |n_j·(x_i − x_j)|) / |x_j − x_i|, the sine of the angle
    /// between the edge and either end's tangent plane (1 = no limit).
    /// </summary>
    public float MaxPlaneSlope { get; init; } = 0.5f;

    /// <summary>Felzenszwalb's k.</summary>
    public float KThresh { get; init; } = 0.03f;

    /// <summary>Segments smaller than this are merged into a neighbour (along kept edges).</summary>
    public int MinPoints { get; init; } = 60;

    /// <summary>Weight of the colour term, as in <see cref="PointCloudSegmentationOptions.ColorWeight"/>.</summary>
    public float ColorWeight { get; init; } = 0.05f;

    /// <summary>Weight of an edge-length term, |x_i − x_j| / the median kept edge length, added to each weight (0 = none).</summary>
    public float DistanceWeight { get; init; }

    /// <summary>
    /// Passes of <see cref="SegmentBoundaryRefinement"/> after the Felzenszwalb passes (0 = none, the segmentation of the
    /// second pass of issue 9). 1–4 passes gave the same purity on the scan-like development set (docs/overseg-curve.md).
    /// </summary>
    public int RefinementPasses { get; init; } = 2;

    /// <summary>Colour weight w_c of the refinement (1–4 within ±0.001 purity on the development set).</summary>
    public float RefinementColorWeight { get; init; } = 2f;

    /// <summary>Neighbour-share weight λ of the refinement (0.3–0.5 within ±0.001 on the development set).</summary>
    public float RefinementNeighborWeight { get; init; } = 0.3f;

    /// <summary>Where the sensor was (orients PCA normals); null = the bounding-box centre.</summary>
    public Vector3? Viewpoint { get; init; }

    /// <summary>Threads for the neighbour search and normals, 0 = all cores.</summary>
    public int Threads { get; init; }
}

/// <summary>
/// Felzenszwalb–Huttenlocher segmentation (IJCV 2004) with ScanNet's Segmentator weights, like
/// <see cref="PointCloudSegmentator"/>, on a graph that keeps only plausible surface edges, so that a segment
/// grows along a surface and not across the gap or the crease where two objects touch.
/// </summary>
/// <remarks>
/// Candidate edges are the kNN pairs. An edge (i, j) is kept when
/// <list type="bullet">
/// <item>it is mutual (j among i's k nearest and i among j's: the mutual kNN graph, Brito et al., Stat. Probab. Lett.
/// 1997, drops the long one-sided edges that bridge two surfaces of different density);</item>
/// <item>|x_j − x_i| ≤ <see cref="SurfaceGraphOptions.MaxEdgeSpacings"/> × the median nearest-neighbour distance;</item>
/// <item>the edge lies near both tangent planes (Hoppe et al., "Surface reconstruction from unorganized points",
/// SIGGRAPH 1992, connect points along the surface by their tangent planes): the sine of its angle to either
/// plane is at most <see cref="SurfaceGraphOptions.MaxPlaneSlope"/>. An edge from the floor up a chair leg, or from a
/// table top into a box standing on it, leaves the floor's or the top's plane steeply.</item>
/// </list>
/// A point left without any edge keeps the edge to its nearest neighbour (no point is isolated by the filter).
/// Weights and the two Felzenszwalb passes are those of <see cref="PointCloudSegmentator"/>, on the kept edges only.
/// Estimated normals are PCA normals (<see cref="SurfaceGraphOptions.NormalNeighbors"/>) oriented consistently by
/// <see cref="NormalOrientationPropagation"/> from the viewpoint.
/// Then <see cref="SurfaceGraphOptions.RefinementPasses"/> passes of <see cref="SegmentBoundaryRefinement"/> move border
/// points to the neighbouring segment whose mean normal and colour fit them better.
/// Segment id = the root point index of the Felzenszwalb segment.
/// </remarks>
public static class SurfaceGraphSegmentator
{
    /// <summary>Returns a segment id (a root point index) per point.</summary>
    /// <param name="positions">x, y, z per point.</param>
    /// <param name="colors">r, g, b per point (0–255), or empty (no colour term).</param>
    /// <param name="normals">nx, ny, nz per point, or null to estimate them.</param>
    /// <param name="options">Parameters; null = defaults.</param>
    public static int[] Segment(ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors = default, float[]? normals = null,
        SurfaceGraphOptions? options = null)
    {
        options ??= new SurfaceGraphOptions();
        int n = SegmentationInput.Validate(positions, colors, normals);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Neighbors, 1);
        if (n == 0)
            return [];
        if (normals is null)
        {
            var viewpoint = options.Viewpoint ?? VoxelCloud.BoxCentre(positions);
            normals = PointCloudNormals.TowardsViewpoint(positions, viewpoint, Math.Min(options.NormalNeighbors, n), options.Threads);
            if (options.PropagateOrientation)
                normals = NormalOrientationPropagation.Orient(positions, normals, viewpoint, options.Neighbors, options.OrientationMinCosine, options.Threads);
        }
        var (a, b) = Edges(positions, normals, options);
        float distanceScale = 0;
        if (options.DistanceWeight != 0 && a.Length > 0)
        {
            var lengths = new float[a.Length];
            for (int e = 0; e < a.Length; e++)
                lengths[e] = Vector3.Distance(Read(positions, a[e]), Read(positions, b[e]));
            Array.Sort(lengths);
            distanceScale = lengths[a.Length / 2] > 0 ? options.DistanceWeight / lengths[a.Length / 2] : 0;
        }
        var weights = SegmentatorEdgeWeights.Compute(positions, normals, colors, a, b, options.ColorWeight, distanceScale);
        var segments = FelzenszwalbSegmentation.Segment(n, a, b, weights, options.KThresh, options.MinPoints);
        SegmentBoundaryRefinement.Refine(positions, colors, normals, segments, options.RefinementPasses, options.RefinementColorWeight,
            options.RefinementNeighborWeight, options.Neighbors, options.Threads);
        return segments;
    }

    /// <summary>The kept surface edges, each unordered pair once (lower index first).</summary>
    public static (int[] A, int[] B) Edges(ReadOnlySpan<float> positions, float[] normals, SurfaceGraphOptions options)
    {
        ArgumentNullException.ThrowIfNull(normals);
        ArgumentNullException.ThrowIfNull(options);
        int n = SegmentationInput.Validate(positions, default, normals);
        int k = Math.Min(options.Neighbors + 1, n); // the point itself comes first
        var (nb, d2) = new KdTree(positions).Nearest(positions, k, options.Threads);

        var nearest = new List<float>(n);
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < k; t++)
            {
                if (nb[i * k + t] != i && nb[i * k + t] >= 0)
                {
                    nearest.Add(MathF.Sqrt(d2[i * k + t]));
                    break;
                }
            }
        }
        nearest.Sort();
        float spacing = nearest.Count == 0 ? 0 : nearest[nearest.Count / 2];
        float maxLength = options.MaxEdgeSpacings > 0 ? options.MaxEdgeSpacings * spacing : float.PositiveInfinity;

        var edgeA = new List<int>(n * options.Neighbors / 2);
        var edgeB = new List<int>(n * options.Neighbors / 2);
        var hasEdge = new bool[n];
        for (int i = 0; i < n; i++)
        {
            var xi = new Vector3(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]);
            var ni = new Vector3(normals[3 * i], normals[3 * i + 1], normals[3 * i + 2]);
            for (int t = 0; t < k; t++)
            {
                int j = nb[i * k + t];
                if (j <= i)
                    continue; // each pair once, from its lower index (a one-sided pair j < i is tested from i below)
                if (Keeps(positions, normals, nb, k, i, j, xi, ni, maxLength, options))
                {
                    edgeA.Add(i);
                    edgeB.Add(j);
                    hasEdge[i] = hasEdge[j] = true;
                }
            }
            // One-sided pairs found only from the higher index i (i lists j < i, j does not list i): never mutual.
            if (!options.Mutual)
            {
                for (int t = 0; t < k; t++)
                {
                    int j = nb[i * k + t];
                    if (j < 0 || j >= i || Lists(nb, j, k, i))
                        continue;
                    if (Keeps(positions, normals, nb, k, j, i, new Vector3(positions[3 * j], positions[3 * j + 1], positions[3 * j + 2]),
                        new Vector3(normals[3 * j], normals[3 * j + 1], normals[3 * j + 2]), maxLength, options))
                    {
                        edgeA.Add(j);
                        edgeB.Add(i);
                        hasEdge[i] = hasEdge[j] = true;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++)
        {
            if (hasEdge[i])
                continue;
            for (int t = 0; t < k; t++)
            {
                int j = nb[i * k + t];
                if (j == i || j < 0)
                    continue;
                edgeA.Add(Math.Min(i, j));
                edgeB.Add(Math.Max(i, j));
                hasEdge[i] = hasEdge[j] = true;
                break;
            }
        }
        return (edgeA.ToArray(), edgeB.ToArray());
    }

    // The edge test from the lower end i (j > i, or a one-sided pair seen from j).
    private static bool Keeps(ReadOnlySpan<float> positions, float[] normals, int[] nb, int k, int i, int j, Vector3 xi, Vector3 ni,
        float maxLength, SurfaceGraphOptions options)
    {
        if (options.Mutual && !(Lists(nb, i, k, j) && Lists(nb, j, k, i)))
            return false;
        var xj = new Vector3(positions[3 * j], positions[3 * j + 1], positions[3 * j + 2]);
        var nj = new Vector3(normals[3 * j], normals[3 * j + 1], normals[3 * j + 2]);
        var e = xj - xi;
        float length = e.Length();
        if (length > maxLength)
            return false;
        if (length == 0)
            return true;
        float slope = MathF.Max(MathF.Abs(Vector3.Dot(ni, e)), MathF.Abs(Vector3.Dot(nj, e))) / length;
        return slope <= options.MaxPlaneSlope;
    }

    private static Vector3 Read(ReadOnlySpan<float> a, int i) => new(a[3 * i], a[3 * i + 1], a[3 * i + 2]);

    private static bool Lists(int[] neighbors, int row, int k, int target)
    {
        for (int t = 0; t < k; t++)
        {
            if (neighbors[row * k + t] == target)
                return true;
        }
        return false;
    }
}
