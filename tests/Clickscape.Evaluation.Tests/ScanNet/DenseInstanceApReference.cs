using Clickscape.Data.Classes;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Evaluation.Tests.ScanNet;

/// <summary>
/// A deliberately plain reading of the official algorithm for the tests: dense boolean masks, one full pass
/// over the vertices per (prediction, GT) pair, lists instead of indices. Slow, but obviously literal.
/// </summary>
internal static class DenseInstanceApReference
{
    private sealed class Gt
    {
        public int Id;
        public int Count;
        public List<(Pred P, int Inter)> Matched = [];
    }

    private sealed class Pred
    {
        public int Count;
        public double Conf;
        public int Void;
        public List<(Gt G, int Inter)> Matched = [];
        public bool Visited;
    }

    public static double[][] Evaluate(IReadOnlyList<InstanceScene> scenes)
    {
        var ids = ScanNetBenchmark.Instance18Ids;
        var perScene = new List<(Dictionary<int, List<Gt>> Gts, Dictionary<int, List<Pred>> Preds)>();
        foreach (var scene in scenes)
        {
            var gtIds = scene.GroundTruth;
            var gts = ids.ToDictionary(l => l, _ => new List<Gt>());
            foreach (var id in gtIds.Distinct().Order())
            {
                if (id != 0 && ids.Contains(id / 1000))
                    gts[id / 1000].Add(new Gt { Id = id, Count = gtIds.Count(x => x == id) });
            }
            var preds = ids.ToDictionary(l => l, _ => new List<Pred>());
            foreach (var p in scene.Predictions)
            {
                if (!ids.Contains(p.LabelId))
                    continue;
                var mask = new bool[gtIds.Length];
                foreach (var v in p.Vertices)
                    mask[v] = true;
                var num = mask.Count(b => b);
                if (num < 100)
                    continue;
                var pred = new Pred { Count = num, Conf = p.Confidence };
                for (var v = 0; v < gtIds.Length; v++)
                {
                    if (mask[v] && !ids.Contains(gtIds[v] / 1000))
                        pred.Void++;
                }
                foreach (var g in gts[p.LabelId])
                {
                    var inter = 0;
                    for (var v = 0; v < gtIds.Length; v++)
                    {
                        if (mask[v] && gtIds[v] == g.Id)
                            inter++;
                    }
                    if (inter > 0)
                    {
                        pred.Matched.Add((g, inter));
                        g.Matched.Add((pred, inter));
                    }
                }
                preds[p.LabelId].Add(pred);
            }
            perScene.Add((gts, preds));
        }

        var result = new double[ids.Count][];
        for (var c = 0; c < ids.Count; c++)
            result[c] = new double[InstanceAp.Thresholds.Count];
        for (var t = 0; t < InstanceAp.Thresholds.Count; t++)
        {
            var th = InstanceAp.Thresholds[t];
            foreach (var s in perScene)
            {
                foreach (var list in s.Preds.Values)
                {
                    foreach (var p in list)
                        p.Visited = false;
                }
            }
            for (var c = 0; c < ids.Count; c++)
            {
                var label = ids[c];
                var entries = new List<(bool True, double Score)>();
                var hardFn = 0;
                bool hasGt = false, hasPred = false;
                foreach (var (gtsOf, predsOf) in perScene)
                {
                    var eligible = gtsOf[label].Where(g => g.Id >= 1000 && g.Count >= 100).ToList();
                    hasGt |= eligible.Count > 0;
                    hasPred |= predsOf[label].Count > 0;
                    var matched = new List<(bool True, double Score)>();
                    foreach (var g in eligible)
                    {
                        var found = false;
                        var score = double.NegativeInfinity;
                        var dups = new List<double>();
                        foreach (var (p, inter) in g.Matched)
                        {
                            if (p.Visited)
                                continue;
                            var iou = (double)inter / (g.Count + p.Count - inter);
                            if (iou <= th)
                                continue;
                            if (found)
                            {
                                dups.Add(Math.Min(score, p.Conf));
                                score = Math.Max(score, p.Conf);
                            }
                            else
                            {
                                found = true;
                                score = p.Conf;
                                p.Visited = true;
                            }
                        }
                        if (found)
                        {
                            matched.Add((true, score));
                            matched.AddRange(dups.Select(d => (false, d)));
                        }
                        else
                        {
                            hardFn++;
                        }
                    }
                    entries.AddRange(matched);
                    foreach (var p in predsOf[label])
                    {
                        if (p.Matched.Any(m => (double)m.Inter / (m.G.Count + p.Count - m.Inter) > th))
                            continue;
                        var ignore = p.Void + p.Matched.Where(m => m.G.Count < 100).Sum(m => m.Inter);
                        if ((double)ignore / p.Count <= th)
                            entries.Add((false, p.Conf));
                    }
                }
                if (!hasGt)
                    result[c][t] = double.NaN;
                else if (!hasPred || entries.Count == 0)
                    result[c][t] = 0;
                else
                    result[c][t] = Integrate(entries, hardFn);
            }
        }
        return result;
    }

    private static double Integrate(List<(bool True, double Score)> entries, int hardFn)
    {
        var positives = entries.Count(e => e.True);
        var thresholds = entries.Select(e => e.Score).Distinct().Order().ToList();
        var p = new List<double>();
        var r = new List<double>();
        foreach (var t in thresholds)
        {
            var tp = entries.Count(e => e.True && e.Score >= t);
            var fp = entries.Count(e => e.Score >= t) - tp;
            var fn = positives - tp + hardFn;
            p.Add((double)tp / (tp + fp));
            r.Add((double)tp / (tp + fn));
        }
        p.Add(1);
        r.Add(0);
        var ap = 0.0;
        for (var i = 0; i < p.Count; i++)
            ap += p[i] * (((i == 0 ? r[0] : r[i - 1]) - (i + 1 < r.Count ? r[i + 1] : 0)) * 0.5);
        return ap;
    }
}
