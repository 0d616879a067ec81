using Clickscape.Evaluation.PartNet;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Evaluation.Tests.PartNet;

public class PartInstanceApTests
{
    private static int[] R(int first, int count) => Enumerable.Range(first, count).ToArray();

    [Fact]
    public void InterpolatedAp_HandComputed()
    {
        // TP, FP, TP with 2 GT: rec .5 .5 1, prec 1 .5 2/3 (plus (0, 1)).
        // t = 0 .. .5 (51 points): max prec with rec >= t = 1; t = .51 .. 1 (50 points): 2/3.
        // AP = (51 * 1 + 50 * 2/3) / 101.
        var ap = PartInstanceAp.InterpolatedAp([(0.9, true), (0.8, false), (0.7, true)], 2);
        Assert.Equal((51 + (50 * 2.0 / 3.0)) / 101, ap, 12);
    }

    [Fact]
    public void HandComputed_OtherPointsRemovedAndGreedyByConfidence()
    {
        // 20 points; part 1 instance a = 0..4, part 1 instance b = 5..9, part 2 = 10..14, other = 15..19.
        int[] label = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0];
        int[] inst = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 0, 0, 0, 0, 0];
        var preds = new List<PredictedInstance>
        {
            // P1 (conf .6): a + the 5 other points -> other removed -> IoU(a) = 1.
            new([.. R(0, 5), .. R(15, 5)], 1, 0.6),
            // P2 (conf .9): 3..7 -> IoU(a) = 2/8, IoU(b) = 3/7 -> takes b only if > threshold.
            new(R(3, 5), 1, 0.9),
            // P3 (conf .5): part 2 exact.
            new(R(10, 5), 2, 0.5),
        };
        var r = new PartInstanceAp().Evaluate([new PartShape("s", label, inst, preds)], 2);
        // th .25: P2 first (highest conf): best unused IoU = 3/7 with b > .25 -> TP, b used. P1 -> a, IoU 1 -> TP.
        //   part 1 entries (.9 TP), (.6 TP) with 2 GT -> rec .5, 1 prec 1, 1 -> AP 1.
        Assert.Equal(1.0, r.ClassAp[0][0], 6);
        // th .5: P2 best 3/7 <= .5 -> FP; P1 -> a TP. Entries (.9 FP), (.6 TP), npos 2:
        //   rec 0, .5; prec 0, .5; plus (0, 1). t = 0: 1; t = .01 .. .5 (50 points): .5; t > .5: 0.
        //   AP = (1 + 50 * .5) / 101 = 26/101, stored as float32.
        Assert.Equal((double)(float)(26.0 / 101), r.ClassAp[0][1]);
        Assert.Equal(1.0, r.ClassAp[1][1], 6);
        Assert.Equal(((double)(float)(26.0 / 101) + 1.0) / 2, r.MeanAp[1], 12);
    }

    [Fact]
    public void PerfectPrediction_ScoresOne()
    {
        var rng = new Random(8);
        var shapes = new List<PartShape>();
        for (var s = 0; s < 4; s++)
        {
            var label = new int[300];
            var inst = new int[300];
            var preds = new List<PredictedInstance>();
            for (var k = 0; k < 10; k++)
            {
                var l = rng.Next(4);
                Array.Fill(label, l, k * 30, 30);
                Array.Fill(inst, k, k * 30, 30);
                if (l > 0)
                    preds.Add(new PredictedInstance(R(k * 30, 30), l, rng.NextDouble()));
            }
            shapes.Add(new PartShape($"s{s}", label, inst, preds, label));
        }
        var r = new PartInstanceAp().Evaluate(shapes, 3);
        Assert.All(r.MeanAp, v => Assert.Equal(1.0, v, 6));
        Assert.All(r.ShapeAp, v => Assert.Equal(1.0, v, 6));
        Assert.Equal(1.0, r.MeanIou);
    }
}
