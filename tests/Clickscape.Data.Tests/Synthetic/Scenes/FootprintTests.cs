using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;
using Clickscape.Data.Synthetic.Scenes;

namespace Clickscape.Data.Tests.Synthetic.Scenes;

public sealed class FootprintTests
{
    [Fact]
    public void OverlapAgreesWithDenseSampling()
    {
        var rng = new SynthRandom(9);
        int agree = 0, overlaps = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            var a = new Footprint(new Vector2(rng.Uniform(0, 2), rng.Uniform(0, 2)), rng.Uniform(0.1f, 0.8f), rng.Uniform(0.1f, 0.8f), rng.Uniform(0, 6.3f));
            var b = new Footprint(new Vector2(rng.Uniform(0, 2), rng.Uniform(0, 2)), rng.Uniform(0.1f, 0.8f), rng.Uniform(0.1f, 0.8f), rng.Uniform(0, 6.3f));
            // Reference: a grid of points of a shrunk by 1 cm; any inside b (shrunk too) means a clear overlap.
            bool sampledOverlap = false, sampledSeparate = true;
            for (int i = 0; i <= 40 && !sampledOverlap; i++)
            {
                for (int j = 0; j <= 40; j++)
                {
                    var local = new Vector2((i / 20f - 1) * (a.HalfWidth - 0.01f), (j / 20f - 1) * (a.HalfDepth - 0.01f));
                    var p = a.Center + local.X * new Vector2(MathF.Cos(a.Yaw), MathF.Sin(a.Yaw)) + local.Y * new Vector2(-MathF.Sin(a.Yaw), MathF.Cos(a.Yaw));
                    if (b.Contains(p, -0.01f)) sampledOverlap = true;
                    if (b.Contains(p, 0.01f)) sampledSeparate = false;
                }
            }
            bool sat = a.Overlaps(b);
            if (sampledOverlap) Assert.True(sat, $"trial {trial}: sampled points overlap but SAT says separate");
            if (sampledSeparate) Assert.False(sat, $"trial {trial}: clearly separate but SAT says overlap");
            if (sampledOverlap || sampledSeparate) agree++;
            if (sat) overlaps++;
            Assert.Equal(sat, b.Overlaps(a));
        }
        Assert.True(agree > 250 && overlaps > 30 && overlaps < 270);
    }

    [Fact]
    public void TouchingRectanglesDoNotOverlapAndRoomBoundsHold()
    {
        var a = new Footprint(new Vector2(1, 1), 0.5f, 0.3f, 0);
        var b = new Footprint(new Vector2(2, 1), 0.5f, 0.3f, 0);
        Assert.False(a.Overlaps(b));
        Assert.True(a.Overlaps(b with { Center = new Vector2(1.95f, 1) }));
        Assert.True(a.InsideRoom(1.5f, 1.3f));
        Assert.False(a.InsideRoom(1.4f, 1.3f));
        Assert.False((a with { Yaw = 0.7f }).InsideRoom(1.5f, 1.3f));
    }
}
