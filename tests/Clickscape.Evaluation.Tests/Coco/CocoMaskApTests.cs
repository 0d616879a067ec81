using Clickscape.Evaluation.Coco;

namespace Clickscape.Evaluation.Tests.Coco;

public class CocoMaskApTests
{
    private const int H = 10, W = 10;

    /// <summary>A rectangle mask: columns x0..x1, rows y0..y1 inclusive.</summary>
    internal static Rle Box(int x0, int y0, int x1, int y1)
    {
        var m = new byte[H * W];
        for (var x = x0; x <= x1; x++)
        {
            for (var y = y0; y <= y1; y++)
                m[(x * H) + y] = 1;
        }
        return Rle.Encode(m, H, W);
    }

    private static CocoGroundTruth Gt(long id, Rle mask, bool crowd = false) => new(id, 1, 3, mask, mask.Area(), crowd);

    private static CocoDetection Dt(Rle mask, double score) => new(1, 3, mask, score);

    [Fact]
    public void HandComputed_FalsePositiveFirst_HalfOverlap()
    {
        // GT1 = cols 0..3 rows 0..3, GT2 = cols 5..8 rows 0..3 (16 px each, small).
        // D3 (.95) on rows 6..9: no overlap (FP). D1 (.9) = GT1. D2 (.8) = GT2's rows 0..1: IoU 8/16 = .5.
        var gts = new[] { Gt(1, Box(0, 0, 3, 3)), Gt(2, Box(5, 0, 8, 3)) };
        var dts = new[] { Dt(Box(0, 6, 3, 9), 0.95), Dt(Box(0, 0, 3, 3), 0.9), Dt(Box(5, 0, 8, 1), 0.8) };
        var r = new CocoMaskAp().Evaluate([1], [3], gts, dts);
        // t = .5: FP, TP, TP -> rc 0 .5 1, pr 0 .5 2/3 -> monotone 2/3 everywhere: 101 × 2/3.
        // t > .5 (9 thresholds): FP, TP, FP -> rc 0 .5 .5, pr 0 .5 1/3 -> monotone .5 .5 1/3:
        //   recall points 0..0.50 (51) take .5, 0.51..1 (50) take 0 -> mean 25.5/101.
        Assert.Equal(2.0 / 3.0, r.Ap50, 12);
        Assert.Equal(25.5 / 101, r.Ap75, 12);
        Assert.Equal(((101 * 2.0 / 3.0) + (9 * 25.5)) / 1010, r.Ap, 12);
        // All objects are small (area 16 <= 32²): APs = AP, no medium/large GT -> -1.
        Assert.Equal(r.Ap, r.ApSmall, 12);
        Assert.Equal(-1, r.ApMedium);
        Assert.Equal(-1, r.ApLarge);
    }

    [Fact]
    public void CrowdRegion_SwallowsDetectionAndIsNeverAMiss()
    {
        // As above plus a crowd GT over rows 6..9 (40 px): D3 inside it has IoU = 16/area(D3) = 1 -> ignored.
        var gts = new[] { Gt(1, Box(0, 0, 3, 3)), Gt(2, Box(5, 0, 8, 3)), Gt(3, Box(0, 6, 9, 9), crowd: true) };
        var dts = new[] { Dt(Box(0, 6, 3, 9), 0.95), Dt(Box(0, 0, 3, 3), 0.9), Dt(Box(5, 0, 8, 1), 0.8) };
        var r = new CocoMaskAp().Evaluate([1], [3], gts, dts);
        // t = .5: TP, TP with 2 GT (crowd not counted) -> precision 1 at every recall point.
        Assert.Equal(1.0, r.Ap50, 12);
        // t > .5: TP, FP -> rc .5 .5, pr 1 .5 -> monotone 1, .5: 51 points of 1, then 0.
        Assert.Equal(51.0 / 101, r.Ap75, 12);
    }

    [Fact]
    public void PerfectDetections_ScoreOne()
    {
        var gts = new[] { Gt(1, Box(0, 0, 3, 3)), Gt(2, Box(5, 0, 8, 3)) };
        var dts = new[] { Dt(Box(0, 0, 3, 3), 0.3), Dt(Box(5, 0, 8, 3), 0.7) };
        var r = new CocoMaskAp().Evaluate([1], [3], gts, dts);
        Assert.Equal(1.0, r.Ap, 12);
        Assert.Equal(1.0, r.CategoryAp[0], 12);
    }

    [Fact]
    public void CompressedString_RoundTrips_AndDecodesKnownExample()
    {
        var rng = new Random(1);
        for (var trial = 0; trial < 50; trial++)
        {
            var h = 1 + rng.Next(40);
            var w = 1 + rng.Next(40);
            var m = new byte[h * w];
            var p = rng.NextDouble();
            for (var i = 0; i < m.Length; i++)
                m[i] = rng.NextDouble() < p ? (byte)1 : (byte)0;
            var rle = Rle.Encode(m, h, w);
            var back = Rle.FromString(rle.ToCompressedString(), h, w);
            Assert.Equal(rle.Counts, back.Counts);
            Assert.Equal(m, back.Decode());
        }
        // Counts [22, 4, 6, 4, ...]: 22 = 0b10110 -> group 22 has bit 0x10 set, so it needs a second
        // group: chars (22 | 0x20) + 48 = 'f' and 0 + 48 = '0'.
        Assert.StartsWith("f0", Box(2, 2, 5, 5).ToCompressedString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Intersection_MatchesDenseCount()
    {
        var rng = new Random(6);
        for (var trial = 0; trial < 50; trial++)
        {
            var a = new byte[H * W];
            var b = new byte[H * W];
            for (var i = 0; i < a.Length; i++)
            {
                a[i] = (byte)rng.Next(2);
                b[i] = (byte)rng.Next(2);
            }
            var expected = a.Zip(b).Count(x => x.First == 1 && x.Second == 1);
            Assert.Equal(expected, Rle.Intersection(Rle.Encode(a, H, W), Rle.Encode(b, H, W)));
        }
    }

    [Fact]
    public void Polygon_IntegerRectangle_CoversItsPixels()
    {
        // pycocotools: a box [x, y, w, h] with integer corners rasterizes to w·h pixels, columns x..x+w−1 and
        // rows y..y+h−1 (pixel (c, r) is inside when its centre-ish sample falls in the rounded outline).
        var rle = PolygonRle.FromPolygons([[1, 1, 4, 4]], H, W);
        Assert.Equal(16, rle.Area());
        Assert.Equal(Box(1, 1, 4, 4).Counts, rle.Counts);
        var poly = PolygonRle.FromPolygons([[1, 1, 5, 1, 5, 5, 1, 5]], H, W);
        Assert.Equal(Box(1, 1, 4, 4).Counts, poly.Counts);
    }
}
