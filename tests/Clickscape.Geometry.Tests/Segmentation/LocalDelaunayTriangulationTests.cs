using Clickscape.Geometry.Segmentation;

namespace Clickscape.Geometry.Tests.Segmentation;

public class LocalDelaunayTriangulationTests
{
    // A jittered 20 × 20 grid on the plane z = 0 (2 cm spacing, ±4 mm), normals +z.
    private static (float[] Positions, float[] Normals) JitteredPlane(int seed)
    {
        var rng = new Random(seed);
        var p = new List<float>();
        for (int i = 0; i < 20; i++)
        {
            for (int j = 0; j < 20; j++)
                p.AddRange([0.02f * i + (float)(rng.NextDouble() - 0.5) * 0.008f, 0.02f * j + (float)(rng.NextDouble() - 0.5) * 0.008f, 0]);
        }
        return ([.. p], Enumerable.Range(0, 400).SelectMany(_ => new float[] { 0, 0, 1 }).ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void On_a_plane_every_consistent_triangle_is_a_Delaunay_triangle_facing_the_normal(int seed)
    {
        var (p, normals) = JitteredPlane(seed);
        var faces = LocalDelaunayTriangulation.Faces(p, normals, neighbors: 16, votes: 3);
        Assert.Equal(0, faces.Length % 3);
        for (int f = 0; f < faces.Length; f += 3)
        {
            var (a, b, c) = (faces[f], faces[f + 1], faces[f + 2]);
            double ax = p[3 * a], ay = p[3 * a + 1], bx = p[3 * b], by = p[3 * b + 1], cx = p[3 * c], cy = p[3 * c + 1];
            double cross = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
            Assert.True(cross > 0, $"face {f / 3} is clockwise about +z");
            // Reference: the empty-circumcircle test against every point (in-circle determinant, double precision).
            for (int q = 0; q < 400; q++)
            {
                if (q == a || q == b || q == c)
                    continue;
                double dx = p[3 * q], dy = p[3 * q + 1];
                double adx = ax - dx, ady = ay - dy, bdx = bx - dx, bdy = by - dy, cdx = cx - dx, cdy = cy - dy;
                double det = (adx * adx + ady * ady) * (bdx * cdy - cdx * bdy) - (bdx * bdx + bdy * bdy) * (adx * cdy - cdx * ady)
                    + (cdx * cdx + cdy * cdy) * (adx * bdy - bdx * ady);
                Assert.True(det <= 1e-15, $"point {q} lies inside the circumcircle of face {f / 3}");
            }
        }
        // The Delaunay triangulation of n points with h on the convex hull has 2n − 2 − h triangles; every kept one is
        // among them, and the umbrellas agree on all but a few slivers along the hull.
        int total = 2 * 400 - 2 - HullSize(p);
        Assert.InRange(faces.Length / 3, total - 40, total);
        Assert.Equal(faces.Length / 3, Enumerable.Range(0, faces.Length / 3).Select(f => string.Join(',', faces.AsSpan(3 * f, 3).ToArray().Order())).Distinct().Count());
    }

    [Fact]
    public void The_union_of_umbrellas_holds_the_consistent_triangles()
    {
        var (p, normals) = JitteredPlane(3);
        static HashSet<string> Set(int[] f) => [.. Enumerable.Range(0, f.Length / 3).Select(t => string.Join(',', f.AsSpan(3 * t, 3).ToArray().Order()))];
        var consistent = Set(LocalDelaunayTriangulation.Faces(p, normals, votes: 3));
        var union = Set(LocalDelaunayTriangulation.Faces(p, normals, votes: 1));
        Assert.Subset(union, consistent);
    }

    [Fact]
    public void Fewer_than_three_points_make_no_triangle_and_bad_votes_are_rejected()
    {
        Assert.Empty(LocalDelaunayTriangulation.Faces(new float[6], new float[6]));
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalDelaunayTriangulation.Faces(new float[9], new float[9], votes: 4));
    }

    // Points on the convex hull (Andrew's monotone chain; collinear points excluded).
    private static int HullSize(float[] p)
    {
        var pts = Enumerable.Range(0, p.Length / 3).Select(i => ((double)p[3 * i], (double)p[3 * i + 1])).Order().ToArray();
        static double Cross((double X, double Y) o, (double X, double Y) a, (double X, double Y) b) => (a.X - o.X) * (b.Y - o.Y) - (a.Y - o.Y) * (b.X - o.X);
        var hull = new List<(double, double)>();
        foreach (var pass in new[] { pts, pts.Reverse().ToArray() })
        {
            int start = hull.Count;
            foreach (var q in pass)
            {
                while (hull.Count >= start + 2 && Cross(hull[^2], hull[^1], q) <= 0)
                    hull.RemoveAt(hull.Count - 1);
                hull.Add(q);
            }
            hull.RemoveAt(hull.Count - 1);
        }
        return hull.Count;
    }
}
