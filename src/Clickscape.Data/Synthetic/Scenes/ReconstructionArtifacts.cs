using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Synthetic.Scenes;

/// <summary>
/// What volumetric fusion and mesh decimation do to a scanned room (ScanNet's <c>_vh_clean_2</c> meshes: a
/// BundleFusion TSDF, marching cubes, quadric decimation; Dai et al., CVPR 2017, §3; Curless and Levoy, SIGGRAPH 1996):
/// creases and contacts rounded over a few centimetres (the truncation band and the fusion of many noisy depth
/// maps), colour bled across the contacts (colour is averaged per voxel over frames whose poses are a little off),
/// irregular vertex spacing (decimation) and depth noise along the normal. Applied in place to a generated scan; the
/// labels stay the generated ones, so near a contact the geometry and colour no longer say where one object ends.
/// </summary>
/// <remarks>
/// Steps, all over the mesh's edges (the vertex 1-ring), across parts and objects alike:
/// <list type="number">
/// <item><see cref="SmoothingPasses"/> passes of Laplacian smoothing, x ← x + λ(x̄_ring − x), λ = <see cref="SmoothingStep"/>
/// (rounds every crease, including the floor–leg and table–object contacts, over about as many rings).</item>
/// <item>Irregular spacing: a Gaussian shift in the tangent plane, σ = <see cref="TangentialJitter"/> × the median edge
/// length h (normals from the area-weighted faces).</item>
/// <item>Depth noise: a Gaussian shift along the normal, σ = <see cref="DepthNoise"/>.</item>
/// <item><see cref="ColorBleedPasses"/> passes of colour averaging c ← (c + c̄_ring) / 2.</item>
/// </list>
/// The random numbers come from the caller's stream only, so a scene without this step is unchanged.
/// </remarks>
public static class ReconstructionArtifacts
{
    /// <summary>Passes of Laplacian smoothing of the positions.</summary>
    public const int SmoothingPasses = 3;

    /// <summary>λ of each smoothing pass.</summary>
    public const float SmoothingStep = 0.5f;

    /// <summary>σ of the tangential shift, in median edge lengths.</summary>
    public const float TangentialJitter = 0.25f;

    /// <summary>σ of the shift along the normal (metres).</summary>
    public const float DepthNoise = 0.003f;

    /// <summary>Passes of colour averaging over the 1-ring.</summary>
    public const int ColorBleedPasses = 3;

    /// <summary>Degrades <paramref name="scene"/> (a mesh with colours) in place.</summary>
    /// <param name="scene">A generated mesh.</param>
    /// <param name="rng">The random stream of this step.</param>
    /// <param name="depthNoise">σ of the shift along the normal, metres.</param>
    public static void Apply(Scene scene, SynthRandom rng, float depthNoise = DepthNoise)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(rng);
        var faces = scene.Faces ?? throw new ArgumentException($"scene {scene.Name} has no faces; expected a generated mesh", nameof(scene));
        int n = scene.PointCount;
        var (start, ring) = Rings(n, faces);
        var p = scene.Positions;

        var next = new float[p.Length];
        for (int pass = 0; pass < SmoothingPasses; pass++)
        {
            for (int v = 0; v < n; v++)
            {
                int count = start[v + 1] - start[v];
                for (int d = 0; d < 3; d++)
                {
                    if (count == 0)
                    {
                        next[3 * v + d] = p[3 * v + d];
                        continue;
                    }
                    float mean = 0;
                    for (int t = start[v]; t < start[v + 1]; t++) mean += p[3 * ring[t] + d];
                    mean /= count;
                    next[3 * v + d] = p[3 * v + d] + SmoothingStep * (mean - p[3 * v + d]);
                }
            }
            Array.Copy(next, p, p.Length);
        }

        var normals = FaceNormals(p, faces, n);
        float h = MedianEdge(p, start, ring);
        for (int v = 0; v < n; v++)
        {
            var normal = new Vector3(normals[3 * v], normals[3 * v + 1], normals[3 * v + 2]);
            var helper = MathF.Abs(normal.X) < 0.9f ? Vector3.UnitX : Vector3.UnitY;
            var u = Vector3.Normalize(Vector3.Cross(normal, helper));
            var w = Vector3.Cross(normal, u);
            var shift = (u * rng.Gaussian() + w * rng.Gaussian()) * (TangentialJitter * h) + normal * (rng.Gaussian() * depthNoise);
            p[3 * v] += shift.X;
            p[3 * v + 1] += shift.Y;
            p[3 * v + 2] += shift.Z;
        }

        if (scene.Colors is { } colors)
        {
            var c = colors.Select(b => (float)b).ToArray();
            var cn = new float[c.Length];
            for (int pass = 0; pass < ColorBleedPasses; pass++)
            {
                for (int v = 0; v < n; v++)
                {
                    int count = start[v + 1] - start[v];
                    for (int d = 0; d < 3; d++)
                    {
                        float mean = c[3 * v + d];
                        if (count > 0)
                        {
                            float sum = 0;
                            for (int t = start[v]; t < start[v + 1]; t++) sum += c[3 * ring[t] + d];
                            mean = sum / count;
                        }
                        cn[3 * v + d] = 0.5f * (c[3 * v + d] + mean);
                    }
                }
                (c, cn) = (cn, c);
            }
            for (int i = 0; i < c.Length; i++) colors[i] = (byte)Math.Clamp((int)MathF.Round(c[i]), 0, 255);
        }
    }

    /// <summary>
    /// ScanNet's Segmentator (<see cref="MeshSegmentator"/>, 0.01 / 20, normals of the faces) on the fused surface: the
    /// mesh edges plus, from every vertex, an edge to the nearest vertex of another object (another (label, instance)
    /// pair) within one median edge length. A TSDF makes one connected surface where objects touch; the generated mesh
    /// is welded only where vertices nearly coincide, so without these edges its segments would end exactly at every
    /// contact, which a real scan's do not.
    /// </summary>
    public static int[] FusedSegments(Scene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var faces = scene.Faces ?? throw new ArgumentException($"scene {scene.Name} has no faces; expected a generated mesh", nameof(scene));
        var labels = scene.SemanticLabels ?? new int[scene.PointCount];
        var instances = scene.InstanceIds ?? new int[scene.PointCount];
        int n = scene.PointCount;
        var p = scene.Positions;
        var (start, ring) = Rings(n, faces);
        float h = MedianEdge(p, start, ring);
        var edgeA = new List<int>(faces.Length);
        var edgeB = new List<int>(faces.Length);
        for (int v = 0; v < n; v++)
        {
            for (int t = start[v]; t < start[v + 1]; t++)
            {
                if (ring[t] > v)
                {
                    edgeA.Add(v);
                    edgeB.Add(ring[t]);
                }
            }
        }
        var tree = new Geometry.Neighbors.KdTree(p);
        var near = new List<int>();
        for (int v = 0; v < n; v++)
        {
            near.Clear();
            tree.Radius(p[3 * v], p[3 * v + 1], p[3 * v + 2], h, near);
            int best = -1;
            float bestD = float.PositiveInfinity;
            foreach (int w in near)
            {
                if (labels[w] == labels[v] && instances[w] == instances[v]) continue;
                float dx = p[3 * w] - p[3 * v], dy = p[3 * w + 1] - p[3 * v + 1], dz = p[3 * w + 2] - p[3 * v + 2];
                float d = dx * dx + dy * dy + dz * dz;
                if (d < bestD || (d == bestD && w < best))
                {
                    bestD = d;
                    best = w;
                }
            }
            if (best >= 0)
            {
                edgeA.Add(v);
                edgeB.Add(best);
            }
        }
        var normals = Geometry.Normals.MeshNormals.Segmentator(p, faces);
        var weights = new float[edgeA.Count];
        for (int e = 0; e < weights.Length; e++)
            weights[e] = Geometry.Segmentation.MeshSegmentator.EdgeWeight(p, normals, edgeA[e], edgeB[e]);
        return Geometry.Segmentation.FelzenszwalbSegmentation.Segment(n, edgeA.ToArray(), edgeB.ToArray(), weights,
            Geometry.Segmentation.MeshSegmentator.DefaultKThresh, Geometry.Segmentation.MeshSegmentator.DefaultSegMinVerts);
    }

    /// <summary>The 1-ring of every vertex (distinct edge neighbours) as CSR: ring[start[v]..start[v+1]].</summary>
    internal static (int[] Start, int[] Ring) Rings(int n, int[] faces)
    {
        var sets = new HashSet<int>[n];
        for (int f = 0; f + 2 < faces.Length; f += 3)
        {
            for (int e = 0; e < 3; e++)
            {
                int a = faces[f + e], b = faces[f + (e + 1) % 3];
                if (a == b) continue;
                (sets[a] ??= []).Add(b);
                (sets[b] ??= []).Add(a);
            }
        }
        var start = new int[n + 1];
        for (int v = 0; v < n; v++) start[v + 1] = start[v] + (sets[v]?.Count ?? 0);
        var ring = new int[start[n]];
        for (int v = 0; v < n; v++)
        {
            if (sets[v] is null) continue;
            int t = start[v];
            foreach (int w in sets[v].Order()) ring[t++] = w;
        }
        return (start, ring);
    }

    private static float[] FaceNormals(float[] p, int[] faces, int n)
    {
        var sum = new Vector3[n];
        for (int f = 0; f + 2 < faces.Length; f += 3)
        {
            int a = faces[f], b = faces[f + 1], c = faces[f + 2];
            var pa = new Vector3(p[3 * a], p[3 * a + 1], p[3 * a + 2]);
            var pb = new Vector3(p[3 * b], p[3 * b + 1], p[3 * b + 2]);
            var pc = new Vector3(p[3 * c], p[3 * c + 1], p[3 * c + 2]);
            var area = Vector3.Cross(pb - pa, pc - pa); // twice the area, along the normal
            sum[a] += area;
            sum[b] += area;
            sum[c] += area;
        }
        var normals = new float[3 * n];
        for (int v = 0; v < n; v++)
        {
            var m = sum[v].LengthSquared() > 0 ? Vector3.Normalize(sum[v]) : Vector3.UnitZ;
            normals[3 * v] = m.X;
            normals[3 * v + 1] = m.Y;
            normals[3 * v + 2] = m.Z;
        }
        return normals;
    }

    private static float MedianEdge(float[] p, int[] start, int[] ring)
    {
        var lengths = new List<float>(ring.Length / 2);
        for (int v = 0; v + 1 < start.Length; v++)
        {
            for (int t = start[v]; t < start[v + 1]; t++)
            {
                int w = ring[t];
                if (w < v) continue;
                float dx = p[3 * v] - p[3 * w], dy = p[3 * v + 1] - p[3 * w + 1], dz = p[3 * v + 2] - p[3 * w + 2];
                lengths.Add(MathF.Sqrt(dx * dx + dy * dy + dz * dz));
            }
        }
        if (lengths.Count == 0) return 0;
        lengths.Sort();
        return lengths[lengths.Count / 2];
    }
}
