using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Tests.Synthetic.Meshing;

public sealed class TriangleGridTests
{
    // Reference: test the segment against every triangle in double precision.
    private static bool BruteForce(TriangleMesh m, Vector3 from, Vector3 to, int ignoreTag)
    {
        for (int f = 0; f < m.FaceCount; f++)
        {
            int ia = m.Faces[3 * f], ib = m.Faces[3 * f + 1], ic = m.Faces[3 * f + 2];
            if (m.Tags[ia] == ignoreTag) continue;
            double[] a = [m.Positions[3 * ia], m.Positions[3 * ia + 1], m.Positions[3 * ia + 2]];
            double[] b = [m.Positions[3 * ib], m.Positions[3 * ib + 1], m.Positions[3 * ib + 2]];
            double[] c = [m.Positions[3 * ic], m.Positions[3 * ic + 1], m.Positions[3 * ic + 2]];
            double[] o = [from.X, from.Y, from.Z];
            double[] d = [to.X - from.X, to.Y - from.Y, to.Z - from.Z];
            double[] e1 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]], e2 = [c[0] - a[0], c[1] - a[1], c[2] - a[2]];
            double[] p = Cross(d, e2);
            double det = Dot(e1, p);
            if (Math.Abs(det) < 1e-15) continue;
            double[] tv = [o[0] - a[0], o[1] - a[1], o[2] - a[2]];
            double u = Dot(tv, p) / det;
            if (u < 0 || u > 1) continue;
            double[] q = Cross(tv, e1);
            double v = Dot(d, q) / det;
            if (v < 0 || u + v > 1) continue;
            double t = Dot(e2, q) / det;
            if (t > 1e-4 && t < 1 - 1e-4) return true;
        }
        return false;
    }

    private static double[] Cross(double[] a, double[] b) => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];

    private static double Dot(double[] a, double[] b) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

    [Theory]
    [InlineData(1, 0.05f)]
    [InlineData(7, 0.13f)]
    [InlineData(31, 0.5f)]
    public void AgreesWithBruteForceOnRandomSegments(int seed, float cell)
    {
        var rng = new SynthRandom((ulong)seed);
        var b = new MeshBuilder();
        for (int k = 0; k < 9; k++)
        {
            var f = Frame.Yaw(new Vector3(rng.Uniform(0, 3), rng.Uniform(0, 2), rng.Uniform(0, 1.5f)), rng.Uniform(0, 6.3f)).TiltAboutX(rng.Uniform(-1, 1));
            if (k % 3 == 0) b.AddBox(f, new Vector3(rng.Uniform(0.05f, 0.6f), rng.Uniform(0.05f, 0.6f), rng.Uniform(0.05f, 0.6f)), 0.1f, k);
            else if (k % 3 == 1) b.AddFrustum(f, rng.Uniform(0.05f, 0.3f), rng.Uniform(0.05f, 0.3f), rng.Uniform(0.1f, 1), 0.1f, k);
            else b.AddPanel(f, 0, rng.Uniform(0.2f, 2), 0, rng.Uniform(0.2f, 2), 0.1f, k, [new PanelHole(0.1f, 0.3f, 0.1f, 0.3f)]);
        }
        var mesh = b.Build();
        var grid = new TriangleGrid(mesh, cell);
        int hits = 0;
        for (int i = 0; i < 257; i++)
        {
            var from = new Vector3(rng.Uniform(-0.5f, 3.5f), rng.Uniform(-0.5f, 2.5f), rng.Uniform(-0.5f, 2));
            var to = i % 5 == 0 ? from + new Vector3(rng.Uniform(-0.1f, 0.1f), 0, 0) : new Vector3(rng.Uniform(-1, 4), rng.Uniform(-1, 3), rng.Uniform(-1, 3));
            int ignore = i % 4 == 0 ? rng.Int(0, 9) : -1;
            bool expected = BruteForce(mesh, from, to, ignore);
            Assert.Equal(expected, grid.Occluded(from, to, ignore));
            if (expected) hits++;
        }
        Assert.InRange(hits, 20, 240); // both outcomes were exercised
    }

    [Fact]
    public void AxisParallelSegmentsAndEmptyMeshesWork()
    {
        var b = new MeshBuilder();
        b.AddPanel(Frame.Identity, 0, 1, 0, 1, 0.25f, 0);
        var grid = new TriangleGrid(b.Build(), 0.1f);
        Assert.True(grid.Occluded(new Vector3(0.5f, 0.5f, 1), new Vector3(0.5f, 0.5f, -1), -1));
        Assert.False(grid.Occluded(new Vector3(0.5f, 0.5f, 1), new Vector3(0.5f, 0.5f, -1), 0));
        Assert.False(grid.Occluded(new Vector3(1.5f, 0.5f, 1), new Vector3(1.5f, 0.5f, -1), -1));
        Assert.False(grid.Occluded(new Vector3(0.5f, 0.5f, 1), new Vector3(0.5f, 0.5f, 0.5f), -1));
        var empty = new TriangleGrid(new MeshBuilder().Build(), 0.1f);
        Assert.False(empty.Occluded(Vector3.Zero, Vector3.One, -1));
    }
}
