using Clickscape.Data.Classes;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Evaluation.Tests.ScanNet;

public class SemanticIouTests
{
    [Fact]
    public void HandComputed_UnknownRuleAndSkippedVertices()
    {
        // Classes: wall 1, floor 2, chair 5 (indices 0, 1, 4).
        // GT:   1 1 1 2 2 5 5 0 13 13
        // Pred: 1 1 2 2 40 5 1 1 1 5
        // GT 0 and 13 are not benchmark classes -> their 3 vertices are skipped entirely.
        // Pred 40 is not a benchmark class -> UNKNOWN.
        int[] gt = [1, 1, 1, 2, 2, 5, 5, 0, 13, 13];
        int[] pred = [1, 1, 2, 2, 40, 5, 1, 1, 1, 5];
        var r = new SemanticIou().Evaluate([(gt, pred)]);
        // wall: TP 2, FN 1 (->floor), FP 1 (chair GT predicted wall) -> 2/4.
        Assert.Equal(0.5, r.ClassIou[0]);
        // floor: TP 1, FN 1 (UNKNOWN), FP 1 (wall GT predicted floor) -> 1/3.
        Assert.Equal(1.0 / 3.0, r.ClassIou[1]);
        // chair: TP 1, FN 1, FP 0 (the pred 5 on GT 13 is skipped) -> 1/2.
        Assert.Equal(0.5, r.ClassIou[4]);
        // 17 other classes are NaN: mIoU = (0.5 + 1/3 + 0.5) / 3.
        Assert.Equal(17, r.ClassIou.Count(double.IsNaN));
        Assert.Equal((0.5 + (1.0 / 3.0) + 0.5) / 3.0, r.MeanIou, 15);
        // accuracy: 4 correct of 7 evaluated vertices.
        Assert.Equal(4.0 / 7.0, r.OverallAccuracy);
        Assert.Equal(17, r.Notes.Count);
    }

    [Fact]
    public void PerfectPrediction_ScoresOne()
    {
        var rng = new Random(2);
        var ids = ScanNetBenchmark.Semantic20Ids;
        var gt = Enumerable.Range(0, 5000).Select(_ => rng.Next(5) == 0 ? 0 : ids[rng.Next(ids.Count)]).ToArray();
        var r = new SemanticIou().Evaluate([(gt, (int[])gt.Clone())]);
        Assert.All(r.ClassIou, v => Assert.Equal(1.0, v));
        Assert.Equal(1.0, r.MeanIou);
        Assert.Equal(1.0, r.OverallAccuracy);
    }

    [Fact]
    public void MatchesDenseReference_OnRandomLabels()
    {
        var rng = new Random(9);
        var ids = ScanNetBenchmark.Semantic20Ids.ToArray();
        for (var trial = 0; trial < 5; trial++)
        {
            var n = 997 + rng.Next(300);
            var gt = Enumerable.Range(0, n).Select(_ => rng.Next(42)).ToArray();
            var pred = Enumerable.Range(0, n).Select(_ => rng.Next(42)).ToArray();
            var r = new SemanticIou().Evaluate([(gt, pred)]);
            for (var c = 0; c < ids.Length; c++)
            {
                var id = ids[c];
                long tp = 0, fp = 0, fn = 0;
                for (var v = 0; v < n; v++)
                {
                    if (!ids.Contains(gt[v]))
                        continue;
                    if (gt[v] == id && pred[v] == id)
                        tp++;
                    else if (gt[v] == id)
                        fn++;
                    else if (pred[v] == id)
                        fp++;
                }
                var expected = tp + fp + fn == 0 ? double.NaN : (double)tp / (tp + fp + fn);
                Assert.Equal(expected, r.ClassIou[c]);
            }
        }
    }
}
