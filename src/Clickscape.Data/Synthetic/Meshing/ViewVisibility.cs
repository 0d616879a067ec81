using System.Numerics;

namespace Clickscape.Data.Synthetic.Meshing;

/// <summary>
/// Which vertices of a mesh a handful of cameras see: a vertex is seen from a camera when its surface faces the
/// camera (not at a grazing angle), it is within range, and no other part's triangle crosses the segment between
/// them (<see cref="TriangleGrid.Occluded"/>, a shadow ray). This is how the generator leaves the holes real scans
/// have: under beds, behind cabinets, inside drawers' shadows.
/// </summary>
public static class ViewVisibility
{
    /// <summary>Marker for a vertex no camera sees.</summary>
    public const byte Unseen = byte.MaxValue;

    /// <summary>
    /// For every vertex, the index of the first camera (in order) that sees it, or <see cref="Unseen"/>.
    /// </summary>
    /// <param name="mesh">The surface whose vertices are tested (normals are used for facing).</param>
    /// <param name="occluders">Grid over the occluding triangles (may be a coarser tessellation of the same parts).</param>
    /// <param name="cameras">Camera positions (at most 254).</param>
    /// <param name="minCosine">Cosine of the largest angle between normal and view direction still seen.</param>
    /// <param name="maxRange">Largest camera distance still seen (depth sensors' range).</param>
    public static byte[] FirstSeenBy(TriangleMesh mesh, TriangleGrid occluders, IReadOnlyList<Vector3> cameras, float minCosine = 0.15f, float maxRange = 7f)
    {
        if (cameras.Count >= Unseen) throw new ArgumentException($"{cameras.Count} cameras; at most {Unseen - 1} are supported", nameof(cameras));
        var result = new byte[mesh.VertexCount];
        var p = mesh.Positions;
        var n = mesh.Normals;
        // Vertices are independent: each thread writes only its own entries, so the result does not depend on
        // scheduling.
        Parallel.For(0, (mesh.VertexCount + 1023) / 1024, block =>
        {
            int end = Math.Min(mesh.VertexCount, (block + 1) * 1024);
            for (int v = block * 1024; v < end; v++)
            {
                var pos = new Vector3(p[3 * v], p[3 * v + 1], p[3 * v + 2]);
                var normal = new Vector3(n[3 * v], n[3 * v + 1], n[3 * v + 2]);
                result[v] = Unseen;
                for (int c = 0; c < cameras.Count; c++)
                {
                    var d = cameras[c] - pos;
                    float dist = d.Length();
                    if (dist > maxRange || Vector3.Dot(normal, d) < minCosine * dist) continue;
                    // Start the shadow ray a hair off the surface so the vertex's own neighbours do not block it.
                    if (occluders.Occluded(pos + normal * 0.002f, cameras[c], mesh.Tags[v])) continue;
                    result[v] = (byte)c;
                    break;
                }
            }
        });
        return result;
    }
}
