using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Tests.Synthetic.Meshing;

public sealed class MeshBuilderTests
{
    private static double Area(TriangleMesh m, Func<Vector3, bool>? where = null)
    {
        double total = 0;
        for (int f = 0; f < m.FaceCount; f++)
        {
            var (a, b, c) = Corners(m, f);
            if (where is not null && !where((a + b + c) / 3)) continue;
            total += 0.5 * Vector3.Cross(b - a, c - a).Length();
        }
        return total;
    }

    private static (Vector3, Vector3, Vector3) Corners(TriangleMesh m, int f)
    {
        Vector3 P(int i) => new(m.Positions[3 * i], m.Positions[3 * i + 1], m.Positions[3 * i + 2]);
        return (P(m.Faces[3 * f]), P(m.Faces[3 * f + 1]), P(m.Faces[3 * f + 2]));
    }

    private static Vector3 Normal(TriangleMesh m, int v) => new(m.Normals[3 * v], m.Normals[3 * v + 1], m.Normals[3 * v + 2]);

    // Every triangle's winding normal must agree with the analytic normals of its vertices (outward).
    private static void AssertWindingMatchesNormals(TriangleMesh m)
    {
        for (int f = 0; f < m.FaceCount; f++)
        {
            var (a, b, c) = Corners(m, f);
            var n = Vector3.Cross(b - a, c - a);
            Assert.True(Vector3.Dot(n, Normal(m, m.Faces[3 * f])) > 0, $"face {f} winds against its vertex normal");
        }
    }

    [Theory]
    [InlineData(0.3f, 0.2f, 0.1f, 0.05f)]
    [InlineData(1.7f, 0.013f, 0.61f, 0.037f)]
    [InlineData(0.01f, 0.01f, 0.01f, 0.2f)]
    public void BoxHasTheAnalyticAreaAndOutwardWinding(float hx, float hy, float hz, float h)
    {
        var b = new MeshBuilder();
        var frame = Frame.Yaw(new Vector3(1, 2, 3), 0.7f).TiltAboutX(0.3f);
        b.AddBox(frame, new Vector3(hx, hy, hz), h, 5);
        var m = b.Build();
        double expected = 8.0 * ((double)hx * hy + (double)hy * hz + (double)hx * hz);
        Assert.Equal(expected, Area(m), expected * 1e-4);
        AssertWindingMatchesNormals(m);
        Assert.All(m.Tags, t => Assert.Equal(5, t));
        // Outward: the normal points away from the box centre.
        for (int v = 0; v < m.VertexCount; v++)
        {
            var p = new Vector3(m.Positions[3 * v], m.Positions[3 * v + 1], m.Positions[3 * v + 2]);
            Assert.True(Vector3.Dot(p - frame.Origin, Normal(m, v)) > 0);
        }
    }

    [Fact]
    public void BoxWithoutBottomOmitsOnlyTheBottom()
    {
        var b = new MeshBuilder();
        b.AddBox(Frame.Identity, new Vector3(0.5f, 0.25f, 0.125f), 0.05f, 0, BoxFaces.All & ~BoxFaces.NegZ);
        var m = b.Build();
        Assert.Equal(8.0 * (0.5 * 0.25 + 0.25 * 0.125 + 0.5 * 0.125) - 4 * 0.5 * 0.25, Area(m), 1e-4);
        Assert.Equal(0, Area(m, c => c.Z < -0.1249f && Math.Abs(c.X) < 0.49f && Math.Abs(c.Y) < 0.24f));
    }

    [Fact]
    public void PanelHolesAreExactRectanglesAndEdgesAreNearTheTarget()
    {
        var b = new MeshBuilder();
        PanelHole[] holes = [new(0.5f, 1.37f, 0, 2.05f), new(2.1f, 3.3f, 0.9f, 2.2f)];
        float h = 0.07f;
        b.AddPanel(Frame.Identity, 0, 4.13f, 0, 2.71f, h, 1, holes);
        var m = b.Build();
        double expected = 4.13 * 2.71 - 0.87 * 2.05 - 1.2 * 1.3;
        Assert.Equal(expected, Area(m), 1e-3);
        for (int f = 0; f < m.FaceCount; f++)
        {
            var (a, bb, c) = Corners(m, f);
            var centroid = (a + bb + c) / 3;
            Assert.DoesNotContain(holes, hole => hole.Contains(centroid.X, centroid.Y));
            // Edges of the grid cells: at most the diagonal of a cell of side ≤ 1.5 h.
            Assert.True(Vector3.Distance(a, bb) < 1.5f * h * MathF.Sqrt(2) && Vector3.Distance(bb, c) < 1.5f * h * MathF.Sqrt(2));
        }
        AssertWindingMatchesNormals(m);
    }

    [Fact]
    public void FoldedPanelNormalsAreUnitAndMatchTheWinding()
    {
        var b = new MeshBuilder();
        b.AddPanel(Frame.Identity, 0, 1.3f, 0, 2, 0.02f, 0, [], new PanelFolds(0.03f, 0.17f, 0.4f));
        var m = b.Build();
        for (int v = 0; v < m.VertexCount; v++) Assert.Equal(1f, Normal(m, v).Length(), 4);
        AssertWindingMatchesNormals(m);
        Assert.True(Area(m) > 1.3 * 2, "folds add area");
    }

    [Theory]
    [InlineData(0.3f, 0.3f, 1.1f, 0.03f)]
    [InlineData(0.2f, 0.05f, 0.37f, 0.011f)]
    public void FrustumAreaApproachesTheAnalyticArea(float r0, float r1, float height, float h)
    {
        var b = new MeshBuilder();
        b.AddFrustum(Frame.Yaw(new Vector3(0.2f, -1, 0), 1.1f), r0, r1, height, h, 2);
        var m = b.Build();
        double slant = Math.Sqrt((double)height * height + (double)(r1 - r0) * (r1 - r0));
        double expected = Math.PI * (r0 + r1) * slant + Math.PI * r0 * r0 + Math.PI * r1 * r1;
        // The polygonal approximation with n ≥ 2πr/h sides loses about (2π²/3)(h/2πr)² of the area.
        Assert.Equal(expected, Area(m), expected * 0.02);
        Assert.True(Area(m) < expected);
        AssertWindingMatchesNormals(m);
    }

    [Fact]
    public void KeepFacesDropsUnusedVerticesAndRenumbers()
    {
        var b = new MeshBuilder();
        b.AddPanel(Frame.Identity, 0, 1, 0, 1, 0.5f, 3);
        b.AddPanel(Frame.Identity.Offset(5, 0, 0), 0, 1, 0, 1, 0.5f, 4);
        var m = b.Build();
        var keep = Enumerable.Range(0, m.FaceCount).Select(f => f < m.FaceCount / 2).ToArray();
        var kept = m.KeepFaces(keep, out var map);
        Assert.Equal(9, kept.VertexCount);
        Assert.All(kept.Tags, t => Assert.Equal(3, t));
        Assert.All(map.Skip(9), v => Assert.Equal(-1, v));
        Assert.Equal(m.FaceCount / 2, kept.FaceCount);
    }
}
