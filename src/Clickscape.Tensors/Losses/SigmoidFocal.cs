using Clickscape.Tensors.Autograd;

namespace Clickscape.Tensors.Losses;

/// <summary>
/// Sigmoid focal loss (Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017, Eq. 5), summed over elements:
/// with p = σ(z), FL = −α·(1 − p)^γ·ln p where t = 1 and −(1 − α)·p^γ·ln(1 − p) where t = 0. SOLO's category
/// branch uses α = 0.25, γ = 2 and divides the sum by the number of positive cells + 1 (the caller does).
/// </summary>
/// <remarks>ln p = −softplus(−z), ln(1 − p) = −softplus(z) (stable for large |z|). Backward:
/// t = 1: ∂/∂z = α(1 − p)^γ·(γ·p·ln p − (1 − p)); t = 0: ∂/∂z = (1 − α)p^γ·(p − γ(1 − p)·ln(1 − p)).</remarks>
public static class SigmoidFocal
{
    /// <summary>Σ FL of <paramref name="logits"/> against 0/1 <paramref name="targets"/> of the same shape.</summary>
    public static Tensor Sum(Tensor logits, Tensor targets, float alpha = 0.25f, float gamma = 2f)
    {
        if (!logits.SameShape(targets)) throw new ArgumentException($"SigmoidFocal: logits {Tensor.ShapeString(logits.Shape)} and targets {Tensor.ShapeString(targets.Shape)} differ");
        var z = logits.Data;
        var t = targets.Data;
        double sum = 0;
        for (int i = 0; i < z.Length; i++)
        {
            var (p, logP, log1mP) = Terms(z[i]);
            sum += t[i] > 0.5f ? -alpha * Math.Pow(1 - p, gamma) * logP : -(1 - alpha) * Math.Pow(p, gamma) * log1mP;
        }
        var result = Tensor.Scalar((float)sum);
        return Graph.Record(result, [logits], g =>
        {
            double scale = g.Data[0];
            var gz = logits.GradBuffer();
            var zs = logits.Data;
            var ts = targets.Data;
            for (int i = 0; i < gz.Length; i++)
            {
                var (p, logP, log1mP) = Terms(zs[i]);
                double d = ts[i] > 0.5f
                    ? alpha * Math.Pow(1 - p, gamma) * (gamma * p * logP - (1 - p))
                    : (1 - alpha) * Math.Pow(p, gamma) * (p - gamma * (1 - p) * log1mP);
                gz[i] += (float)(scale * d);
            }
        });
    }

    private static (double P, double LogP, double Log1mP) Terms(double z)
    {
        double softplusPos = Math.Max(z, 0) + Math.Log(1 + Math.Exp(-Math.Abs(z))); // ln(1 + e^z)
        double logP = z - softplusPos, log1mP = -softplusPos;
        return (Math.Exp(logP), logP, log1mP);
    }
}
