using Clickscape.Tensors.Autograd;

namespace Clickscape.Tensors.Losses;

/// <summary>
/// Element-wise regression losses with mean reduction: L1 = mean |p − t| (PointGroup's offset loss),
/// L2 = mean (p − t)². The target receives no gradient.
/// </summary>
/// <remarks>Backward: L1 ∂p = sign(p − t)/n (0 at 0), L2 ∂p = 2(p − t)/n.</remarks>
public static class Regression
{
    /// <summary>mean |prediction − target|.</summary>
    public static Tensor L1(Tensor prediction, Tensor target) => Reduce(prediction, target, "L1", l1: true);

    /// <summary>mean (prediction − target)² (MSE).</summary>
    public static Tensor L2(Tensor prediction, Tensor target) => Reduce(prediction, target, "L2", l1: false);

    private static Tensor Reduce(Tensor p, Tensor t, string op, bool l1)
    {
        if (!p.SameShape(t)) throw new ArgumentException($"{op}: prediction {Tensor.ShapeString(p.Shape)} and target {Tensor.ShapeString(t.Shape)} differ");
        if (p.Length == 0) throw new ArgumentException($"{op}: empty input");
        var pd = p.Data;
        var td = t.Data;
        double sum = 0;
        for (int i = 0; i < pd.Length; i++)
        {
            double d = pd[i] - td[i];
            sum += l1 ? Math.Abs(d) : d * d;
        }
        int n = p.Length;
        var result = Tensor.Scalar((float)(sum / n));
        return Graph.Record(result, [p], g =>
        {
            float scale = g.Data[0] / n;
            var gp = p.GradBuffer();
            var pv = p.Data;
            var tv = t.Data;
            for (int i = 0; i < gp.Length; i++)
            {
                float d = pv[i] - tv[i];
                gp[i] += l1 ? (d > 0 ? scale : d < 0 ? -scale : 0f) : 2f * d * scale;
            }
        });
    }
}
