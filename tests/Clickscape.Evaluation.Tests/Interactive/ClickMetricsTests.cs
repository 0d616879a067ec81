using Clickscape.Evaluation.Interactive;

namespace Clickscape.Evaluation.Tests.Interactive;

public class ClickMetricsTests
{
    private static double[] Curve(params double[] first)
    {
        var c = new double[20];
        for (var k = 0; k < 20; k++)
            c[k] = first[Math.Min(k, first.Length - 1)];
        return c;
    }

    [Fact]
    public void HandComputed_NocAndIouAtK()
    {
        // Object A (class 5): .5 .82 .86 .91 ... -> NoC80 = 2, NoC85 = 3, NoC90 = 4.
        // Object B (class 5): .7 .79 .80 .80 ... -> NoC80 = 3 (>= is enough), NoC85 = NoC90 = 20 (never).
        // Object C (class 7): .95 ... -> 1, 1, 1.
        var a = new InteractiveObject("s", 1, 5, Curve(0.5, 0.82, 0.86, 0.91));
        var b = new InteractiveObject("s", 2, 5, Curve(0.7, 0.79, 0.80));
        var c = new InteractiveObject("s", 3, 7, Curve(0.95));
        var r = new ClickMetrics().Evaluate([a, b, c]);
        Assert.Equal((2 + 3 + 1) / 3.0, r.Overall.NocAt80);
        Assert.Equal((3 + 20 + 1) / 3.0, r.Overall.NocAt85);
        Assert.Equal((4 + 20 + 1) / 3.0, r.Overall.NocAt90);
        // IoU@1 = (.5 + .7 + .95)/3; IoU@5 = (.91 + .80 + .95)/3.
        Assert.Equal((0.5 + 0.7 + 0.95) / 3, r.Overall.IouAtClick[0], 15);
        Assert.Equal((0.91 + 0.80 + 0.95) / 3, r.Overall.IouAtClick[4], 15);
        // Per class: class 5 = {A, B}: NoC90 = (4 + 20)/2 = 12.
        Assert.Equal(2, r.PerClass.Count);
        Assert.Equal(12.0, r.PerClass[0].NocAt90);
        Assert.Equal(1.0, r.PerClass[1].NocAt90);
        Assert.Null(r.FinalMaskAp);
    }

    [Fact]
    public void ShortRun_CarriesLastIouForward()
    {
        var r = new ClickMetrics().Evaluate([new InteractiveObject("s", 1, 1, [0.3, 0.86])]);
        Assert.Equal(2.0, r.Overall.NocAt85);
        Assert.Equal(0.86, r.Overall.IouAtClick[19]);
        Assert.Single(r.Notes);
    }

    [Fact]
    public void FinalMaskAp_PerfectMasksScoreOne_AndMaskIouIsCounted()
    {
        int[] gt = [0, 1, 2, 3];
        // {2,3,4,5} vs {0,1,2,3}: intersection 2, union 6.
        Assert.Equal(2.0 / 6.0, ClickMetrics.Iou([2, 3, 4, 5], gt, 10));
        var objects = new[]
        {
            new InteractiveObject("s", 1, 3, Curve(1.0), gt, gt, 10, 0.9),
            new InteractiveObject("s", 2, 3, Curve(1.0), [5, 6], [5, 6], 10, 0.8),
        };
        var r = new ClickMetrics().Evaluate(objects);
        Assert.NotNull(r.FinalMaskAp);
        Assert.Equal(1.0, r.FinalMaskAp!.Ap, 12);
    }
}
