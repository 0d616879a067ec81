using Clickscape.Tensors.Autograd;

namespace Clickscape.Tensors.Losses;

/// <summary>
/// Binary cross-entropy on logits, mean over elements, in the numerically stable form PyTorch uses:
/// ℓ(z, t) = max(z, 0) − z·t + ln(1 + e^−|z|) (optionally the positive term weighted by w₊:
/// ℓ = (1 − t)·z + (1 + (w₊ − 1)·t)·(ln(1 + e^−|z|) + max(−z, 0))). Targets may be soft, in [0, 1].
/// </summary>
/// <remarks>Backward: ∂ℓ/∂z = σ(z) − t, or with w₊: (1 + (w₊ − 1)t)·σ(z) − w₊·t; divided by the element count.</remarks>
public static class BinaryCrossEntropy
{
    /// <summary>Mean BCE of <paramref name="logits"/> against <paramref name="targets"/> of the same shape.</summary>
    public static Tensor WithLogits(Tensor logits, Tensor targets, float positiveWeight = 1f)
    {
        if (!logits.SameShape(targets)) throw new ArgumentException($"BinaryCrossEntropy: logits {Tensor.ShapeString(logits.Shape)} and targets {Tensor.ShapeString(targets.Shape)} differ");
        if (logits.Length == 0) throw new ArgumentException("BinaryCrossEntropy: empty input");
        var z = logits.Data;
        var t = targets.Data;
        double sum = 0;
        for (int i = 0; i < z.Length; i++)
        {
            double zi = z[i], ti = t[i];
            double softplusNeg = Math.Log(1 + Math.Exp(-Math.Abs(zi))) + Math.Max(-zi, 0); // ln(1 + e^−z)
            sum += (1 - ti) * zi + (1 + (positiveWeight - 1) * ti) * softplusNeg;
        }
        int n = z.Length;
        var result = Tensor.Scalar((float)(sum / n));
        return Graph.Record(result, [logits], g =>
        {
            float scale = g.Data[0] / n;
            var gz = logits.GradBuffer();
            var zs = logits.Data;
            var ts = targets.Data;
            for (int i = 0; i < gz.Length; i++)
            {
                float s = 1f / (1f + MathF.Exp(-zs[i]));
                gz[i] += scale * ((1 + (positiveWeight - 1) * ts[i]) * s - positiveWeight * ts[i]);
            }
        });
    }
}
