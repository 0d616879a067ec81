using Clickscape.Tensors.Ops;

namespace Clickscape.Tensors.Losses;

/// <summary>
/// Losses composed from differentiable ops (their gradients come from the ops' backward rules):
/// the cosine loss and the soft Dice loss.
/// </summary>
/// <remarks>Intermediates are not disposed here: the graph reads them during backward (they return to the
/// pool with the enclosing <see cref="Autograd.TensorScope"/>).</remarks>
public static class Similarity
{
    /// <summary>Row-wise cosine similarity of a, b [N, D]: ⟨a,b⟩ / (max(‖a‖‖b‖, eps)). Returns [N].</summary>
    public static Tensor Cosine(Tensor a, Tensor b, float eps = 1e-8f)
    {
        if (a.Rank != 2 || !a.SameShape(b)) throw new ArgumentException($"Cosine: expected two [N,D] tensors of equal shape, got {Tensor.ShapeString(a.Shape)} and {Tensor.ShapeString(b.Shape)}");
        var ab = a * b;
        var dot = ab.Sum(1);
        var a2 = a.Square();
        var b2 = b.Square();
        var na = a2.Sum(1);
        var nb = b2.Sum(1);
        var prod = na * nb;
        var prodEps = Elementwise.AddScalar(prod, eps * eps);
        var norm = prodEps.Sqrt();
        return dot / norm;
    }

    /// <summary>
    /// Cosine loss mean(1 − cos(aᵢ, bᵢ)). PointGroup's offset-direction loss is −mean(cos) (the same up to a
    /// constant).
    /// </summary>
    public static Tensor CosineLoss(Tensor a, Tensor b)
    {
        var cos = Cosine(a, b);
        var mean = cos.Mean();
        return 1f - mean;
    }

    /// <summary>
    /// Soft Dice loss (Milletari et al., V-Net 2016): 1 − (2Σ p·t + s)/(Σ p + Σ t + s) over all elements of
    /// probabilities p and a 0/1 (or soft) target t of the same shape; s = <paramref name="smooth"/>.
    /// </summary>
    public static Tensor Dice(Tensor probabilities, Tensor target, float smooth = 1f)
    {
        if (!probabilities.SameShape(target)) throw new ArgumentException($"Dice: probabilities {Tensor.ShapeString(probabilities.Shape)} and target {Tensor.ShapeString(target.Shape)} differ");
        var pt = probabilities * target;
        var inter = pt.Sum();
        var num = Elementwise.AddScalar(Elementwise.MultiplyScalar(inter, 2f), smooth);
        var sp = probabilities.Sum();
        float st = System.Numerics.Tensors.TensorPrimitives.Sum(target.Data);
        var den = Elementwise.AddScalar(sp, st + smooth);
        var ratio = num / den;
        return 1f - ratio;
    }
}
