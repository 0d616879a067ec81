using Clickscape.Evaluation.Averaging;

namespace Clickscape.Evaluation.S3dis;

/// <summary>One S3DIS room: per-point GT semantic class and instance, predicted semantic class and instance.</summary>
/// <param name="GtSemantic">GT class per point, 0..classCount−1.</param>
/// <param name="GtInstance">GT instance per point; a negative id means "no instance".</param>
/// <param name="PredSemantic">Predicted class per point, 0..classCount−1.</param>
/// <param name="PredInstance">Predicted instance per point; −1 (any negative) means "no instance".</param>
public sealed record S3disRoom(string Name, int[] GtSemantic, int[] GtInstance, int[] PredSemantic, int[] PredInstance);

/// <summary>Result of <see cref="Coverage"/>; per-class values are NaN where a class has no GT (or no prediction, for precision).</summary>
public sealed record CoverageResult(
    IReadOnlyList<string> ClassNames,
    double[] Cov,
    double[] WCov,
    double[] Precision,
    double[] Recall,
    double MeanCov,
    double MeanWCov,
    double MeanPrecision,
    double MeanRecall,
    IReadOnlyList<string> Notes);

/// <summary>
/// S3DIS instance metrics as ASIS/JSNet compute them [ASIS:eval_iou_accuracy.py; REFERENCE.md §8]:
/// the class of an instance is the mode of its points' semantic labels (ties → the smallest class, as
/// <c>scipy.stats.mode</c>). Per room and class with GT: Cov = mean over GT instances of the best IoU with a
/// same-class prediction, WCov = Σ bestIoU·|gt| / Σ|gt|; mCov/mWCov = mean over classes of the mean over rooms.
/// Precision/recall at IoU ≥ 0.5 without one-to-one matching: a prediction is a TP when its best same-class
/// IoU ≥ 0.5; TP and prediction counts are pooled over rooms; Prec = TP/#pred, Rec = TP/#GT; means over classes.
/// <para>Where ASIS would average an empty list (a class absent from every room, or never predicted) it
/// yields NaN; we give NaN, leave it out of the mean (nanmean) and add a note.</para>
/// </summary>
public sealed class Coverage
{
    private readonly string[] _names;

    /// <summary>The 13 S3DIS classes.</summary>
    public Coverage()
        : this(["ceiling", "floor", "wall", "beam", "column", "window", "door", "table", "chair", "sofa", "bookcase", "board", "clutter"])
    {
    }

    /// <summary>Classes 0..names.Count−1.</summary>
    public Coverage(IReadOnlyList<string> classNames, double iouThreshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        _names = [.. classNames];
        IouThreshold = iouThreshold;
    }

    /// <summary>IoU needed for a TP in precision/recall (≥, official 0.5).</summary>
    public double IouThreshold { get; }

    /// <summary>Evaluates the rooms.</summary>
    public CoverageResult Evaluate(IReadOnlyList<S3disRoom> rooms)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        var k = _names.Length;
        var covPerRoom = Enumerable.Range(0, k).Select(_ => new List<double>()).ToArray();
        var wcovPerRoom = Enumerable.Range(0, k).Select(_ => new List<double>()).ToArray();
        var tp = new long[k];
        var predCount = new long[k];
        var gtCount = new long[k];
        foreach (var room in rooms)
        {
            var n = room.GtSemantic.Length;
            if (room.GtInstance.Length != n || room.PredSemantic.Length != n || room.PredInstance.Length != n)
                throw new ArgumentException($"room {room.Name}: the four per-point arrays differ in length");
            var gt = Instances(room.Name, room.GtSemantic, room.GtInstance, k);
            var pred = Instances(room.Name, room.PredSemantic, room.PredInstance, k);
            // Intersections by counting (gt, pred) pairs once over the points.
            var inter = new Dictionary<(int, int), int>();
            for (var p = 0; p < n; p++)
            {
                var g = gt.IndexOfPoint[p];
                var q = pred.IndexOfPoint[p];
                if (g >= 0 && q >= 0)
                    inter[(g, q)] = inter.GetValueOrDefault((g, q)) + 1;
            }
            double Iou(int g, int q)
            {
                var i = inter.GetValueOrDefault((g, q));
                return (double)i / (gt.Size[g] + pred.Size[q] - i);
            }
            for (var c = 0; c < k; c++)
            {
                var gts = gt.OfClass[c];
                var preds = pred.OfClass[c];
                if (gts.Count > 0)
                {
                    double sumCov = 0, weighted = 0;
                    long points = 0;
                    foreach (var g in gts)
                    {
                        var best = 0.0;
                        foreach (var q in preds)
                            best = Math.Max(best, Iou(g, q));
                        sumCov += best;
                        weighted += best * gt.Size[g];
                        points += gt.Size[g];
                    }
                    covPerRoom[c].Add(sumCov / gts.Count);
                    wcovPerRoom[c].Add(weighted / points);
                }
                gtCount[c] += gts.Count;
                predCount[c] += preds.Count;
                foreach (var q in preds)
                {
                    var best = -1.0;
                    foreach (var g in gts)
                        best = Math.Max(best, Iou(g, q));
                    if (best >= IouThreshold)
                        tp[c]++;
                }
            }
        }
        var notes = new List<string>();
        var cov = new double[k];
        var wcov = new double[k];
        var precision = new double[k];
        var recall = new double[k];
        for (var c = 0; c < k; c++)
        {
            cov[c] = covPerRoom[c].Count == 0 ? double.NaN : NumpySum.Mean([.. covPerRoom[c]]);
            wcov[c] = wcovPerRoom[c].Count == 0 ? double.NaN : NumpySum.Mean([.. wcovPerRoom[c]]);
            precision[c] = predCount[c] == 0 ? double.NaN : (double)tp[c] / predCount[c];
            recall[c] = gtCount[c] == 0 ? double.NaN : (double)tp[c] / gtCount[c];
            if (gtCount[c] == 0)
                notes.Add($"{_names[c]}: no GT instance; Cov, WCov and recall are NaN and left out of the means");
            if (predCount[c] == 0)
                notes.Add($"{_names[c]}: no predicted instance; precision is NaN and left out of the mean");
        }
        return new CoverageResult(_names, cov, wcov, precision, recall,
            NumpySum.NanMean(cov), NumpySum.NanMean(wcov), NumpySum.NanMean(precision), NumpySum.NanMean(recall), notes);
    }

    private sealed record InstanceSet(int[] IndexOfPoint, List<int> Size, List<int>[] OfClass);

    /// <summary>Dense instances (ascending id) with their class = mode of the semantic labels (ties → smallest).</summary>
    private static InstanceSet Instances(string room, int[] semantic, int[] instance, int classCount)
    {
        var ids = instance.Where(i => i >= 0).Distinct().Order().ToArray();
        var dense = new Dictionary<int, int>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
            dense[ids[i]] = i;
        var index = new int[instance.Length];
        var size = new List<int>(new int[ids.Length]);
        var votes = new int[ids.Length, classCount];
        for (var p = 0; p < instance.Length; p++)
        {
            if (instance[p] < 0)
            {
                index[p] = -1;
                continue;
            }
            var d = dense[instance[p]];
            index[p] = d;
            size[d]++;
            var s = semantic[p];
            if ((uint)s >= (uint)classCount)
                throw new ArgumentException($"room {room}: point {p} has class {s}, expected 0..{classCount - 1}");
            votes[d, s]++;
        }
        var ofClass = Enumerable.Range(0, classCount).Select(_ => new List<int>()).ToArray();
        for (var d = 0; d < ids.Length; d++)
        {
            var best = 0;
            for (var c = 1; c < classCount; c++)
            {
                if (votes[d, c] > votes[d, best])
                    best = c;
            }
            ofClass[best].Add(d);
        }
        return new InstanceSet(index, size, ofClass);
    }
}
