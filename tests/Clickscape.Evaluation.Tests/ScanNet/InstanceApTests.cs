using Clickscape.Data.Classes;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Evaluation.Tests.ScanNet;

public class InstanceApTests
{
    private const int Chair = 5, Table = 7, Wall = 1;

    /// <summary>Vertices first..first+count-1.</summary>
    internal static int[] Range(int first, int count) => Enumerable.Range(first, count).ToArray();

    internal static int[] Gt(int vertexCount, params (int Id, int First, int Count)[] parts)
    {
        var gt = new int[vertexCount];
        foreach (var (id, first, count) in parts)
            Array.Fill(gt, id, first, count);
        return gt;
    }

    private static int ChairIndex => ScanNetBenchmark.Instance18Ids.ToList().IndexOf(Chair);

    private static int TableIndex => ScanNetBenchmark.Instance18Ids.ToList().IndexOf(Table);

    [Fact]
    public void Thresholds_FollowNumpyArange()
    {
        Assert.Equal(10, InstanceAp.Thresholds.Count);
        Assert.Equal(0.5, InstanceAp.Thresholds[0]);
        Assert.Equal(0.25, InstanceAp.Thresholds[9]);
        // np.arange(0.5, 0.95, 0.05)[6] == 0.8000000000000003 (start + 6 * 0.050000000000000044).
        Assert.Equal(0.8000000000000003, InstanceAp.Thresholds[6]);
        Assert.True(InstanceAp.Thresholds[8] > 0.9);
    }

    [Fact]
    public void HandComputed_DuplicateMissVoidAndWrongClass()
    {
        // GT: chair 5001 (0..199, 200 v), chair 5002 (200..399), table 7001 (400..549, 150 v),
        // wall 1001 (550..699, void for instances), 700..999 unannotated (void).
        var gt = Gt(1000, (5001, 0, 200), (5002, 200, 200), (7001, 400, 150), (1001, 550, 150));
        var preds = new List<PredictedInstance>
        {
            new(Range(0, 180), Chair, 0.9, "A"),                              // IoU(5001) = 180/200 = 0.9
            new([.. Range(0, 200), .. Range(550, 50)], Chair, 0.8, "B"),      // IoU(5001) = 200/250 = 0.8, 50 void
            new(Range(600, 200), Chair, 0.7, "C"),                            // all void -> ignored
            new(Range(200, 200), Table, 0.6, "D"),                            // table on chair vertices -> FP
            new(Range(400, 150), Table, 0.5, "E"),                            // exact table
            new(Range(0, 99), Chair, 0.95, "tiny"),                           // 99 vertices < 100 -> dropped
        };
        var result = new InstanceAp().Evaluate([new InstanceScene("s", gt, preds)]);

        // Chair, th in 0.50..0.85: 5001 takes A (TP 0.9); B also > th -> duplicate FP with min(0.9, 0.8) = 0.8;
        // 5002 has no prediction -> hard FN 1; C is ignored (200/200 void > th).
        // Entries ascending: (0.8, FP), (0.9, TP). At 0.8: tp 1 fp 1 fn 1 -> p .5 r .5; at 0.9: tp 1 fp 0 fn 1 ->
        // p 1 r .5; appended p 1 r 0. Widths: (r0-r1)/2 = 0, (r0-r2)/2 = .25, (r1-0)/2 = .25 -> AP = .5.
        // At th = 0.8000000000000003 B is no duplicate but an FP (ignore 50/250 = .2 <= th): same entries, .5.
        // At th = 0.9000000000000003 A (0.9) fails too: both FP, 2 hard FN -> recall 0 everywhere -> AP 0.
        // At 0.25 as at 0.5: .5.
        var chair = result.ApPerThreshold[ChairIndex];
        for (var t = 0; t < 8; t++)
            Assert.Equal(0.5, chair[t]);
        Assert.Equal(0.0, chair[8]);
        Assert.Equal(0.5, chair[9]);
        Assert.Equal(4.0 / 9.0, result.ClassAp[ChairIndex]);
        Assert.Equal(0.5, result.ClassAp50[ChairIndex]);
        Assert.Equal(0.5, result.ClassAp25[ChairIndex]);

        // Table: E is a TP (IoU 1, 0.5), D an FP (0.6, no void). Ascending (0.5 TP), (0.6 FP):
        // at 0.5 p 1/2 r 1; at 0.6 p 0 r 0; appended (1, 0). Widths .5, .5, 0 -> AP = .25 at every threshold.
        Assert.All(result.ApPerThreshold[TableIndex], v => Assert.Equal(0.25, v));

        // Other classes have no GT: NaN, left out. AP = (8*.5 + 0 + 9*.25) / 18 = 6.25/18; AP50 = AP25 = .375.
        Assert.True(double.IsNaN(result.ClassAp[0]));
        Assert.Equal(6.25 / 18, result.Ap, 15);
        Assert.Equal(0.375, result.Ap50);
        Assert.Equal(0.375, result.Ap25);
        Assert.Contains(result.Notes, n => n.StartsWith("cabinet:", StringComparison.Ordinal));
    }

    [Fact]
    public void HandComputed_TiedConfidences()
    {
        // Chair 5001 (0..199), table 7001 (300..499). P1 = exact chair (0.5); P2 = a chair prediction on the table
        // (annotated, not void, so a real FP) with the same confidence 0.5.
        var gt = Gt(600, (5001, 0, 200), (7001, 300, 200));
        var preds = new List<PredictedInstance>
        {
            new(Range(0, 200), Chair, 0.5),
            new(Range(300, 200), Chair, 0.5),
        };
        var result = new InstanceAp().Evaluate([new InstanceScene("s", gt, preds)]);
        // Entries (0.5 TP), (0.5 FP): one unique score: tp 1, fp 1, fn 0 -> p .5, r 1; appended (1, 0).
        // Widths (r0-r1)/2 = .5 and (r0-0)/2 = .5 -> AP = .25 + .5 = .75.
        Assert.All(result.ApPerThreshold[ChairIndex], v => Assert.Equal(0.75, v));
    }

    [Fact]
    public void HandComputed_SmallGtIgnoresItsOverlap()
    {
        // Chair 5001 (0..199) and a small chair 5002 (200..249, 50 v). Q exact on 5001 (0.9).
        // S = 5002 + 70 unannotated vertices (250..319), 120 v, conf 0.7: IoU(5002) = 50/120 = .4167.
        // th .25: S "finds" 5002 (IoU > th) -> neither TP nor FP. th >= .5: ignore = 70 void + 50 small = 120 -> 1 > th.
        // So S never counts: only Q's TP -> one point p 1 r 1, appended (1, 0): widths .5, .5 -> AP 1.
        var gt = Gt(400, (5001, 0, 200), (5002, 200, 50));
        var preds = new List<PredictedInstance> { new(Range(0, 200), Chair, 0.9), new(Range(200, 120), Chair, 0.7) };
        var result = new InstanceAp().Evaluate([new InstanceScene("s", gt, preds)]);
        Assert.All(result.ApPerThreshold[ChairIndex], v => Assert.Equal(1.0, v));
    }

    [Fact]
    public void OnlyPredictionIgnored_GivesZeroWithNote()
    {
        // The official script crashes (IndexError on an empty PR list); we define AP = 0 and say so.
        var gt = Gt(1000, (5001, 0, 200), (1001, 500, 300));
        var preds = new List<PredictedInstance> { new(Range(500, 300), Chair, 0.9) };
        var result = new InstanceAp().Evaluate([new InstanceScene("s", gt, preds)]);
        Assert.All(result.ApPerThreshold[ChairIndex], v => Assert.Equal(0.0, v));
        Assert.Contains(result.Notes, n => n.Contains("crashes", StringComparison.Ordinal));
    }

    [Fact]
    public void GtWithoutPrediction_IsZero_PredictionWithoutGt_IsNaN()
    {
        var gt = Gt(400, (5001, 0, 200));
        var preds = new List<PredictedInstance> { new(Range(200, 150), Table, 0.9) };
        var result = new InstanceAp().Evaluate([new InstanceScene("s", gt, preds)]);
        Assert.Equal(0.0, result.ClassAp[ChairIndex]);
        Assert.True(double.IsNaN(result.ClassAp[TableIndex]));
        Assert.Equal(0.0, result.Ap);
    }

    [Fact]
    public void OrderDependentCase_FollowsFileLineOrder()
    {
        // Chair 5001 (0..99) and 5002 (100..199). Q exact on 5001 (0.9); P = 50..149 has IoU 50/150 = 1/3 with
        // both, above 0.25 only.
        var gt = Gt(300, (5001, 0, 100), (5002, 100, 100));
        var q = new PredictedInstance(Range(0, 100), Chair, 0.9, "Q");
        var p = new PredictedInstance(Range(50, 100), Chair, 0.8, "P");
        // Order Q, P: 5001 takes Q; P is a duplicate for 5001 (FP 0.8, not consumed); 5002 then takes P (TP 0.8).
        // Entries (0.8 TP), (0.8 FP), (0.9 TP): at 0.8 tp 2 fp 1 fn 0 -> p 2/3 r 1; at 0.9 tp 1 fp 0 fn 1 ->
        // p 1 r .5; appended (1, 0). Widths (1-.5)/2, (1-0)/2, (.5-0)/2 -> AP = 2/3*.25 + .5 + .25 = 11/12.
        var qp = new InstanceAp().Evaluate([new InstanceScene("s", gt, [q, p])]);
        Assert.Equal(11.0 / 12.0, qp.ClassAp25[ChairIndex], 15);
        // Order P, Q: 5001 takes P (TP .8, consumed); Q is a duplicate -> FP min(.8,.9) = .8, GT keeps .9;
        // 5002 finds P consumed -> hard FN. Entries (0.8 FP), (0.9 TP) with 1 hard FN -> AP .5 (as above).
        var pq = new InstanceAp().Evaluate([new InstanceScene("s", gt, [p, q])]);
        Assert.Equal(0.5, pq.ClassAp25[ChairIndex]);
        // AP50 does not depend on the order.
        Assert.Equal(qp.ClassAp50[ChairIndex], pq.ClassAp50[ChairIndex]);
    }

    [Fact]
    public void ClassAgnostic_MergesClassesAndIgnoresPredictedLabels()
    {
        var gt = Gt(600, (5001, 0, 200), (7001, 200, 200), (1001, 400, 200));
        var preds = new List<PredictedInstance> { new(Range(0, 200), Table, 0.9), new(Range(200, 200), 40, 0.8) };
        var result = InstanceAp.ClassAgnosticScanNet().Evaluate([new InstanceScene("s", gt, preds)]);
        Assert.Single(result.ClassNames);
        Assert.Equal(1.0, result.Ap, 15);
        Assert.Equal(1.0, result.Ap25, 15);
    }

    [Fact]
    public void PerfectPrediction_ScoresOneEverywhere()
    {
        var rng = new Random(11);
        var scenes = new List<InstanceScene>();
        for (var s = 0; s < 5; s++)
        {
            var (gt, instances) = RandomScene(rng, 3000);
            var preds = instances.Select(i => new PredictedInstance(i.Vertices, i.Label, rng.NextDouble())).ToList();
            scenes.Add(new InstanceScene($"s{s}", gt, preds));
        }
        var result = new InstanceAp().Evaluate(scenes);
        foreach (var row in result.ApPerThreshold.Where(r => !double.IsNaN(r[0])))
            Assert.All(row, v => Assert.Equal(1.0, v, 12));
        Assert.Equal(1.0, result.Ap, 12);
        Assert.Equal(1.0, result.Ap50, 12);
        Assert.Equal(1.0, result.Ap25, 12);
    }

    [Fact]
    public void ZeroOverlapPrediction_NeverRaisesAp()
    {
        var rng = new Random(5);
        for (var trial = 0; trial < 40; trial++)
        {
            var (gt, instances) = RandomScene(rng, 2000);
            var preds = RandomPredictions(rng, gt, instances);
            var before = new InstanceAp().Evaluate([new InstanceScene("s", gt, preds)]);
            // A prediction of class c placed on vertices of other classes only (no same-class overlap).
            var target = instances[rng.Next(instances.Count)];
            var other = instances.Where(i => i.Label != target.Label).ToList();
            if (other.Count == 0)
                continue;
            var host = other[rng.Next(other.Count)];
            var extra = new PredictedInstance(host.Vertices, target.Label, rng.NextDouble());
            var after = new InstanceAp().Evaluate([new InstanceScene("s", gt, [.. preds, extra])]);
            for (var c = 0; c < after.ClassNames.Count; c++)
            {
                for (var t = 0; t < InstanceAp.Thresholds.Count; t++)
                {
                    var b = before.ApPerThreshold[c][t];
                    var a = after.ApPerThreshold[c][t];
                    if (!double.IsNaN(b))
                        Assert.True(a <= b + 1e-12, $"trial {trial} class {c} th {t}: {a} > {b}");
                }
            }
        }
    }

    [Fact]
    public void ShufflingPredictions_WithDistinctConfidences_ChangesNothingAbove25()
    {
        var rng = new Random(7);
        for (var trial = 0; trial < 30; trial++)
        {
            var (gt, instances) = RandomScene(rng, 2000);
            var preds = RandomPredictions(rng, gt, instances);
            var shuffled = preds.OrderBy(_ => rng.Next()).ToList();
            var a = new InstanceAp().Evaluate([new InstanceScene("s", gt, preds)]);
            var b = new InstanceAp().Evaluate([new InstanceScene("s", gt, shuffled)]);
            for (var c = 0; c < a.ClassNames.Count; c++)
            {
                for (var t = 0; t < 9; t++)
                    Assert.Equal(a.ApPerThreshold[c][t], b.ApPerThreshold[c][t]);
            }
            if (!AnyPredictionAboveQuarterWithTwoGts(gt, preds))
                Assert.Equal(a.Ap25, b.Ap25);
        }
    }

    [Fact]
    public void MatchesPlainDenseReference_OnRandomScenes()
    {
        // The per-vertex index intersections equal a dense mask count.
        var rng = new Random(3);
        for (var trial = 0; trial < 10; trial++)
        {
            var scenes = new List<InstanceScene>();
            for (var s = 0; s < 3; s++)
            {
                var (gt, instances) = RandomScene(rng, 1000 + rng.Next(500));
                scenes.Add(new InstanceScene($"s{s}", gt, RandomPredictions(rng, gt, instances)));
            }
            var fast = new InstanceAp().Evaluate(scenes);
            var reference = DenseInstanceApReference.Evaluate(scenes);
            for (var c = 0; c < 18; c++)
            {
                for (var t = 0; t < 10; t++)
                    Assert.Equal(reference[c][t], fast.ApPerThreshold[c][t]);
            }
        }
    }

    private static bool AnyPredictionAboveQuarterWithTwoGts(int[] gt, List<PredictedInstance> preds)
    {
        foreach (var p in preds)
        {
            var above = 0;
            foreach (var g in p.Vertices.Select(v => gt[v]).Where(g => g / 1000 == p.LabelId).Distinct())
            {
                var inter = p.Vertices.Count(v => gt[v] == g);
                var size = gt.Count(x => x == g);
                if ((double)inter / (size + p.Vertices.Length - inter) > 0.25)
                    above++;
            }
            if (above > 1)
                return true;
        }
        return false;
    }

    internal sealed record GtInstanceSpec(int Id, int Label, int[] Vertices);

    /// <summary>A scene of contiguous GT runs of random class and size (some void, some small).</summary>
    internal static (int[] Gt, List<GtInstanceSpec> Instances) RandomScene(Random rng, int vertexCount)
    {
        var gt = new int[vertexCount];
        var instances = new List<GtInstanceSpec>();
        var labels = new[] { 0, Wall, 3, 5, 5, 7, 7, 39 };
        var v = 0;
        var next = 1;
        while (v < vertexCount)
        {
            var size = Math.Min(vertexCount - v, 60 + rng.Next(300));
            var label = labels[rng.Next(labels.Length)];
            var id = label == 0 ? 0 : (label * 1000) + next++;
            Array.Fill(gt, id, v, size);
            if (label > 2)
                instances.Add(new GtInstanceSpec(id, label, Range(v, size)));
            v += size;
        }
        return (gt, instances);
    }

    /// <summary>Predictions around GT instances (shifted, grown, shrunk, wrong class) with distinct confidences.</summary>
    internal static List<PredictedInstance> RandomPredictions(Random rng, int[] gt, List<GtInstanceSpec> instances)
    {
        var preds = new List<PredictedInstance>();
        var confidences = Enumerable.Range(0, 1000).OrderBy(_ => rng.Next()).Select(i => (i + 1) / 1001.0).ToArray();
        var k = 0;
        foreach (var inst in instances)
        {
            var copies = rng.Next(3);
            for (var c = 0; c < copies; c++)
            {
                var first = Math.Clamp(inst.Vertices[0] + rng.Next(-80, 80), 0, gt.Length - 1);
                var count = Math.Clamp(inst.Vertices.Length + rng.Next(-80, 120), 1, gt.Length - first);
                var label = rng.Next(5) == 0 ? 7 : inst.Label;
                preds.Add(new PredictedInstance(Range(first, count), label, confidences[k++]));
            }
        }
        return preds;
    }
}
