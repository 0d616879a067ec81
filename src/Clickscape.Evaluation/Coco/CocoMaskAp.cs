using Clickscape.Data.Formats.Coco;
using Clickscape.Evaluation.Averaging;

namespace Clickscape.Evaluation.Coco;

/// <summary>A COCO ground-truth instance: its mask, the annotation's <c>area</c> field, crowd flag and id.</summary>
public sealed record CocoGroundTruth(long Id, long ImageId, long CategoryId, MaskRle Mask, double Area, bool IsCrowd);

/// <summary>A COCO detection: its mask and score (area = mask area, as <c>loadRes</c> computes it).</summary>
public sealed record CocoDetection(long ImageId, long CategoryId, MaskRle Mask, double Score);

/// <summary>
/// Result of <see cref="CocoMaskAp"/>. As in pycocotools, −1 marks a value without any GT to measure it
/// (e.g. APs when there is no small object). <see cref="CategoryAp"/> = mean precision over IoU thresholds and
/// recall points for that category (area all, 100 detections).
/// </summary>
public sealed record CocoMaskApResult(
    int ImageCount,
    IReadOnlyList<long> CategoryIds,
    double[] CategoryAp,
    double Ap,
    double Ap50,
    double Ap75,
    double ApSmall,
    double ApMedium,
    double ApLarge,
    IReadOnlyList<string> Notes);

/// <summary>
/// COCO mask AP exactly as <c>pycocotools.cocoeval.COCOeval</c> (iouType "segm") computes it: IoU thresholds
/// <c>np.linspace(.5, .95, 10)</c>, 101 recall points <c>np.linspace(0, 1, 101)</c>, area ranges all / small
/// (≤ 32²) / medium (32²..96²) / large (≥ 96², bounds inclusive as COCO compares), max 100 detections per
/// image and category (by score, stable). Per image and category: GTs sorted non-ignored first, each detection
/// (descending score) takes the best-IoU GT with IoU ≥ t still free (crowd GTs stay free and match with
/// IoU = intersection / area(detection)); a match to an ignored (crowd or out-of-range) GT and an unmatched
/// detection outside the area range are ignored. Per category: detections of all images sorted by score
/// (stable), precision made monotone from the end, sampled at the first index with recall ≥ each recall point
/// (0 beyond). AP = mean of all defined precision entries (NumPy order) — pycocotools' pooled mean over
/// thresholds, recall points and categories. Crowd GTs are never false negatives.
/// <para>Difference: none known for RLE input; polygons are rasterized like pycocotools (<see cref="PolygonMask"/>).
/// Detection polygons (pycocotools' <c>loadRes</c> only takes RLE for segm results) are accepted as an extension.</para>
/// </summary>
public sealed class CocoMaskAp
{
    private const int RecallPoints = 101;

    /// <summary>NumPy's <c>np.spacing(1)</c> (2⁻⁵²), which pycocotools adds to the precision denominator.</summary>
    private static readonly double Spacing1 = Math.BitIncrement(1.0) - 1.0;
    private static readonly double[] IouThresholds = Linspace(0.5, 0.95, 10);
    private static readonly double[] RecallThresholds = Linspace(0, 1, RecallPoints);
    private static readonly (double Lo, double Hi)[] AreaRanges = [(0, 1e10), (0, 32 * 32), (32 * 32, 96 * 96), (96 * 96, 1e10)];

    /// <summary>Maximum detections per image and category (COCO: 100).</summary>
    public int MaxDetections { get; init; } = 100;

    /// <summary>Reads a GT JSON and a results JSON and evaluates (see <see cref="CocoResultsJson"/>).</summary>
    public static CocoMaskApResult EvaluateFiles(string groundTruthJson, string resultsJson)
    {
        var data = CocoResultsJson.Load(groundTruthJson, resultsJson);
        return new CocoMaskAp().Evaluate(data.ImageIds, data.CategoryIds, data.GroundTruths, data.Detections, data.Notes);
    }

    /// <summary>Evaluates the detections over the given images and categories.</summary>
    public CocoMaskApResult Evaluate(IReadOnlyList<long> imageIds, IReadOnlyList<long> categoryIds,
        IReadOnlyList<CocoGroundTruth> groundTruths, IReadOnlyList<CocoDetection> detections, IReadOnlyList<string>? notes = null)
    {
        ArgumentNullException.ThrowIfNull(imageIds);
        ArgumentNullException.ThrowIfNull(categoryIds);
        ArgumentNullException.ThrowIfNull(groundTruths);
        ArgumentNullException.ThrowIfNull(detections);
        var images = imageIds.Distinct().Order().ToArray();
        var categories = categoryIds.Distinct().Order().ToArray();
        var gtBy = groundTruths.GroupBy(g => (g.ImageId, g.CategoryId)).ToDictionary(g => g.Key, g => g.ToList());
        var dtBy = detections.GroupBy(d => (d.ImageId, d.CategoryId)).ToDictionary(g => g.Key, g => g.ToList());
        int t = IouThresholds.Length, r = RecallPoints, k = categories.Length, a = AreaRanges.Length;
        // precision[t, r, k, a] flattened in that (C) order; −1 = undefined.
        var precision = new double[t * r * k * a];
        Array.Fill(precision, -1.0);
        var work = new List<(int K, int A)>();
        for (var ki = 0; ki < k; ki++)
        {
            for (var ai = 0; ai < a; ai++)
                work.Add((ki, ai));
        }
        Parallel.ForEach(work, item =>
        {
            var (ki, ai) = item;
            var evals = new List<ImageEval>();
            foreach (var img in images)
            {
                var gts = gtBy.GetValueOrDefault((img, categories[ki])) ?? [];
                var dts = dtBy.GetValueOrDefault((img, categories[ki])) ?? [];
                if (gts.Count == 0 && dts.Count == 0)
                    continue;
                evals.Add(EvaluateImage(gts, dts, AreaRanges[ai]));
            }
            Accumulate(evals, ki, ai, k, a, precision);
        });
        double Summarize(int? threshold, int area)
        {
            var values = new List<double>();
            for (var ti = 0; ti < t; ti++)
            {
                if (threshold is not null && ti != threshold)
                    continue;
                for (var ri = 0; ri < r; ri++)
                {
                    for (var ki = 0; ki < k; ki++)
                    {
                        var v = precision[Index(ti, ri, ki, area, r, k, a)];
                        if (v > -1)
                            values.Add(v);
                    }
                }
            }
            return values.Count == 0 ? -1 : NumpySum.Mean([.. values]);
        }
        var categoryAp = new double[k];
        for (var ki = 0; ki < k; ki++)
        {
            var values = new List<double>();
            for (var ti = 0; ti < t; ti++)
            {
                for (var ri = 0; ri < r; ri++)
                {
                    var v = precision[Index(ti, ri, ki, 0, r, k, a)];
                    if (v > -1)
                        values.Add(v);
                }
            }
            categoryAp[ki] = values.Count == 0 ? -1 : NumpySum.Mean([.. values]);
        }
        var allNotes = new List<string>(notes ?? []);
        for (var ki = 0; ki < k; ki++)
        {
            if (categoryAp[ki] == -1)
                allNotes.Add($"category {categories[ki]}: no non-crowd GT; AP −1 (undefined) and left out of the mean, as pycocotools");
        }
        var i75 = Array.IndexOf(IouThresholds, 0.75);
        return new CocoMaskApResult(images.Length, categories, categoryAp, Summarize(null, 0), Summarize(0, 0), Summarize(i75, 0),
            Summarize(null, 1), Summarize(null, 2), Summarize(null, 3), allNotes);
    }

    private static int Index(int ti, int ri, int ki, int ai, int r, int k, int a) => (((((ti * r) + ri) * k) + ki) * a) + ai;

    private sealed record ImageEval(double[] Scores, long[][] DtMatch, bool[][] DtIgnore, bool[] GtIgnore);

    private ImageEval EvaluateImage(List<CocoGroundTruth> gtsIn, List<CocoDetection> dtsIn, (double Lo, double Hi) range)
    {
        // Detections by descending score (stable), at most MaxDetections.
        var dts = dtsIn.Select((d, i) => (d, i)).OrderByDescending(x => x.d.Score).ThenBy(x => x.i).Select(x => x.d).Take(MaxDetections).ToList();
        var ignoreOf = gtsIn.Select(g => g.IsCrowd || g.Area < range.Lo || g.Area > range.Hi).ToArray();
        // GTs with ignore = 0 first (stable).
        var order = Enumerable.Range(0, gtsIn.Count).OrderBy(i => ignoreOf[i] ? 1 : 0).ThenBy(i => i).ToArray();
        var gts = order.Select(i => gtsIn[i]).ToArray();
        var gtIgnore = order.Select(i => ignoreOf[i]).ToArray();
        var ious = new double[dts.Count, gts.Length];
        for (var d = 0; d < dts.Count; d++)
        {
            for (var g = 0; g < gts.Length; g++)
                ious[d, g] = MaskIou.Iou(dts[d].Mask, gts[g].Mask, gts[g].IsCrowd);
        }
        var tCount = IouThresholds.Length;
        var dtMatch = new long[tCount][];
        var dtIgnore = new bool[tCount][];
        for (var ti = 0; ti < tCount; ti++)
        {
            dtMatch[ti] = new long[dts.Count];
            dtIgnore[ti] = new bool[dts.Count];
            var gtMatched = new bool[gts.Length];
            for (var d = 0; d < dts.Count; d++)
            {
                var iou = Math.Min(IouThresholds[ti], 1 - 1e-10);
                var m = -1;
                for (var g = 0; g < gts.Length; g++)
                {
                    if (gtMatched[g] && !gts[g].IsCrowd)
                        continue;
                    if (m > -1 && !gtIgnore[m] && gtIgnore[g])
                        break;
                    if (ious[d, g] < iou)
                        continue;
                    iou = ious[d, g];
                    m = g;
                }
                if (m == -1)
                    continue;
                dtIgnore[ti][d] = gtIgnore[m];
                dtMatch[ti][d] = gts[m].Id;
                gtMatched[m] = true;
            }
            for (var d = 0; d < dts.Count; d++)
            {
                var area = dts[d].Mask.Area();
                if (dtMatch[ti][d] == 0 && (area < range.Lo || area > range.Hi))
                    dtIgnore[ti][d] = true;
            }
        }
        return new ImageEval(dts.Select(d => d.Score).ToArray(), dtMatch, dtIgnore, gtIgnore);
    }

    private static void Accumulate(List<ImageEval> evals, int ki, int ai, int k, int a, double[] precision)
    {
        if (evals.Count == 0)
            return;
        var scores = evals.SelectMany(e => e.Scores).ToArray();
        var npig = evals.Sum(e => e.GtIgnore.Count(ig => !ig));
        if (npig == 0)
            return;
        var order = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenBy(i => i).ToArray();
        var n = scores.Length;
        for (var ti = 0; ti < IouThresholds.Length; ti++)
        {
            var match = evals.SelectMany(e => e.DtMatch[ti]).ToArray();
            var ignore = evals.SelectMany(e => e.DtIgnore[ti]).ToArray();
            var rc = new double[n];
            var pr = new double[n];
            double tp = 0, fp = 0;
            for (var j = 0; j < n; j++)
            {
                var i = order[j];
                if (match[i] != 0 && !ignore[i])
                    tp++;
                else if (match[i] == 0 && !ignore[i])
                    fp++;
                rc[j] = tp / npig;
                pr[j] = tp / (fp + tp + Spacing1);
            }
            for (var j = n - 1; j > 0; j--)
            {
                if (pr[j] > pr[j - 1])
                    pr[j - 1] = pr[j];
            }
            for (var ri = 0; ri < RecallPoints; ri++)
            {
                // np.searchsorted(rc, recThr, side="left"): first j with rc[j] >= recThr.
                var lo = 0;
                var hi = n;
                while (lo < hi)
                {
                    var mid = (lo + hi) >>> 1;
                    if (rc[mid] < RecallThresholds[ri])
                        lo = mid + 1;
                    else
                        hi = mid;
                }
                precision[Index(ti, ri, ki, ai, RecallPoints, k, a)] = lo < n ? pr[lo] : 0;
            }
        }
    }

    /// <summary><c>np.linspace(start, stop, num)</c>: i·step + start, the last value exactly stop.</summary>
    private static double[] Linspace(double start, double stop, int num)
    {
        var step = (stop - start) / (num - 1);
        var values = new double[num];
        for (var i = 0; i < num; i++)
            values[i] = (i * step) + start;
        values[num - 1] = stop;
        return values;
    }
}
