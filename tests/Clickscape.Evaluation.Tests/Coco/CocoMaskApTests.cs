using Clickscape.Data.Formats.Coco;
using Clickscape.Evaluation.Coco;

namespace Clickscape.Evaluation.Tests.Coco;

public class CocoMaskApTests
{
    private const int H = 10, W = 10;

    /// <summary>A rectangle mask: columns x0..x1, rows y0..y1 inclusive.</summary>
    internal static MaskRle Box(int x0, int y0, int x1, int y1)
    {
        var m = new byte[H * W];
        for (var x = x0; x <= x1; x++)
        {
            for (var y = y0; y <= y1; y++)
                m[(y * W) + x] = 1;
        }
        return MaskRle.Encode(m, H, W);
    }

    private static CocoGroundTruth Gt(long id, MaskRle mask, bool crowd = false) => new(id, 1, 3, mask, mask.Area(), crowd);

    private static CocoDetection Dt(MaskRle mask, double score) => new(1, 3, mask, score);

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
}
