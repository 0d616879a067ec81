using System.Numerics;
using Clickscape.Data.Classes;
using Clickscape.Data.Synthetic.Meshing;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Synthetic.Scenes;

/// <summary>
/// Turns a <see cref="RoomLayout"/> into what a scan of it looks like: surfaces tessellated at a density that lands
/// the vertex count in the requested range, only the faces the scanner's cameras saw (occlusion holes), touching
/// surfaces welded into one connected mesh, vertex
/// noise, textured and lit colours with per-camera exposure and sensor noise, and exact NYU40 labels and instance
/// ids per vertex. Objects of class 0 (unannotated clutter) get label 0 and instance 0, as ScanNet's unannotated
/// vertices.
/// </summary>
/// <remarks>
/// Density: vertex count scales as 1/h² with the edge length h. The visible fraction of each part is first
/// measured on a coarse tessellation (6 cm), then h is solved so that the expected visible vertex count hits the
/// target, and corrected once more from the real count if it fell outside the range.
/// </remarks>
public static class ScanSimulator
{
    /// <summary>Edge length of the occluder tessellation (metres).</summary>
    public const float OccluderEdge = 0.06f;

    /// <summary>Vertices of different parts closer than this fraction of the edge length are welded
    /// (<see cref="VertexWelding"/>): touching objects form one connected surface, as in a reconstruction.</summary>
    public const float WeldFraction = 0.45f;

    /// <summary>Standard deviation of the isotropic vertex noise (metres).</summary>
    public const float VertexNoise = 0.0015f;

    /// <summary>Amplitude of the smooth bumps along the normal (metres): ~5 mm total deviation with the noise.</summary>
    public const float SurfaceBumps = 0.005f;

    /// <summary>Scans <paramref name="layout"/>; the result has between <paramref name="minVertices"/> and
    /// <paramref name="maxVertices"/> vertices (aimed at <paramref name="targetVertices"/>).</summary>
    public static Scene Scan(RoomLayout layout, string name, int targetVertices, int minVertices, int maxVertices, SynthRandom rng)
    {
        var parts = layout.Objects.SelectMany((o, i) => o.Parts.Select(p => (Object: i, Part: p))).ToArray();

        // Occluders and the per-part visible fraction on a coarse tessellation.
        var coarse = Tessellate(parts, OccluderEdge);
        var grid = new TriangleGrid(coarse, 0.15f);
        var coarseSeen = ViewVisibility.FirstSeenBy(coarse, grid, layout.Cameras);
        var seenFraction = new double[parts.Length];
        var coarseCount = new int[parts.Length];
        for (int v = 0; v < coarse.VertexCount; v++)
        {
            coarseCount[coarse.Tags[v]]++;
            if (coarseSeen[v] != ViewVisibility.Unseen) seenFraction[coarse.Tags[v]]++;
        }
        for (int t = 0; t < parts.Length; t++) seenFraction[t] = coarseCount[t] == 0 ? 0 : seenFraction[t] / coarseCount[t];

        // Solve for h: expected visible count E(h) = Σ_part count_part(h) · fraction_part.
        float h = 0.04f;
        for (int iteration = 0; iteration < 4; iteration++)
        {
            var trial = Tessellate(parts, h);
            double expected = 0;
            for (int v = 0; v < trial.VertexCount; v++) expected += seenFraction[trial.Tags[v]];
            h = Math.Clamp(h * MathF.Sqrt((float)(expected / targetVertices)), 0.006f, 0.2f);
        }

        TriangleMesh seen = null!;
        byte[] camera = null!;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var fine = Tessellate(parts, h);
            var firstSeen = ViewVisibility.FirstSeenBy(fine, grid, layout.Cameras);
            var keep = new bool[fine.FaceCount];
            for (int f = 0; f < keep.Length; f++)
            {
                keep[f] = firstSeen[fine.Faces[3 * f]] != ViewVisibility.Unseen && firstSeen[fine.Faces[3 * f + 1]] != ViewVisibility.Unseen
                    && firstSeen[fine.Faces[3 * f + 2]] != ViewVisibility.Unseen;
            }
            var visible = fine.KeepFaces(keep, out var visibleMap);
            seen = VertexWelding.Weld(visible, WeldFraction * h, 0.05f * h, out var weldMap);
            var map = visibleMap.Select(v => v < 0 ? -1 : weldMap[v]).ToArray();
            camera = new byte[seen.VertexCount];
            for (int v = map.Length - 1; v >= 0; v--)
            {
                if (map[v] >= 0) camera[map[v]] = firstSeen[v]; // a welded vertex keeps its own camera (lowest index wins)
            }
            if (seen.VertexCount >= minVertices && seen.VertexCount <= maxVertices) break;
            h *= MathF.Sqrt((float)seen.VertexCount / targetVertices);
        }
        return Finish(layout, name, parts, seen, camera, rng);
    }

    private static TriangleMesh Tessellate((int Object, ObjectPart Part)[] parts, float h)
    {
        var builder = new MeshBuilder();
        for (int t = 0; t < parts.Length; t++) parts[t].Part.Shape.Emit(builder, h, t);
        return builder.Build();
    }

    private static Scene Finish(RoomLayout layout, string name, (int Object, ObjectPart Part)[] parts, TriangleMesh mesh, byte[] camera, SynthRandom rng)
    {
        int n = mesh.VertexCount;
        // Instance ids 1..K in object order, over the objects that were seen at all.
        var instanceOf = new int[layout.Objects.Count];
        for (int v = 0; v < n; v++) instanceOf[parts[mesh.Tags[v]].Object] = 1;
        int k = 0;
        for (int o = 0; o < instanceOf.Length; o++)
        {
            bool annotated = layout.Objects[o].Nyu40Id != Scene.Unlabelled;
            instanceOf[o] = instanceOf[o] == 0 || !annotated ? Scene.NoInstance : ++k;
        }

        var shading = new SurfaceShading(layout.Lights, layout.Cameras.Count, rng);
        uint bumpSeed = (uint)rng.NextUInt64();
        var positions = new float[3 * n];
        var colors = new byte[3 * n];
        var labels = new int[n];
        var instances = new int[n];
        for (int v = 0; v < n; v++)
        {
            var (obj, part) = parts[mesh.Tags[v]];
            var p = new Vector3(mesh.Positions[3 * v], mesh.Positions[3 * v + 1], mesh.Positions[3 * v + 2]);
            var normal = new Vector3(mesh.Normals[3 * v], mesh.Normals[3 * v + 1], mesh.Normals[3 * v + 2]);
            var c = shading.Shade(p, normal, part.Albedo, part.Material, mesh.Tags[v], camera[v]);
            c += new Vector3(rng.Gaussian(), rng.Gaussian(), rng.Gaussian()) * 0.018f;
            colors[3 * v] = ToByte(c.X);
            colors[3 * v + 1] = ToByte(c.Y);
            colors[3 * v + 2] = ToByte(c.Z);
            var noisy = p + normal * (SurfaceBumps * LatticeNoise.Sample(p, 6, bumpSeed))
                + new Vector3(rng.Gaussian(), rng.Gaussian(), rng.Gaussian()) * VertexNoise;
            positions[3 * v] = noisy.X;
            positions[3 * v + 1] = noisy.Y;
            positions[3 * v + 2] = noisy.Z;
            labels[v] = layout.Objects[obj].Nyu40Id;
            instances[v] = instanceOf[obj];
        }
        return new Scene(name, positions)
        {
            Colors = colors,
            Faces = mesh.Faces,
            SemanticLabels = labels,
            InstanceIds = instances,
            Classes = ClassTables.Nyu40,
        };
    }

    private static byte ToByte(float c) => (byte)Math.Clamp((int)MathF.Round(255f * c), 0, 255);
}
