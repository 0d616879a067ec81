using Clickscape.Geometry.Normals;

namespace Clickscape.Geometry.Segmentation;

/// <summary>
/// Mesh over-segmentation exactly as ScanNet's Segmentator (REFERENCE.md §1.1, [SN:Segmentator/segmentator.cpp]):
/// Felzenszwalb–Huttenlocher graph segmentation on the mesh edges with weights from vertex normals.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>Vertex normals: <see cref="MeshNormals.Segmentator"/> (running averages, not renormalized).</item>
/// <item>Edges: three per face, (i1, i2), (i1, i3), (i3, i2), in face order; shared edges are kept twice.</item>
/// <item>Weight of (a, b): w = 1 − n_a·n_b; with d = (p_b − p_a)/|p_b − p_a|, if n_b·d &gt; 0 (convex) w ← w².</item>
/// <item><see cref="FelzenszwalbSegmentation"/> with c = kThresh and minSize = segMinVerts.</item>
/// </list>
/// All float32. Segment id = root vertex index (ids are not contiguous). Ties between equal weights are broken
/// by edge order (face order, then the three edges in the order above); the official tool's unstable sort may
/// order exact ties differently, which changes ids but on real (noisy) meshes not the partition.
/// </remarks>
public static class MeshSegmentator
{
    /// <summary>ScanNet's default kThresh.</summary>
    public const float DefaultKThresh = 0.01f;

    /// <summary>ScanNet's default segMinVerts.</summary>
    public const int DefaultSegMinVerts = 20;

    /// <summary>Returns a segment id (a root vertex index) per vertex.</summary>
    /// <param name="positions">x, y, z per vertex.</param>
    /// <param name="faces">three vertex indices per triangle.</param>
    /// <param name="kThresh">Felzenszwalb's scale parameter; larger gives larger segments.</param>
    /// <param name="segMinVerts">Segments with fewer vertices are merged into a neighbour.</param>
    public static int[] Segment(ReadOnlySpan<float> positions, ReadOnlySpan<int> faces,
        float kThresh = DefaultKThresh, int segMinVerts = DefaultSegMinVerts)
    {
        if (!(kThresh >= 0) || float.IsInfinity(kThresh))
            throw new ArgumentOutOfRangeException(nameof(kThresh), kThresh, "kThresh must be a finite number ≥ 0");
        ArgumentOutOfRangeException.ThrowIfNegative(segMinVerts);
        var normals = MeshNormals.Segmentator(positions, faces);
        int m = faces.Length; // three edges per face
        var edgeA = new int[m];
        var edgeB = new int[m];
        for (int f = 0; f < faces.Length; f += 3)
        {
            int i1 = faces[f], i2 = faces[f + 1], i3 = faces[f + 2];
            edgeA[f] = i1;
            edgeB[f] = i2;
            edgeA[f + 1] = i1;
            edgeB[f + 1] = i3;
            edgeA[f + 2] = i3;
            edgeB[f + 2] = i2;
        }
        var weights = new float[m];
        for (int e = 0; e < m; e++)
            weights[e] = EdgeWeight(positions, normals, edgeA[e], edgeB[e]);
        return FelzenszwalbSegmentation.Segment(positions.Length / 3, edgeA, edgeB, weights, kThresh, segMinVerts);
    }

    /// <summary>The Segmentator's weight of edge (a, b): 1 − n_a·n_b, squared when the edge is convex at b.</summary>
    public static float EdgeWeight(ReadOnlySpan<float> positions, ReadOnlySpan<float> normals, int a, int b)
    {
        float ax = normals[3 * a], ay = normals[3 * a + 1], az = normals[3 * a + 2];
        float bx = normals[3 * b], by = normals[3 * b + 1], bz = normals[3 * b + 2];
        float dx = positions[3 * b] - positions[3 * a];
        float dy = positions[3 * b + 1] - positions[3 * a + 1];
        float dz = positions[3 * b + 2] - positions[3 * a + 2];
        float length = MathF.Sqrt(dx * dx + dy * dy + dz * dz);
        dx /= length;
        dy /= length;
        dz /= length;
        float dot = ax * bx + ay * by + az * bz;
        float convexity = bx * dx + by * dy + bz * dz;
        float w = 1.0f - dot;
        if (convexity > 0)
            w *= w;
        return w;
    }
}
