using Clickscape.Data.Formats.Coco;

namespace Clickscape.Evaluation.Coco;

/// <summary>
/// Overlap of two COCO run-length masks without decoding them, as pycocotools <c>rleIou</c>
/// [pycocotools:common/maskApi.c]: the two run lists are walked side by side, a run at a time.
/// </summary>
public static class MaskIou
{
    /// <summary>Pixels inside both masks (which must have one size), by walking the two run lists.</summary>
    public static long Intersection(MaskRle a, MaskRle b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int ia = 0, ib = 0;
        long ra = a.Counts.Length > 0 ? a.Counts[0] : 0, rb = b.Counts.Length > 0 ? b.Counts[0] : 0;
        bool va = false, vb = false;
        long inter = 0;
        while (true)
        {
            // Skip exhausted (zero-length) runs.
            while (ra == 0 && ia + 1 < a.Counts.Length)
            {
                ra = a.Counts[++ia];
                va = !va;
            }
            while (rb == 0 && ib + 1 < b.Counts.Length)
            {
                rb = b.Counts[++ib];
                vb = !vb;
            }
            if (ra == 0 || rb == 0)
                return inter;
            var c = Math.Min(ra, rb);
            if (va && vb)
                inter += c;
            ra -= c;
            rb -= c;
        }
    }

    /// <summary>
    /// COCO mask IoU (<c>rleIou</c>): intersection / union, or intersection / area(detection) when the GT is a
    /// crowd region (the crowd region may hold the detection's object and more); 0 when the masks do not
    /// intersect; −1 when their sizes differ. The ratio is taken of 32-bit unsigned counts, as pycocotools does.
    /// </summary>
    public static double Iou(MaskRle detection, MaskRle groundTruth, bool crowd)
    {
        ArgumentNullException.ThrowIfNull(detection);
        ArgumentNullException.ThrowIfNull(groundTruth);
        if (detection.Height != groundTruth.Height || detection.Width != groundTruth.Width)
            return -1;
        var i = Intersection(detection, groundTruth);
        if (i == 0)
            return 0;
        var u = crowd ? detection.Area() : detection.Area() + groundTruth.Area() - i;
        return (double)(uint)i / (uint)u;
    }
}
