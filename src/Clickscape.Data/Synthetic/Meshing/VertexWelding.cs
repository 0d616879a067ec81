using System.Numerics;

namespace Clickscape.Data.Synthetic.Meshing;

/// <summary>
/// Merges vertices of different surface parts that lie within a radius of each other, so that touching surfaces
/// (a chair leg on the floor, a cabinet side against the wall, a seat on its legs) become one connected mesh, as
/// in a real scan's reconstruction, instead of separate pieces whose boundaries a method could read off the
/// connectivity. A uniform hash grid with cell = radius finds candidates in the 27 neighbouring cells.
/// </summary>
public static class VertexWelding
{
    /// <summary>
    /// Welds <paramref name="mesh"/>: scanning vertices in order, a vertex within <paramref name="radius"/> of an
    /// earlier kept vertex of another tag, or within <paramref name="sameTagRadius"/> of one of its own tag (the
    /// duplicated vertices along a box's edges, a cylinder's rim), is replaced by the nearest such vertex (which keeps
    /// its position, normal and tag); faces that collapse are dropped, unused vertices removed.
    /// <paramref name="vertexMap"/> receives, per input vertex, its output index or −1.
    /// </summary>
    public static TriangleMesh Weld(TriangleMesh mesh, float radius, float sameTagRadius, out int[] vertexMap)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(radius);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sameTagRadius, radius);
        int n = mesh.VertexCount;
        var p = mesh.Positions;
        var rep = new int[n];
        var next = new int[n];
        var head = new Dictionary<(int, int, int), int>();
        float r2 = radius * radius, same2 = sameTagRadius * sameTagRadius, inv = 1 / radius;
        for (int v = 0; v < n; v++)
        {
            var pv = new Vector3(p[3 * v], p[3 * v + 1], p[3 * v + 2]);
            int cx = (int)MathF.Floor(pv.X * inv), cy = (int)MathF.Floor(pv.Y * inv), cz = (int)MathF.Floor(pv.Z * inv);
            int found = -1;
            float best = r2;
            for (int dz = -1; dz <= 1; dz++)
            {
                for (int dy = -1; dy <= 1; dy++)
                {
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        if (!head.TryGetValue((cx + dx, cy + dy, cz + dz), out int u)) continue;
                        for (; u >= 0; u = next[u])
                        {
                            float d2 = Vector3.DistanceSquared(pv, new Vector3(p[3 * u], p[3 * u + 1], p[3 * u + 2]));
                            if (mesh.Tags[u] == mesh.Tags[v] && d2 >= same2) continue;
                            if (d2 < best || (d2 == best && found >= 0 && u < found))
                            {
                                best = d2;
                                found = u;
                            }
                        }
                    }
                }
            }
            if (found >= 0)
            {
                rep[v] = found;
                continue;
            }
            rep[v] = v;
            var key = (cx, cy, cz);
            next[v] = head.TryGetValue(key, out int first) ? first : -1;
            head[key] = v;
        }
        var faces = new List<int>(mesh.Faces.Length);
        for (int f = 0; f < mesh.FaceCount; f++)
        {
            int a = rep[mesh.Faces[3 * f]], b = rep[mesh.Faces[3 * f + 1]], c = rep[mesh.Faces[3 * f + 2]];
            if (a == b || b == c || a == c) continue;
            faces.Add(a);
            faces.Add(b);
            faces.Add(c);
        }
        var welded = new TriangleMesh(mesh.Positions, mesh.Normals, mesh.Tags, faces.ToArray());
        var compact = welded.KeepFaces(Enumerable.Repeat(true, welded.FaceCount).ToArray(), out var keptMap);
        vertexMap = new int[n];
        for (int v = 0; v < n; v++) vertexMap[v] = keptMap[rep[v]];
        return compact;
    }
}
