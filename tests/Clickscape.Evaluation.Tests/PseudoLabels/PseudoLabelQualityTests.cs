using Clickscape.Evaluation.PseudoLabels;

namespace Clickscape.Evaluation.Tests.PseudoLabels;

public class PseudoLabelQualityTests
{
    [Fact]
    public void HandComputed_FractionIouAndAp()
    {
        // 400 points: GT chair (5) instance 5001 on 0..199, floor (2) on 200..399 (no instance: void for AP).
        var gtSem = new int[400];
        var gtIns = new int[400];
        for (var p = 0; p < 400; p++)
        {
            gtSem[p] = p < 200 ? 5 : 2;
            gtIns[p] = p < 200 ? 5001 : 0;
        }
        // Pseudo: chair instance 7 on 0..149 (label 5), floor label on 200..299, rest unlabelled (0).
        var pSem = new int[400];
        var pIns = new int[400];
        for (var p = 0; p < 150; p++)
        {
            pSem[p] = 5;
            pIns[p] = 7;
        }
        for (var p = 200; p < 300; p++)
            pSem[p] = 2;
        var r = new PseudoLabelQuality().Evaluate([new PseudoLabelScene("s", gtSem, gtIns, pSem, pIns)]);
        // Labelled: 250 of 400.
        Assert.Equal(250.0 / 400, r.LabelledFraction);
        // chair IoU = 150/200 (50 unlabelled = UNKNOWN = FN); floor IoU = 100/200.
        Assert.Equal(0.75, r.Semantic.ClassIou[4]);
        Assert.Equal(0.5, r.Semantic.ClassIou[1]);
        // Instance: one pseudo chair, IoU 150/200 = .75 > th for th < .75 -> AP 1 there, 0 from 0.75 on.
        // Thresholds .50 .55 .60 .65 .70 pass (5 of 9) -> chair AP = 5/9; AP50 = AP25 = 1.
        Assert.Equal(5.0 / 9.0, r.Instance.Ap, 15);
        Assert.Equal(1.0, r.Instance.Ap50, 15);
    }
}
