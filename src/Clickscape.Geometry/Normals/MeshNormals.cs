namespace Clickscape.Geometry.Normals;

/// <summary>
/// Per-vertex normals of a triangle mesh, computed the way ScanNet's Segmentator computes them
/// (REFERENCE.md §1.1, [SN:Segmentator/segmentator.cpp]).
/// </summary>
/// <remarks>
/// Face normal = (p2 − p1) × (p3 − p1), each component divided by the float32 length. Vertex normal = running
/// average of the incident face normals in face order: after k faces, n ← v·f + (1 − v)·n with v = 1/(k + 1),
/// all in float32, <b>not renormalized</b> (so its length is below 1 on curved regions, which the Segmentator's
/// edge weights depend on). A vertex used by no face keeps (0, 0, 0). A degenerate face (zero area) has a NaN
/// normal, as in the C++ tool, and poisons its vertices' normals the same way.
/// </remarks>
public static class MeshNormals
{
    /// <summary>Returns x, y, z per vertex, with the Segmentator's running-average convention.</summary>
    /// <param name="positions">x, y, z per vertex.</param>
    /// <param name="faces">three vertex indices per triangle, all in range.</param>
    public static float[] Segmentator(ReadOnlySpan<float> positions, ReadOnlySpan<int> faces)
    {
        Validate(positions, faces);
        int n = positions.Length / 3;
        var normals = new float[3 * n];
        var counts = new int[n];
        for (int f = 0; f < faces.Length; f += 3)
        {
            int i1 = faces[f], i2 = faces[f + 1], i3 = faces[f + 2];
            float e1x = positions[3 * i2] - positions[3 * i1];
            float e1y = positions[3 * i2 + 1] - positions[3 * i1 + 1];
            float e1z = positions[3 * i2 + 2] - positions[3 * i1 + 2];
            float e2x = positions[3 * i3] - positions[3 * i1];
            float e2y = positions[3 * i3 + 1] - positions[3 * i1 + 1];
            float e2z = positions[3 * i3 + 2] - positions[3 * i1 + 2];
            float cx = e1y * e2z - e1z * e2y;
            float cy = e1z * e2x - e1x * e2z;
            float cz = e1x * e2y - e1y * e2x;
            float length = MathF.Sqrt(cx * cx + cy * cy + cz * cz);
            cx /= length;
            cy /= length;
            cz /= length;
            Blend(normals, counts, i1, cx, cy, cz);
            Blend(normals, counts, i2, cx, cy, cz);
            Blend(normals, counts, i3, cx, cy, cz);
        }
        return normals;
    }

    // n ← v·f + (1 − v)·n, v = 1/(count + 1): the C++ lerp, operand order kept so every rounding matches.
    private static void Blend(float[] normals, int[] counts, int vertex, float fx, float fy, float fz)
    {
        float v = 1.0f / (counts[vertex] + 1.0f);
        float u = 1.0f - v;
        int o = 3 * vertex;
        normals[o] = v * fx + u * normals[o];
        normals[o + 1] = v * fy + u * normals[o + 1];
        normals[o + 2] = v * fz + u * normals[o + 2];
        counts[vertex]++;
    }

    internal static void Validate(ReadOnlySpan<float> positions, ReadOnlySpan<int> faces)
    {
        if (positions.Length % 3 != 0)
            throw new ArgumentException($"mesh positions hold {positions.Length} floats, expected a multiple of 3 (x y z per vertex)", nameof(positions));
        if (faces.Length % 3 != 0)
            throw new ArgumentException($"mesh faces hold {faces.Length} indices, expected a multiple of 3 (triangles)", nameof(faces));
        uint n = (uint)(positions.Length / 3);
        for (int i = 0; i < faces.Length; i++)
        {
            if ((uint)faces[i] >= n)
                throw new ArgumentException($"mesh face {i / 3} references vertex {faces[i]}, expected 0..{(int)n - 1}", nameof(faces));
        }
    }
}
