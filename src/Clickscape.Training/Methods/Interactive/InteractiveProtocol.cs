using Clickscape.Data.Clicks;
using Clickscape.Evaluation.Interactive;
using Clickscape.Geometry.Interactive;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Training.Methods.Interactive;

/// <summary>
/// The evaluation protocol of interactive 3D object segmentation (Kontogianni et al., §III-A "Simulating user clicks
/// during test"; REFERENCE.md §5): per object a fresh session on its crop; the simulated user
/// (<see cref="InteractiveClickSimulator"/>: centre of the largest error region on the 5 cm sub-sample, FN vs FP rule)
/// clicks, the segmenter answers with a mask (clicked cubes forced), up to <c>maxClicks</c> times; the IoU after every
/// click over all points of the crop is kept. A run whose sub-sampled points are all right stops early (the metrics carry
/// its last IoU forward).
/// </summary>
public static class InteractiveProtocol
{
    /// <summary>Runs the protocol on one object with the segmenter <paramref name="open"/> builds for its crop.</summary>
    public static InteractiveObject Run(InteractiveObjectSample sample, Func<Scene, IInteractiveSegmenter> open, int maxClicks = ClickMetrics.MaxClicks)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(open);
        if (maxClicks < 1 || maxClicks > ClickMetrics.MaxClicks) throw new ArgumentOutOfRangeException(nameof(maxClicks), maxClicks, $"expected 1..{ClickMetrics.MaxClicks} clicks");
        var segmenter = open(sample.Crop);
        var user = new InteractiveClickSimulator(sample.Crop, sample.Mask, sample.ObjectId, sample.ClassId);
        var session = new InteractiveSession(segmenter);
        var mask = session.Mask;
        var ious = new List<double>();
        for (int k = 0; k < maxClicks; k++)
        {
            var click = user.NextClick(mask, k);
            if (click is null) break;
            mask = session.Add(new InteractiveClick(click.Point, click.Positive));
            ious.Add(Iou(mask, sample.Mask));
        }
        if (ious.Count == 0) ious.Add(Iou(mask, sample.Mask)); // the empty mask was already exact on the sub-sample
        return new InteractiveObject(sample.Scene, sample.ObjectId, sample.ClassId, [.. ious]);
    }

    /// <summary>IoU of two masks of the same points (1 when both are empty).</summary>
    public static double Iou(ReadOnlySpan<bool> prediction, ReadOnlySpan<bool> groundTruth)
    {
        if (prediction.Length != groundTruth.Length) throw new ArgumentException($"masks of {prediction.Length} and {groundTruth.Length} points");
        int inter = 0, union = 0;
        for (int i = 0; i < prediction.Length; i++)
        {
            if (prediction[i] && groundTruth[i]) inter++;
            if (prediction[i] || groundTruth[i]) union++;
        }
        return union == 0 ? 1 : (double)inter / union;
    }
}
