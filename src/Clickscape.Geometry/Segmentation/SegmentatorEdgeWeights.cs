using System.Numerics;

namespace Clickscape.Geometry.Segmentation;

/// <summary>
/// Edge weights of the point-cloud over-segmentations that run Felzenszwalb–Huttenlocher on a graph of their own
/// (<see cref="PointCloudSegmentator"/>, <see cref="SurfaceGraphSegmentator"/>, <see cref="LocalMeshSegmentator"/>):
/// ScanNet's Segmentator weight (<see cref="MeshSegmentator.EdgeWeight"/>), plus an optional edge-length term and an
/// optional colour term w_c·|c_a − c_b| / (255√3) (the Segmentator itself uses neither).
/// </summary>
public static class SegmentatorEdgeWeights
{
    /// <summary>The weight of every edge (a[e], b[e]).</summary>
    /// <param name="positions">x, y, z per point.</param>
    /// <param name="normals">unit nx, ny, nz per point.</param>
    /// <param name="colors">r, g, b per point (0–255), or empty (no colour term).</param>
    /// <param name="a">First point of each edge.</param>
    /// <param name="b">Second point of each edge.</param>
    /// <param name="colorWeight">w_c (0 = no colour term).</param>
    /// <param name="distanceScale">Weight per metre of edge length (0 = none).</param>
    public static float[] Compute(ReadOnlySpan<float> positions, ReadOnlySpan<float> normals, ReadOnlySpan<byte> colors,
        int[] a, int[] b, float colorWeight, float distanceScale = 0)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var weights = new float[a.Length];
        bool hasColor = !colors.IsEmpty && colorWeight != 0;
        float colorScale = colorWeight / (255f * MathF.Sqrt(3));
        for (int e = 0; e < a.Length; e++)
        {
            int i = a[e], j = b[e];
            float w = MeshSegmentator.EdgeWeight(positions, normals, i, j);
            if (distanceScale != 0)
                w += distanceScale * Vector3.Distance(new(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]),
                    new(positions[3 * j], positions[3 * j + 1], positions[3 * j + 2]));
            if (hasColor)
            {
                int dr = colors[3 * i] - colors[3 * j];
                int dg = colors[3 * i + 1] - colors[3 * j + 1];
                int db = colors[3 * i + 2] - colors[3 * j + 2];
                w += colorScale * MathF.Sqrt(dr * dr + dg * dg + db * db);
            }
            weights[e] = w;
        }
        return weights;
    }
}
