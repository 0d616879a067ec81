using Clickscape.Evaluation.Averaging;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Evaluation.PartNet;

/// <summary>
/// One PartNet shape at one level: per-point GT part label (0 = "other") and GT instance id, the predicted part
/// instances, and optionally per-point predicted part labels for the semantic mIoU.
/// </summary>
/// <param name="GtInstance">GT instance per point; a GT part instance is a distinct (label, instance) pair with label &gt; 0.</param>
public sealed record PartShape(string Name, int[] GtLabel, int[] GtInstance, IReadOnlyList<PredictedInstance> Predictions, int[]? PredictedLabel = null);

/// <summary>Result of <see cref="PartInstanceAp"/> for one level.</summary>
/// <param name="ClassAp">[class][threshold] AP per part class (index = label − 1), NaN where the class has no GT.</param>
/// <param name="MeanAp">Mean over classes with GT, per threshold.</param>
/// <param name="ShapeAp">Shape-averaged AP (s-AP) per threshold.</param>
/// <param name="ClassIou">Semantic IoU per class (NaN where the class occurs nowhere), when labels were given.</param>
public sealed record PartInstanceApResult(
    IReadOnlyList<double> Thresholds,
    double[][] ClassAp,
    double[] MeanAp,
    double[] ShapeAp,
    double[]? ClassIou,
    double MeanIou,
    IReadOnlyList<string> Notes);

/// <summary>
/// PartNet part instance segmentation AP [PNE:exps/utils/eval_utils.py <c>eval_per_class_ap</c>,
/// <c>eval_per_shape_mean_ap</c>; REFERENCE.md §6]. Per shape, points labelled "other" (0) in GT are removed
/// from every prediction; predictions are visited by descending confidence (ties: line order, a stable sort);
/// each takes the unused same-class GT of highest IoU (first one on ties), a TP when that IoU is
/// <em>strictly</em> above the threshold (0.25, 0.5, 0.75), else a FP. Per class the TP/FP lists of all shapes
/// are sorted by confidence again and AP is the 101-point interpolated precision
/// (Σ_{t = 0, .01, …, 1} max{p : r ≥ t} / 101, with the point (r 0, p 1) prepended); a class with GT and no
/// prediction scores 0, a class without GT is left out of the mean. s-AP: per shape, classes present in GT or
/// predictions score their AP (0 when only one side has them), the shape's mean over those classes is averaged
/// over shapes with any. AP values are rounded to float32 as the official arrays store them.
/// Semantic mIoU per level (our definition; the official hierarchical mIoU needs the part tree): per class,
/// Σ|pred ∩ gt| / Σ|pred ∪ gt| over all shapes, points whose GT is "other" excluded, mean over classes present.
/// </summary>
public sealed class PartInstanceAp
{
    /// <summary>The thresholds (IoU strictly above); official 0.25, 0.5, 0.75.</summary>
    public IReadOnlyList<double> Thresholds { get; init; } = [0.25, 0.5, 0.75];

    /// <summary>The file label of each class 1..K, for the notes (<see cref="PartNetFolders"/> renumbers labels); null: the class number.</summary>
    public IReadOnlyList<int>? LabelIds { get; init; }

    /// <summary>Evaluates part classes 1..<paramref name="classCount"/> over the shapes of one level.</summary>
    public PartInstanceApResult Evaluate(IReadOnlyList<PartShape> shapes, int classCount)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        var notes = new List<string>();
        var t = Thresholds.Count;
        var classAp = new double[classCount][];
        var meanAp = new double[t];
        var shapeAp = new double[t];
        var prepared = shapes.Select(s => Prepare(s, classCount)).ToArray();
        for (var ti = 0; ti < t; ti++)
        {
            var th = Thresholds[ti];
            var entries = Enumerable.Range(0, classCount).Select(_ => new List<(double Conf, bool Tp)>()).ToArray();
            var npos = new int[classCount];
            var shapeMeans = new List<double>();
            foreach (var shape in prepared)
            {
                var perShape = Match(shape, th, classCount);
                var shapeNpos = new int[classCount];
                foreach (var g in shape.Gts)
                    shapeNpos[g.Label - 1]++;
                double sum = 0;
                var valid = 0;
                for (var c = 0; c < classCount; c++)
                {
                    npos[c] += shapeNpos[c];
                    entries[c].AddRange(perShape[c]);
                    var hasPred = perShape[c].Count > 0;
                    var hasGt = shapeNpos[c] > 0;
                    if (hasPred && hasGt)
                        sum += (float)InterpolatedAp(perShape[c], shapeNpos[c]);
                    if (hasPred || hasGt)
                        valid++;
                }
                if (valid > 0)
                    shapeMeans.Add((float)(sum / valid));
            }
            shapeAp[ti] = shapeMeans.Count == 0 ? double.NaN : NumpySum.Mean([.. shapeMeans]);
            var validAps = new List<double>();
            for (var c = 0; c < classCount; c++)
            {
                classAp[c] ??= new double[t];
                if (npos[c] == 0)
                {
                    classAp[c][ti] = double.NaN;
                    continue;
                }
                var sorted = entries[c].Select((e, i) => (e, i)).OrderByDescending(x => x.e.Conf).ThenBy(x => x.i).Select(x => x.e).ToList();
                classAp[c][ti] = sorted.Count == 0 ? 0.0 : (float)InterpolatedAp(sorted, npos[c]);
                validAps.Add(classAp[c][ti]);
            }
            meanAp[ti] = validAps.Count == 0 ? double.NaN : NumpySum.Mean([.. validAps]);
        }
        for (var c = 0; c < classCount; c++)
        {
            if (double.IsNaN(classAp[c][0]))
                notes.Add($"part {(LabelIds is { } ids && c < ids.Count ? ids[c] : c + 1)}: no GT instance; AP is NaN and left out of the mean");
        }
        double[]? classIou = null;
        var meanIou = double.NaN;
        if (shapes.Count > 0 && shapes.All(s => s.PredictedLabel is not null))
        {
            var inter = new long[classCount];
            var union = new long[classCount];
            foreach (var s in shapes)
            {
                if (s.PredictedLabel!.Length != s.GtLabel.Length)
                    throw new ArgumentException($"shape {s.Name}: {s.PredictedLabel.Length} predicted labels for {s.GtLabel.Length} points");
                for (var p = 0; p < s.GtLabel.Length; p++)
                {
                    var g = s.GtLabel[p];
                    if (g == 0)
                        continue;
                    var q = s.PredictedLabel[p];
                    if (q == g)
                    {
                        inter[g - 1]++;
                        union[g - 1]++;
                        continue;
                    }
                    union[g - 1]++;
                    if (q >= 1 && q <= classCount)
                        union[q - 1]++;
                }
            }
            classIou = new double[classCount];
            for (var c = 0; c < classCount; c++)
                classIou[c] = union[c] == 0 ? double.NaN : (double)inter[c] / union[c];
            meanIou = NumpySum.NanMean(classIou);
        }
        return new PartInstanceApResult(Thresholds, classAp, meanAp, shapeAp, classIou, meanIou, notes);
    }

    /// <summary>
    /// The official 101-point interpolation: rec = cumTP/npos, prec = cumTP/(cumTP + cumFP), with (0, 1)
    /// prepended; AP = Σ_{i=0..100} max{prec : rec ≥ i·0.01} / 101 (0 when no recall reaches it).
    /// </summary>
    internal static double InterpolatedAp(IReadOnlyList<(double Conf, bool Tp)> sorted, int npos)
    {
        var n = sorted.Count;
        var rec = new double[n + 1];
        var prec = new double[n + 1];
        rec[0] = 0;
        prec[0] = 1;
        int tp = 0, fp = 0;
        for (var i = 0; i < n; i++)
        {
            if (sorted[i].Tp)
                tp++;
            else
                fp++;
            rec[i + 1] = (double)tp / npos;
            prec[i + 1] = (double)tp / (tp + fp);
        }
        var ap = 0.0;
        for (var k = 0; k <= 100; k++)
        {
            var t = k * 0.01;
            var p = 0.0;
            var any = false;
            for (var i = 0; i <= n; i++)
            {
                if (rec[i] >= t && (!any || prec[i] > p))
                {
                    p = prec[i];
                    any = true;
                }
            }
            ap += p / 101;
        }
        return ap;
    }

    private sealed record Gt(int Label, int[] Points);

    private sealed record Pred(int Label, double Confidence, int[] Points, int Order);

    private sealed record Prepared(string Name, int PointCount, Gt[] Gts, Pred[] Preds);

    private static Prepared Prepare(PartShape s, int classCount)
    {
        var n = s.GtLabel.Length;
        if (s.GtInstance.Length != n)
            throw new ArgumentException($"shape {s.Name}: {s.GtInstance.Length} instance ids for {n} points");
        var groups = new SortedDictionary<(int, int), List<int>>();
        for (var p = 0; p < n; p++)
        {
            var label = s.GtLabel[p];
            if (label < 0 || label > classCount)
                throw new ArgumentException($"shape {s.Name}: point {p} has part label {label}, expected 0..{classCount}");
            if (label == 0)
                continue;
            var key = (label, s.GtInstance[p]);
            if (!groups.TryGetValue(key, out var list))
                groups[key] = list = [];
            list.Add(p);
        }
        var gts = groups.Select(kv => new Gt(kv.Key.Item1, [.. kv.Value])).ToArray();
        var preds = new List<Pred>();
        for (var i = 0; i < s.Predictions.Count; i++)
        {
            var q = s.Predictions[i];
            if (q.LabelId < 1 || q.LabelId > classCount)
                throw new ArgumentException($"shape {s.Name}: prediction {i} has part label {q.LabelId}, expected 1..{classCount}");
            if (double.IsNaN(q.Confidence))
                throw new ArgumentException($"shape {s.Name}: prediction {i} has confidence NaN");
            // Remove GT-"other" points from the prediction.
            var clean = q.Vertices.Where(v => (uint)v < (uint)n ? s.GtLabel[v] != 0 : throw new ArgumentException($"shape {s.Name}: prediction {i} has point {v} outside 0..{n - 1}")).ToArray();
            preds.Add(new Pred(q.LabelId, q.Confidence, clean, i));
        }
        return new Prepared(s.Name, n, gts, [.. preds.OrderByDescending(p => p.Confidence).ThenBy(p => p.Order)]);
    }

    private static List<(double Conf, bool Tp)>[] Match(Prepared shape, double th, int classCount)
    {
        var result = Enumerable.Range(0, classCount).Select(_ => new List<(double, bool)>()).ToArray();
        var used = new bool[shape.Gts.Length];
        var gtOf = new int[shape.PointCount];
        Array.Fill(gtOf, -1);
        for (var g = 0; g < shape.Gts.Length; g++)
        {
            foreach (var p in shape.Gts[g].Points)
                gtOf[p] = g;
        }
        var inter = new int[shape.Gts.Length];
        foreach (var pred in shape.Preds)
        {
            Array.Clear(inter);
            foreach (var p in pred.Points)
            {
                var g = gtOf[p];
                if (g >= 0)
                    inter[g]++;
            }
            var best = 0.0;
            var bestGt = -1;
            for (var g = 0; g < shape.Gts.Length; g++)
            {
                if (used[g] || shape.Gts[g].Label != pred.Label)
                    continue;
                var iou = (double)inter[g] / (shape.Gts[g].Points.Length + pred.Points.Length - inter[g]);
                if (iou > best)
                {
                    best = iou;
                    bestGt = g;
                }
            }
            var tp = best > th;
            if (tp)
                used[bestGt] = true;
            result[pred.Label - 1].Add((pred.Confidence, tp));
        }
        return result;
    }
}
