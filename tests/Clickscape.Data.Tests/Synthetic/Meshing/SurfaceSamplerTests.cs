using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Tests.Synthetic.Meshing;

public sealed class SurfaceSamplerTests
{
    [Fact]
    public void PointsLieOnTheSurfaceInProportionToArea()
    {
        var b = new MeshBuilder();
        b.AddPanel(Frame.Identity, 0, 1, 0, 1, 0.1f, 0);                     // area 1
        b.AddPanel(Frame.Identity.Offset(0, 0, 2), 0, 3, 0, 1, 0.13f, 1);     // area 3
        var points = SurfaceSampler.Sample(b.Build(), 20_000, new SynthRandom(5), out var tags);
        int onSecond = tags.Count(t => t == 1);
        Assert.Equal(0.75, onSecond / 20_000.0, 0.015);
        for (int i = 0; i < tags.Length; i++)
        {
            float x = points[3 * i], y = points[3 * i + 1], z = points[3 * i + 2];
            Assert.Equal(tags[i] == 0 ? 0f : 2f, z, 5);
            Assert.InRange(x, 0f, tags[i] == 0 ? 1f : 3f);
            Assert.InRange(y, 0f, 1f);
        }
        // Uniform inside: the mean of the first panel's points is its centre.
        var mean = Vector2.Zero;
        int n0 = 0;
        for (int i = 0; i < tags.Length; i++)
        {
            if (tags[i] != 0) continue;
            mean += new Vector2(points[3 * i], points[3 * i + 1]);
            n0++;
        }
        mean /= n0;
        Assert.Equal(0.5f, mean.X, 0.02f);
        Assert.Equal(0.5f, mean.Y, 0.02f);
    }
}
