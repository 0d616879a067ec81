using Clickscape.Models.Solo;
using Clickscape.Training.Methods.PointWssis;

namespace Clickscape.Training.Tests.Methods.PointWssis;

public sealed class PointWssisBatchesTests
{
    private const int Size = 16;

    /// <summary>An image whose red channel is x, green y, blue 1, with one 4 × 4 square object at (4..7, 8..11).</summary>
    private static (float[] Pixels, IReadOnlyList<SoloInstance> Instances) Image()
    {
        var pixels = new float[3 * Size * Size];
        var mask = new byte[Size * Size];
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                pixels[y * Size + x] = x;
                pixels[Size * Size + y * Size + x] = y;
                pixels[2 * Size * Size + y * Size + x] = 1;
                if (x is >= 4 and < 8 && y is >= 8 and < 12) mask[y * Size + x] = 1;
            }
        return (pixels, [new SoloInstance(2, mask)]);
    }

    /// <summary>The flip-only augmentation gives exactly the old flip path (the resampling path is not taken).</summary>
    [Fact]
    public void FlipOnly_IsTheMirror()
    {
        var image = Image();
        var (a, ia) = PointWssisBatches.Build([image], Size, [ImageAugmentation.None with { Flip = true }]);
        var (b, ib) = PointWssisBatches.Build([image], Size, [true]);
        Assert.Equal(a.Data.ToArray(), b.Data.ToArray());
        Assert.Equal(ia[0][0].Mask, ib[0][0].Mask);
        Assert.Equal(Size - 1, a.Data[0]); // red = x, mirrored
    }

    /// <summary>Zoom × 2 placed at (−8, −8): output pixel (x, y) shows source ((x + 8) / 2, (y + 8) / 2) — the red and green
    /// ramps there — and the square's mask doubles to 8 × 8 at (0..7, 8..15), checked against that formula pixel by pixel.</summary>
    [Fact]
    public void ZoomIn_SamplesTheInverseMap_AndScalesTheMask()
    {
        var (t, inst) = PointWssisBatches.Build([Image()], Size, [new ImageAugmentation(false, 2, -8, -8)]);
        var d = t.Data;
        for (int y = 0; y < Size; y++)
            for (int x = 0; x < Size; x++)
            {
                double sx = (x + 0.5 + 8) / 2 - 0.5, sy = (y + 0.5 + 8) / 2 - 0.5;
                Assert.Equal(Math.Clamp(sx, 0, Size - 1), d[y * Size + x], 4);
                Assert.Equal(Math.Clamp(sy, 0, Size - 1), d[Size * Size + y * Size + x], 4);
                int mx = (int)Math.Floor((x + 0.5 + 8) / 2), my = (int)Math.Floor((y + 0.5 + 8) / 2);
                byte expected = (byte)(mx is >= 4 and < 8 && my is >= 8 and < 12 ? 1 : 0);
                Assert.Equal(expected, inst[0][0].Mask[y * Size + x]);
            }
        Assert.Equal(64, inst[0][0].Mask.Count(v => v == 1));
        Assert.Equal(2, inst[0][0].ClassIndex);
    }

    /// <summary>Zoom × 0.5 at (8, 0): the image fills the right half's top quarter; outside it the pixels are 0 (the
    /// normalized mean), and an object moved out of the picture is dropped rather than kept with an empty mask.</summary>
    [Fact]
    public void ZoomOut_PadsWithTheMean_AndDropsObjectsThatLeave()
    {
        var (t, inst) = PointWssisBatches.Build([Image()], Size, [new ImageAugmentation(false, 0.5, 8, 0)]);
        var blue = t.Data.Slice(2 * Size * Size, Size * Size).ToArray();
        Assert.Equal(8 * 8, blue.Count(v => v > 0.99f));
        Assert.Equal(0f, blue[0]); // top-left: the canvas
        Assert.Equal(1f, blue[Size - 1]); // top-right: the image
        Assert.Equal(4, inst[0][0].Mask.Count(v => v == 1)); // 4 × 4 → 2 × 2

        var (_, gone) = PointWssisBatches.Build([Image()], Size, [new ImageAugmentation(false, 2, 0, 0)]); // the top-left quarter: no square
        Assert.Empty(gone[0]);
    }

    /// <summary>Drawn augmentations keep the S × S output covered by the zoomed image when zooming in (no canvas shows) and
    /// the zoomed image inside the output when zooming out (none of it is cut).</summary>
    [Fact]
    public void Draw_KeepsTheCropInside()
    {
        var random = new Random(4);
        for (int i = 0; i < 200; i++)
        {
            var a = ImageAugmentation.Draw(random, Size, 0.5, 1.5);
            Assert.InRange(a.Scale, 0.5, 1.5);
            double lo = Math.Min(0, Size - a.Scale * Size), hi = Math.Max(0, Size - a.Scale * Size);
            Assert.InRange(a.OffsetX, lo, hi);
            Assert.InRange(a.OffsetY, lo, hi);
            var (t, _) = PointWssisBatches.Build([Image()], Size, [a]);
            int covered = t.Data.Slice(2 * Size * Size, Size * Size).ToArray().Count(v => v > 0.5f);
            if (a.Scale >= 1) Assert.Equal(Size * Size, covered);
        }
    }
}
