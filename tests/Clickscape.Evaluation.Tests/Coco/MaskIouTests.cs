using Clickscape.Data.Formats.Coco;
using Clickscape.Evaluation.Coco;

namespace Clickscape.Evaluation.Tests.Coco;

public class MaskIouTests
{
    private const int H = 10, W = 10;

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
            Assert.Equal(expected, MaskIou.Intersection(MaskRle.Encode(a, H, W), MaskRle.Encode(b, H, W)));
        }
    }

    [Fact]
    public void Iou_HandComputed_CrowdDividesByTheDetectionArea()
    {
        // Detection: cols 0..3 rows 0..3 (16 px). GT: cols 2..5 rows 0..3 (16 px). Overlap cols 2..3: 8 px.
        var detection = CocoMaskApTests.Box(0, 0, 3, 3);
        var gt = CocoMaskApTests.Box(2, 0, 5, 3);
        Assert.Equal(8.0 / 24.0, MaskIou.Iou(detection, gt, crowd: false), 15);
        Assert.Equal(8.0 / 16.0, MaskIou.Iou(detection, gt, crowd: true), 15);
        Assert.Equal(0, MaskIou.Iou(detection, CocoMaskApTests.Box(6, 6, 9, 9), crowd: false));
        Assert.Equal(-1, MaskIou.Iou(detection, MaskRle.Empty(H, W + 1), crowd: false));
    }
}
