using Clickscape.Tensors.Autograd;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Inverted dropout (Srivastava et al., JMLR 2014): each element is zeroed with probability p and the
/// survivors scaled by 1/(1 − p), so evaluation needs no rescaling. The mask comes from a seeded
/// <see cref="Random"/> (reproducible runs) and is saved for backward: ∂x = G ⊙ mask / (1 − p).
/// </summary>
public static class Dropout
{
    /// <summary>Applies dropout with probability <paramref name="p"/> (identity copy when p = 0).</summary>
    public static Tensor Forward(Tensor x, float p, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (p is < 0f or >= 1f) throw new ArgumentOutOfRangeException(nameof(p), p, "Dropout: p must be in [0, 1)");
        float scale = 1f / (1f - p);
        var mask = Tensor.Empty(x.Shape).DetachFromScope();
        var md = mask.Data;
        for (int i = 0; i < md.Length; i++) md[i] = random.NextSingle() >= p ? scale : 0f;
        var y = Tensor.Empty(x.Shape);
        System.Numerics.Tensors.TensorPrimitives.Multiply(x.Data, md, y.Data);
        return Graph.Record(y, [x], g =>
        {
            var gx = x.GradBuffer();
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(g.Data, mask.Data, gx, gx);
        }, mask);
    }
}
