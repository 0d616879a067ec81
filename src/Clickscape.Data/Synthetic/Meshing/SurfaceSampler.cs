using System.Numerics;

namespace Clickscape.Data.Synthetic.Meshing;

/// <summary>
/// Uniform random points on a triangle mesh: a triangle is drawn with probability proportional to its area
/// (binary search in the cumulative areas), then a point uniformly inside it with the square-root barycentric
/// mapping of Osada et al. ("Shape distributions", 2002): p = (1 − √r₁)a + √r₁(1 − r₂)b + √r₁r₂c.
/// </summary>
public static class SurfaceSampler
{
    /// <summary>
    /// <paramref name="count"/> points on <paramref name="mesh"/>; <paramref name="tags"/> receives the tag of the
    /// triangle each point came from (the tag of its first vertex).
    /// </summary>
    public static float[] Sample(TriangleMesh mesh, int count, SynthRandom rng, out int[] tags)
    {
        int t = mesh.FaceCount;
        if (t == 0) throw new ArgumentException("cannot sample points on a mesh without triangles", nameof(mesh));
        var cumulative = new double[t];
        double total = 0;
        for (int f = 0; f < t; f++)
        {
            var (a, b, c) = Corners(mesh, f);
            total += 0.5 * Vector3.Cross(b - a, c - a).Length();
            cumulative[f] = total;
        }
        var points = new float[3 * count];
        tags = new int[count];
        for (int i = 0; i < count; i++)
        {
            double u = rng.NextDouble() * total;
            int f = Array.BinarySearch(cumulative, u);
            if (f < 0) f = ~f;
            f = Math.Min(f, t - 1);
            var (a, b, c) = Corners(mesh, f);
            float r1 = MathF.Sqrt((float)rng.NextDouble()), r2 = (float)rng.NextDouble();
            var p = (1 - r1) * a + r1 * (1 - r2) * b + r1 * r2 * c;
            points[3 * i] = p.X;
            points[3 * i + 1] = p.Y;
            points[3 * i + 2] = p.Z;
            tags[i] = mesh.Tags[mesh.Faces[3 * f]];
        }
        return points;
    }

    private static (Vector3 A, Vector3 B, Vector3 C) Corners(TriangleMesh mesh, int f)
    {
        var p = mesh.Positions;
        int a = mesh.Faces[3 * f], b = mesh.Faces[3 * f + 1], c = mesh.Faces[3 * f + 2];
        return (new Vector3(p[3 * a], p[3 * a + 1], p[3 * a + 2]), new Vector3(p[3 * b], p[3 * b + 1], p[3 * b + 2]), new Vector3(p[3 * c], p[3 * c + 1], p[3 * c + 2]));
    }
}
