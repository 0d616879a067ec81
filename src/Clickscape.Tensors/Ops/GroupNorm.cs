using System.Numerics.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Group normalization (Wu &amp; He, ECCV 2018, Eq. 1–3) over x [N, C, …]: the C channels are split into G groups of
/// C/G; per sample n and group g, μ and σ² (biased) are taken over the group's C/G·(H·W) values, x̂ = (x − μ)/√(σ² + ε),
/// and y = γ_c x̂ + β_c with per-channel affine parameters. Independent of the batch size (the heads of SOLOv2 use it
/// with 32 groups), so training and evaluation compute the same function.
/// </summary>
/// <remarks>
/// Backward per (n, g) with M values and Ĝ = G ⊙ γ_c: ∂x = (Ĝ − mean(Ĝ) − x̂·mean(Ĝ ⊙ x̂))/σ̂; ∂γ_c = Σ_{n,hw} G ⊙ x̂,
/// ∂β_c = Σ_{n,hw} G. A group is contiguous in memory ([C/G, H·W] rows of one sample), so every sum is a
/// <see cref="TensorPrimitives"/> vector pass over a plane of H·W floats (SIMD over the plane, remainder handled by
/// the library); the forward and ∂x run in parallel over the N·G groups (each owns its values), ∂γ/∂β in parallel
/// over channels (each sums its planes in sample order, so results do not depend on the thread count).
/// </remarks>
public static class GroupNorm
{
    /// <summary>Normalizes <paramref name="x"/> in <paramref name="groups"/> groups; γ, β [C] may be null (affine off).</summary>
    public static Tensor Forward(Tensor x, int groups, Tensor? weight, Tensor? bias, float eps = 1e-5f)
    {
        if (x.Rank < 2) throw new ArgumentException($"GroupNorm: expected x [N,C,…], got {Tensor.ShapeString(x.Shape)}");
        int n = x.Dim(0), c = x.Dim(1), inner = 1;
        for (int i = 2; i < x.Rank; i++) inner *= x.Dim(i);
        if (groups < 1 || c % groups != 0) throw new ArgumentException($"GroupNorm: {groups} groups must divide {c} channels");
        if ((weight is not null && weight.Length != c) || (bias is not null && bias.Length != c))
            throw new ArgumentException($"GroupNorm: γ and β must have {c} values");
        int perGroup = c / groups, m = perGroup * inner;
        var y = Tensor.Empty(x.ShapeArray());
        // x̂ is kept for the backward only: pooled, handed to the graph as saved (returned at once when nothing records)
        var xHatTensor = Tensor.Empty(x.ShapeArray());
        var xHat = xHatTensor.Storage;
        var invStd = new float[n * groups];
        float[] xs = x.Storage, ys = y.Storage;
        float[]? gamma = weight?.ToArray(), beta = bias?.ToArray();
        ComputeThreads.For(n * groups, 1, (s, e) =>
        {
            for (int q = s; q < e; q++)
            {
                var src = xs.AsSpan(q * m, m);
                var hat = xHat.AsSpan(q * m, m);
                float mean = TensorPrimitives.Sum(src) / m;
                TensorPrimitives.Subtract(src, mean, hat);
                float variance = TensorPrimitives.SumOfSquares(hat) / m; // centred second moment: no cancellation
                float inv = 1f / MathF.Sqrt(variance + eps);
                invStd[q] = inv;
                TensorPrimitives.Multiply(hat, inv, hat);
                int c0 = q % groups * perGroup;
                for (int j = 0; j < perGroup; j++)
                {
                    var h = hat.Slice(j * inner, inner);
                    var dst = ys.AsSpan(q * m + j * inner, inner);
                    float gj = gamma?[c0 + j] ?? 1f, bj = beta?[c0 + j] ?? 0f;
                    TensorPrimitives.Multiply(h, gj, dst);
                    TensorPrimitives.Add(dst, bj, dst);
                }
            }
        });

        Tensor[] inputs = (weight, bias) switch
        {
            (null, null) => [x],
            (not null, null) => [x, weight],
            (null, not null) => [x, bias],
            _ => [x, weight!, bias!],
        };
        return Graph.Record(y, inputs, gy =>
        {
            float[] gs = gy.Storage;
            if (weight is { RequiresGrad: true } || bias is { RequiresGrad: true })
            {
                float[]? gw = weight is { RequiresGrad: true } ? weight.GradStorage() : null;
                float[]? gb = bias is { RequiresGrad: true } ? bias.GradStorage() : null;
                ComputeThreads.For(c, 1, (s, e) =>
                {
                    for (int ch = s; ch < e; ch++)
                    {
                        double sw = 0, sb = 0;
                        for (int b = 0; b < n; b++)
                        {
                            var gPlane = gs.AsSpan((b * c + ch) * inner, inner);
                            if (gw is not null) sw += TensorPrimitives.Dot(gPlane, xHat.AsSpan((b * c + ch) * inner, inner));
                            if (gb is not null) sb += TensorPrimitives.Sum(gPlane);
                        }
                        if (gw is not null) gw[ch] += (float)sw;
                        if (gb is not null) gb[ch] += (float)sb;
                    }
                });
            }
            if (!x.RequiresGrad) return;
            float[] gx = x.GradStorage();
            ComputeThreads.For(n * groups, 1, (s, e) =>
            {
                var scaled = new float[m];
                for (int q = s; q < e; q++)
                {
                    int c0 = q % groups * perGroup;
                    for (int j = 0; j < perGroup; j++)
                        TensorPrimitives.Multiply(gs.AsSpan(q * m + j * inner, inner), gamma?[c0 + j] ?? 1f, scaled.AsSpan(j * inner, inner));
                    var hat = xHat.AsSpan(q * m, m);
                    float meanG = TensorPrimitives.Sum(scaled) / m;
                    float meanGx = TensorPrimitives.Dot(scaled, hat) / m;
                    float inv = invStd[q];
                    var dst = gx.AsSpan(q * m, m);
                    // dst += inv·(Ĝ − meanG − x̂·meanGx), as two fused passes
                    TensorPrimitives.MultiplyAdd(hat, -meanGx, scaled, scaled);
                    TensorPrimitives.Add(scaled, -meanG, scaled);
                    TensorPrimitives.MultiplyAdd(scaled, inv, dst, dst);
                }
            });
        }, xHatTensor.DetachFromScope());
    }
}
