using Clickscape.Evaluation.Averaging;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Evaluation.Interactive;

/// <summary>One object of an interactive-segmentation run: its class and the IoU after clicks 1, 2, …</summary>
/// <param name="IouPerClick">IoU after click k at index k−1 (at least one value; runs that stopped early are
/// extended with their last IoU up to <see cref="ClickMetrics.MaxClicks"/>).</param>
/// <param name="FinalMask">Optional: the final predicted mask (point indices) for AP.</param>
/// <param name="GtMask">Optional: the object's GT mask (point indices) for AP.</param>
/// <param name="PointCount">Number of points in the object's crop (needed with the masks).</param>
public sealed record InteractiveObject(
    string Scene,
    int ObjectId,
    int ClassId,
    double[] IouPerClick,
    int[]? FinalMask = null,
    int[]? GtMask = null,
    int PointCount = 0,
    double Confidence = 1.0);

/// <summary>NoC and IoU@k over a group of objects (all, or one class).</summary>
public sealed record ClickSummary(string Group, int Objects, double NocAt80, double NocAt85, double NocAt90, double[] IouAtClick);

/// <summary>Result of <see cref="ClickMetrics"/>: overall, per class (ascending class id), and the AP of the final masks.</summary>
public sealed record ClickMetricsResult(ClickSummary Overall, IReadOnlyList<ClickSummary> PerClass, InstanceApResult? FinalMaskAp, IReadOnlyList<string> Notes);

/// <summary>
/// Interactive 3D object segmentation metrics as InterObject3D reports them [IO3D; REFERENCE.md §5]:
/// per object the IoU after each click 1..20; NoC@k = the first click count whose IoU ≥ k (k = 0.80, 0.85,
/// 0.90), 20 when never reached, averaged over objects; IoU@n = mean IoU over objects after n clicks. Also per
/// class. The final masks are scored with the class-agnostic ScanNet AP (<see cref="InstanceAp"/>, every
/// object one scene with its GT as the only instance, minimum region 1 so every object counts).
/// </summary>
public sealed class ClickMetrics
{
    /// <summary>Clicks per object (official 20).</summary>
    public const int MaxClicks = 20;

    /// <summary>Minimum region size of the final-mask AP (default 1: every object counts).</summary>
    public int FinalMaskMinRegionSize { get; init; } = 1;

    /// <summary>IoU of two point-index masks over <paramref name="pointCount"/> points (1 when both are empty).</summary>
    public static double Iou(ReadOnlySpan<int> prediction, ReadOnlySpan<int> groundTruth, int pointCount)
    {
        var member = new bool[pointCount];
        foreach (var v in groundTruth)
            member[v] = true;
        var inter = 0;
        foreach (var v in prediction)
        {
            if (member[v])
                inter++;
        }
        var union = prediction.Length + groundTruth.Length - inter;
        return union == 0 ? 1.0 : (double)inter / union;
    }

    /// <summary>NoC@<paramref name="threshold"/> for one object: first click k with IoU ≥ threshold, else 20.</summary>
    public static int NumberOfClicks(ReadOnlySpan<double> iouPerClick, double threshold)
    {
        for (var k = 0; k < Math.Min(iouPerClick.Length, MaxClicks); k++)
        {
            if (iouPerClick[k] >= threshold)
                return k + 1;
        }
        return MaxClicks;
    }

    /// <summary>Evaluates the objects.</summary>
    public ClickMetricsResult Evaluate(IReadOnlyList<InteractiveObject> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var notes = new List<string>();
        foreach (var o in objects)
        {
            if (o.IouPerClick.Length == 0)
                throw new ArgumentException($"object {o.Scene}/{o.ObjectId}: no IoU values");
            foreach (var v in o.IouPerClick)
            {
                if (!(v >= 0 && v <= 1))
                    throw new ArgumentException($"object {o.Scene}/{o.ObjectId}: IoU {v} outside [0, 1]");
            }
        }
        var shortRuns = objects.Count(o => o.IouPerClick.Length < MaxClicks);
        if (shortRuns > 0)
            notes.Add($"{shortRuns} object(s) have fewer than {MaxClicks} clicks; their last IoU is carried forward");
        var overall = Summarize("all", objects);
        var perClass = objects.GroupBy(o => o.ClassId).OrderBy(g => g.Key)
            .Select(g => Summarize(g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), [.. g])).ToList();
        InstanceApResult? ap = null;
        var withMasks = objects.Where(o => o.FinalMask is not null && o.GtMask is not null).ToList();
        if (withMasks.Count > 0)
        {
            var scenes = withMasks.Select(o =>
            {
                var gt = new int[o.PointCount];
                foreach (var v in o.GtMask!)
                    gt[v] = 1001;
                return new InstanceScene($"{o.Scene}/{o.ObjectId}", gt, [new PredictedInstance(o.FinalMask!, 1, o.Confidence)]);
            }).ToList();
            ap = new InstanceAp([1], ["object"], minRegionSize: FinalMaskMinRegionSize, classAgnostic: true).Evaluate(scenes);
        }
        return new ClickMetricsResult(overall, perClass, ap, notes);
    }

    private static ClickSummary Summarize(string group, IReadOnlyList<InteractiveObject> objects)
    {
        var n = objects.Count;
        var noc80 = new double[n];
        var noc85 = new double[n];
        var noc90 = new double[n];
        var iouAt = new double[MaxClicks];
        var column = new double[n];
        for (var i = 0; i < n; i++)
        {
            noc80[i] = NumberOfClicks(objects[i].IouPerClick, 0.80);
            noc85[i] = NumberOfClicks(objects[i].IouPerClick, 0.85);
            noc90[i] = NumberOfClicks(objects[i].IouPerClick, 0.90);
        }
        for (var k = 0; k < MaxClicks; k++)
        {
            for (var i = 0; i < n; i++)
            {
                var ious = objects[i].IouPerClick;
                column[i] = ious[Math.Min(k, ious.Length - 1)];
            }
            iouAt[k] = NumpySum.Mean(column);
        }
        return new ClickSummary(group, n, NumpySum.Mean(noc80), NumpySum.Mean(noc85), NumpySum.Mean(noc90), iouAt);
    }
}
