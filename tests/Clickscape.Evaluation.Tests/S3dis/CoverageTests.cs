using Clickscape.Evaluation.S3dis;

namespace Clickscape.Evaluation.Tests.S3dis;

public class CoverageTests
{
    [Fact]
    public void HandComputed_TwoRooms()
    {
        // Classes: 0 = a, 1 = b. Room 1 (10 points):
        // GT instances: g1 = points 0..3 (class a), g2 = 4..9 (class b).
        // Pred: p1 = 0..1 (a), p2 = 2..5 (a: semantic a on 2,3 and b on 4,5 -> tie 2:2 -> smallest class a),
        //       p3 = 6..9 (b).
        var room1 = new S3disRoom("r1",
            [0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
            [1, 1, 1, 1, 2, 2, 2, 2, 2, 2],
            [0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
            [1, 1, 2, 2, 2, 2, 3, 3, 3, 3]);
        // IoU(g1,p1) = 2/4 = .5; IoU(g1,p2) = 2/6 = 1/3 -> Cov_a(room1) = .5, WCov = .5.
        // IoU(g2,p3) = 4/6 = 2/3 -> Cov_b = WCov_b = 2/3 (p2 is class a, not compared with g2).
        // Precision room1: p1 best .5 >= .5 TP; p2 best 1/3 FP; p3 2/3 TP.
        // Room 2 (4 points): GT g1 = 0..3 class a; no prediction (-1).
        var room2 = new S3disRoom("r2", [0, 0, 0, 0], [7, 7, 7, 7], [0, 0, 0, 0], [-1, -1, -1, -1]);
        // Cov_a(room2) = 0 (no prediction) -> Cov_a = mean(.5, 0) = .25; WCov_a = .25. Cov_b = 2/3.
        var r = new Coverage(["a", "b"]).Evaluate([room1, room2]);
        Assert.Equal(0.25, r.Cov[0]);
        Assert.Equal(0.25, r.WCov[0]);
        Assert.Equal(2.0 / 3.0, r.Cov[1]);
        // Prec_a = 1 TP / 2 preds = .5, Rec_a = 1 / 2 GT = .5; Prec_b = 1/1, Rec_b = 1/1.
        Assert.Equal(0.5, r.Precision[0]);
        Assert.Equal(0.5, r.Recall[0]);
        Assert.Equal(1.0, r.Precision[1]);
        Assert.Equal(1.0, r.Recall[1]);
        Assert.Equal((0.25 + (2.0 / 3.0)) / 2, r.MeanCov);
        Assert.Equal(0.75, r.MeanPrecision);
        Assert.Equal(0.75, r.MeanRecall);
    }

    [Fact]
    public void WeightedCoverage_WeightsBySize()
    {
        // One class, GT g1 = 0..1 (2 points), g2 = 2..9 (8 points). Pred p1 = 0..1 exact, nothing on g2.
        // Cov = (1 + 0)/2 = .5; WCov = (1*2 + 0*8)/10 = .2.
        var room = new S3disRoom("r", new int[10], [1, 1, 2, 2, 2, 2, 2, 2, 2, 2], new int[10], [5, 5, -1, -1, -1, -1, -1, -1, -1, -1]);
        var r = new Coverage(["a"]).Evaluate([room]);
        Assert.Equal(0.5, r.Cov[0]);
        Assert.Equal(0.2, r.WCov[0], 15);
    }

    [Fact]
    public void PerfectPrediction_ScoresOne()
    {
        var rng = new Random(4);
        var sem = new int[500];
        var ins = new int[500];
        for (var p = 0; p < 500; p++)
        {
            ins[p] = p / 37;
            sem[p] = ins[p] % 13;
        }
        var r = new Coverage().Evaluate([new S3disRoom("r", sem, ins, sem, ins.Select(i => (i * 7) + 100).ToArray())]);
        Assert.Equal(1.0, r.MeanCov);
        Assert.Equal(1.0, r.MeanWCov);
        Assert.Equal(1.0, r.MeanPrecision);
        Assert.Equal(1.0, r.MeanRecall);
        _ = rng;
    }
}
