using System.Numerics.Tensors;

namespace Clickscape.Tensors.Optim;

/// <summary>
/// Gradient-norm clipping (Pascanu et al., ICML 2013), as PyTorch's clip_grad_norm_: when the global L2 norm
/// of all gradients exceeds maxNorm, every gradient is scaled by maxNorm/(norm + 1e-6).
/// </summary>
public static class GradientClipping
{
    /// <summary>Clips in place and returns the norm before clipping.</summary>
    public static float ClipNorm(IEnumerable<Tensor> parameters, float maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var grads = parameters.Where(p => p.Grad is not null).Select(p => p.Grad!).ToList();
        double sq = 0;
        foreach (var g in grads) sq += TensorPrimitives.Dot(g.Data, g.Data);
        float norm = (float)Math.Sqrt(sq);
        if (norm > maxNorm)
        {
            float scale = maxNorm / (norm + 1e-6f);
            foreach (var g in grads) TensorPrimitives.Multiply(g.Data, scale, g.Data);
        }
        return norm;
    }
}
