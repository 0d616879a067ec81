using Clickscape.Data.Classes;
using Clickscape.Evaluation.Averaging;

namespace Clickscape.Evaluation.ScanNet;

/// <summary>
/// ScanNet 3D semantic instance AP exactly as the official benchmark script computes it
/// [SN:BenchmarkScripts/3d_evaluation/evaluate_semantic_instance.py; REFERENCE.md §1.3–1.4]:
/// <list type="number">
/// <item>Per scene: void = vertices whose GT label (id // 1000) is not an evaluated class; predictions whose
/// label is not evaluated or that have fewer than <see cref="MinRegionSize"/> vertices are dropped; every kept
/// prediction records |pred ∩ void| and its intersection with every same-class GT instance it touches.</item>
/// <item>Per IoU threshold th (0.50, 0.55, …, 0.90 computed as NumPy's <c>arange</c> does, and 0.25), per
/// class: GTs with id ≥ 1000 and ≥ 100 vertices are eligible; each eligible GT (ascending GT id) walks its
/// touching predictions in prediction-file line order, skipping predictions already matched to another GT;
/// IoU must be <em>strictly</em> greater than th; the first match is a TP with that confidence (the
/// prediction becomes visited); every later match to the same GT adds a FP with the lower of the two
/// confidences (the GT keeps the higher) and is <em>not</em> marked visited; an unmatched GT is a hard FN.</item>
/// <item>A prediction with no same-class GT at IoU &gt; th is a FP unless (void ∩ pred + its intersections
/// with same-class GTs smaller than the minimum region or with id &lt; 1000) / |pred| &gt; th.</item>
/// <item>PR curve over unique scores (ascending) with the appended point (p = 1, r = 0), integrated as
/// Σ pᵢ·(r_{i−1} − r_{i+1})/2; a class with GT but no prediction scores 0, a class without GT NaN.</item>
/// <item>Per-class AP = mean over the nine thresholds 0.50–0.90 (0.95 is not part of the official "AP");
/// overall AP = nanmean over classes × those nine thresholds; AP50/AP25 = nanmean over classes. Means use
/// NumPy's pairwise summation order (<see cref="NumpySum"/>).</item>
/// </list>
/// <para>Order dependence (kept on purpose, as in the official script): with th &lt; 0.5 one prediction can
/// exceed th with two GTs; it is taken by the first GT (ascending id) that reaches it while still free, and a
/// GT that already has a match turns it into a duplicate FP without consuming it, so the line order of
/// predictions can change AP25.</para>
/// <para>Where the official script crashes (a class with GT whose every prediction is ignored, leaving no
/// PR entry: IndexError) this gives AP 0 and adds a note.</para>
/// <para>Known differences: the final integral is summed left to right, where NumPy calls BLAS <c>ddot</c>
/// (the last bit may differ when the curve has many points); the visited flag is keyed by prediction, the
/// official one by mask file path (identical unless two scenes list the same mask file).</para>
/// </summary>
public sealed class InstanceAp
{
    private readonly Dictionary<int, int> _classOfLabel;
    private readonly string[] _names;
    private readonly int[] _ids;

    /// <summary>The official parameters: the 18 ScanNet instance classes, min region 100.</summary>
    public InstanceAp()
        : this(ScanNetBenchmark.Instance18Ids, ScanNetBenchmark.Instance18Names)
    {
    }

    /// <summary>
    /// Evaluates the classes <paramref name="classIds"/> (named <paramref name="classNames"/>, in output order).
    /// With <paramref name="classAgnostic"/> every GT instance of those classes is one class ("instance") and
    /// the predicted labels are not used.
    /// </summary>
    public InstanceAp(IReadOnlyList<int> classIds, IReadOnlyList<string> classNames, int minRegionSize = 100, bool classAgnostic = false)
    {
        ArgumentNullException.ThrowIfNull(classIds);
        ArgumentNullException.ThrowIfNull(classNames);
        if (classIds.Count != classNames.Count || classIds.Count == 0)
            throw new ArgumentException("class ids and names must be non-empty lists of the same length");
        if (minRegionSize < 0)
            throw new ArgumentOutOfRangeException(nameof(minRegionSize), "the minimum region size must be ≥ 0");
        MinRegionSize = minRegionSize;
        ClassAgnostic = classAgnostic;
        _classOfLabel = [];
        for (var i = 0; i < classIds.Count; i++)
        {
            if (!_classOfLabel.TryAdd(classIds[i], classAgnostic ? 0 : i))
                throw new ArgumentException($"class id {classIds[i]} is listed twice");
        }
        _ids = classAgnostic ? [0] : [.. classIds];
        _names = classAgnostic ? ["instance"] : [.. classNames];
    }

    /// <summary>The class-agnostic variant over the 18 ScanNet instance classes (open-world, interactive).</summary>
    public static InstanceAp ClassAgnosticScanNet(int minRegionSize = 100) =>
        new(ScanNetBenchmark.Instance18Ids, ScanNetBenchmark.Instance18Names, minRegionSize, classAgnostic: true);

    /// <summary>Minimum vertex count of evaluated GT instances and kept predictions (official: 100).</summary>
    public int MinRegionSize { get; }

    /// <summary>Whether all classes are merged into one.</summary>
    public bool ClassAgnostic { get; }

    /// <summary>
    /// The IoU thresholds in the official order: <c>np.append(np.arange(0.5, 0.95, 0.05), 0.25)</c>, the
    /// arange values computed as NumPy fills them (start + i·(second − start)).
    /// </summary>
    public static IReadOnlyList<double> Thresholds { get; } = OfficialThresholds();

    /// <summary>Evaluates all scenes (matching is per scene, the PR curves pool every scene).</summary>
    public InstanceApResult Evaluate(IReadOnlyList<InstanceScene> scenes)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        var matches = new SceneMatches[scenes.Count];
        Parallel.For(0, scenes.Count, s => matches[s] = Assign(scenes[s]));
        var offset = 0;
        foreach (var m in matches)
        {
            m.Offset = offset;
            offset += m.Preds.Count;
        }
        var notes = new List<string>();
        var classCount = _names.Length;
        var ap = new double[classCount][];
        for (var c = 0; c < classCount; c++)
            ap[c] = new double[Thresholds.Count];
        var visited = new bool[offset];
        var crashes = new SortedDictionary<int, List<double>>();
        for (var t = 0; t < Thresholds.Count; t++)
        {
            Array.Clear(visited);
            for (var c = 0; c < classCount; c++)
                ap[c][t] = ClassAp(matches, c, Thresholds[t], visited, crashes);
        }
        foreach (var (c, ths) in crashes)
        {
            var list = string.Join(", ", ths.Select(th => th.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)));
            notes.Add($"{_names[c]} at IoU {list}: no prediction counts as TP or FP (all ignored); the official script crashes here (IndexError), AP defined as 0");
        }
        return Summarize(ap, notes);
    }

    private InstanceApResult Summarize(double[][] ap, List<string> notes)
    {
        var classCount = _names.Length;
        var nine = Thresholds.Count - 1;
        var classAp = new double[classCount];
        var classAp50 = new double[classCount];
        var classAp25 = new double[classCount];
        // np.nanmean(aps[0, :, oAllBut25]) reads a (1, 9, classes) array: threshold-major order.
        var all = new double[nine * classCount];
        for (var c = 0; c < classCount; c++)
        {
            classAp[c] = NumpySum.Mean(ap[c].AsSpan(0, nine));
            classAp50[c] = ap[c][0];
            classAp25[c] = ap[c][nine];
            for (var t = 0; t < nine; t++)
                all[(t * classCount) + c] = ap[c][t];
            if (double.IsNaN(classAp25[c]))
                notes.Add($"{_names[c]}: no ground truth instance; AP is NaN and left out of the means");
        }
        return new InstanceApResult(_ids, _names, Thresholds, ap, classAp, classAp50, classAp25,
            NumpySum.NanMean(all), NumpySum.NanMean(classAp50), NumpySum.NanMean(classAp25), notes);
    }

    private double ClassAp(SceneMatches[] matches, int c, double th, bool[] visited, SortedDictionary<int, List<double>> crashes)
    {
        var yTrue = new List<bool>();
        var yScore = new List<double>();
        var hardFalseNegatives = 0;
        bool hasGt = false, hasPred = false;
        var curScore = new List<double>();
        var curMatch = new List<bool>();
        var curTrue = new List<bool>();
        foreach (var m in matches)
        {
            curScore.Clear();
            curMatch.Clear();
            curTrue.Clear();
            var eligible = new List<GtInstance>();
            foreach (var g in m.Gts)
            {
                if (g.Class == c && g.Id >= 1000 && g.VertCount >= MinRegionSize)
                    eligible.Add(g);
            }
            if (eligible.Count > 0)
                hasGt = true;
            if (m.PredCountPerClass[c] > 0)
                hasPred = true;
            for (var i = 0; i < eligible.Count; i++)
            {
                curTrue.Add(true);
                curScore.Add(double.NegativeInfinity);
                curMatch.Add(false);
            }
            for (var gi = 0; gi < eligible.Count; gi++)
            {
                var gt = eligible[gi];
                var found = false;
                foreach (var (p, inter) in gt.MatchedPreds)
                {
                    var global = m.Offset + p;
                    if (visited[global])
                        continue;
                    var pred = m.Preds[p];
                    var overlap = (double)inter / (gt.VertCount + pred.VertCount - inter);
                    if (!(overlap > th))
                        continue;
                    if (curMatch[gi])
                    {
                        // A second prediction for a matched GT: the lower score becomes a false positive.
                        var max = Math.Max(curScore[gi], pred.Confidence);
                        var min = Math.Min(curScore[gi], pred.Confidence);
                        curScore[gi] = max;
                        curTrue.Add(false);
                        curScore.Add(min);
                        curMatch.Add(true);
                    }
                    else
                    {
                        found = true;
                        curMatch[gi] = true;
                        curScore[gi] = pred.Confidence;
                        visited[global] = true;
                    }
                }
                if (!found)
                    hardFalseNegatives++;
            }
            for (var i = 0; i < curMatch.Count; i++)
            {
                if (curMatch[i])
                {
                    yTrue.Add(curTrue[i]);
                    yScore.Add(curScore[i]);
                }
            }
            foreach (var pred in m.Preds)
            {
                if (pred.Class != c)
                    continue;
                var foundGt = false;
                foreach (var (g, inter) in pred.MatchedGts)
                {
                    var gt = m.Gts[g];
                    if ((double)inter / (gt.VertCount + pred.VertCount - inter) > th)
                    {
                        foundGt = true;
                        break;
                    }
                }
                if (foundGt)
                    continue;
                long ignore = pred.VoidIntersection;
                foreach (var (g, inter) in pred.MatchedGts)
                {
                    var gt = m.Gts[g];
                    if (gt.Id < 1000)
                        ignore += inter;
                    if (gt.VertCount < MinRegionSize)
                        ignore += inter;
                }
                if ((double)ignore / pred.VertCount <= th)
                {
                    yTrue.Add(false);
                    yScore.Add(pred.Confidence);
                }
            }
        }
        if (!hasGt)
            return double.NaN;
        if (!hasPred)
            return 0.0;
        if (yScore.Count == 0)
        {
            if (!crashes.TryGetValue(c, out var list))
                crashes[c] = list = [];
            list.Add(th);
            return 0.0;
        }
        return IntegratePrecisionRecall(yTrue, yScore, hardFalseNegatives);
    }

    /// <summary>
    /// The official PR integration: points at each unique score (ascending) plus the artificial (p = 1, r = 0),
    /// AP = Σ pᵢ·(r_{i−1} − r_{i+1})/2 with r_{−1} = r₀ and 0 after the last point.
    /// </summary>
    internal static double IntegratePrecisionRecall(IReadOnlyList<bool> yTrue, IReadOnlyList<double> yScore, int hardFalseNegatives)
    {
        var n = yScore.Count;
        var order = new int[n];
        for (var i = 0; i < n; i++)
            order[i] = i;
        var scores = yScore.ToArray();
        Array.Sort(scores, order);
        // cumsum[i] = number of positives among sorted[0..i-1].
        var cumsum = new int[n + 1];
        for (var i = 0; i < n; i++)
            cumsum[i + 1] = cumsum[i] + (yTrue[order[i]] ? 1 : 0);
        var totalTrue = cumsum[n];
        var precision = new List<double>();
        var recall = new List<double>();
        for (var i = 0; i < n; i++)
        {
            if (i > 0 && scores[i] == scores[i - 1])
                continue;
            var below = cumsum[i];
            var tp = totalTrue - below;
            var fp = n - i - tp;
            var fn = below + hardFalseNegatives;
            precision.Add((double)tp / (tp + fp));
            recall.Add((double)tp / (tp + fn));
        }
        precision.Add(1.0);
        recall.Add(0.0);
        var ap = 0.0;
        for (var i = 0; i < precision.Count; i++)
        {
            var before = i == 0 ? recall[0] : recall[i - 1];
            var after = i + 1 < recall.Count ? recall[i + 1] : 0.0;
            ap += precision[i] * ((before - after) * 0.5);
        }
        return ap;
    }

    private SceneMatches Assign(InstanceScene scene)
    {
        var gtIds = scene.GroundTruth;
        var vertexCount = gtIds.Length;
        // Dense index of each evaluated GT instance, in ascending GT id (np.unique order).
        var denseOfId = new Dictionary<int, int>();
        var vertexGt = new int[vertexCount];
        int lastId = int.MinValue, lastDense = -1;
        for (var v = 0; v < vertexCount; v++)
        {
            var id = gtIds[v];
            if (id != lastId)
            {
                lastId = id;
                if (id < 0)
                    throw new ArgumentException($"scene {scene.Name}: vertex {v} has GT id {id} (expected label·1000+instance ≥ 0)");
                if (id == 0 || !_classOfLabel.ContainsKey(id / 1000))
                    lastDense = -1;
                else if (!denseOfId.TryGetValue(id, out lastDense))
                {
                    lastDense = denseOfId.Count;
                    denseOfId.Add(id, lastDense);
                }
            }
            vertexGt[v] = lastDense;
        }
        var sortedIds = denseOfId.Keys.ToArray();
        Array.Sort(sortedIds);
        var remap = new int[denseOfId.Count];
        var gts = new GtInstance[sortedIds.Length];
        for (var i = 0; i < sortedIds.Length; i++)
        {
            remap[denseOfId[sortedIds[i]]] = i;
            gts[i] = new GtInstance(sortedIds[i], _classOfLabel[sortedIds[i] / 1000]);
        }
        for (var v = 0; v < vertexCount; v++)
        {
            var d = vertexGt[v];
            if (d >= 0)
            {
                vertexGt[v] = remap[d];
                gts[remap[d]].VertCount++;
            }
        }
        var result = new SceneMatches(gts, _names.Length);
        var intersection = new int[gts.Length];
        var touched = new List<int>();
        foreach (var p in scene.Predictions)
        {
            if (double.IsNaN(p.Confidence))
                throw new ArgumentException($"scene {scene.Name}: prediction {p.Source ?? "?"} has confidence NaN");
            int cls;
            if (ClassAgnostic)
                cls = 0;
            else if (!_classOfLabel.TryGetValue(p.LabelId, out cls))
                continue;
            if (p.Vertices.Length < MinRegionSize)
                continue;
            var index = result.Preds.Count;
            var pred = new PredInstance(cls, p.Vertices.Length, p.Confidence);
            long voidCount = 0;
            foreach (var v in p.Vertices)
            {
                if ((uint)v >= (uint)vertexCount)
                    throw new ArgumentException($"scene {scene.Name}: prediction {p.Source ?? index.ToString(System.Globalization.CultureInfo.InvariantCulture)} has vertex {v} outside 0..{vertexCount - 1}");
                var g = vertexGt[v];
                if (g < 0)
                {
                    voidCount++;
                    continue;
                }
                if (gts[g].Class != cls)
                    continue;
                if (intersection[g]++ == 0)
                    touched.Add(g);
            }
            pred.VoidIntersection = voidCount;
            touched.Sort();
            foreach (var g in touched)
            {
                pred.MatchedGts.Add((g, intersection[g]));
                gts[g].MatchedPreds.Add((index, intersection[g]));
                intersection[g] = 0;
            }
            touched.Clear();
            result.Preds.Add(pred);
            result.PredCountPerClass[cls]++;
        }
        return result;
    }

    private static double[] OfficialThresholds()
    {
        const double start = 0.5, step = 0.05, stop = 0.95;
        var length = (int)Math.Ceiling((stop - start) / step);
        var delta = (start + step) - start;
        var values = new double[length + 1];
        for (var i = 0; i < length; i++)
            values[i] = start + (i * delta);
        values[length] = 0.25;
        return values;
    }

    private sealed class GtInstance(int id, int cls)
    {
        public int Id { get; } = id;

        public int Class { get; } = cls;

        public int VertCount { get; set; }

        public List<(int Pred, int Intersection)> MatchedPreds { get; } = [];
    }

    private sealed class PredInstance(int cls, int vertCount, double confidence)
    {
        public int Class { get; } = cls;

        public int VertCount { get; } = vertCount;

        public double Confidence { get; } = confidence;

        public long VoidIntersection { get; set; }

        public List<(int Gt, int Intersection)> MatchedGts { get; } = [];
    }

    private sealed class SceneMatches(GtInstance[] gts, int classCount)
    {
        public GtInstance[] Gts { get; } = gts;

        public List<PredInstance> Preds { get; } = [];

        public int[] PredCountPerClass { get; } = new int[classCount];

        public int Offset { get; set; }
    }
}
