using Clickscape.Tensors;

namespace Clickscape.Models.PartFusion;

/// <summary>
/// Semantic segmentation-assisted instance feature aggregation (Sun et al., §3.2, Eq. 3–6): per shape, the part
/// instance feature of class m is the probability-weighted mean of the instance features,
/// Z_m = Σ_q P(q)|_m · F(q) / Σ_q P(q)|_m (Eq. 3 / 5), and every point receives F̂(p) = Σ_m P(p)|_m · Z_m (Eq. 4 / 6).
/// In matrix form per shape: Z = (P / (1ᵀP))ᵀ F, F̂ = P Z. Cross-level fusion (Eq. 5–6) calls it with the
/// probabilities of level r and the instance features of level k.
/// </summary>
/// <remarks>
/// A composite of recorded operations (slice, matmul, column sum, divide, concat), so its backward is theirs: the
/// gradient reaches both F and P unless the caller passes detached probabilities (the paper's stop-gradient).
/// A class with no probability mass in a shape (possible with one-hot aggregation) gets Z_m = 0 (denominator + 1e-8).
/// </remarks>
public static class SemanticFeatureFusion
{
    /// <summary>Added to Σ_q P(q)|_m so an absent class divides by a positive number.</summary>
    public const float Epsilon = 1e-8f;

    /// <summary>F̂ for every point: <paramref name="probabilities"/> N × c, <paramref name="features"/> N × l, shapes given by <paramref name="shapeStart"/> (B + 1 row offsets).</summary>
    public static Tensor Aggregate(Tensor probabilities, Tensor features, IReadOnlyList<int> shapeStart)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(shapeStart);
        if (probabilities.Rank != 2 || features.Rank != 2 || probabilities.Dim(0) != features.Dim(0))
            throw new ArgumentException($"fusion: probabilities [{string.Join(", ", probabilities.Shape.ToArray())}] and features [{string.Join(", ", features.Shape.ToArray())}] must be N × c and N × l");
        if (shapeStart.Count < 2 || shapeStart[0] != 0 || shapeStart[^1] != features.Dim(0))
            throw new ArgumentException($"fusion: shape offsets must run from 0 to {features.Dim(0)}");
        int c = probabilities.Dim(1);
        var parts = new List<Tensor>(shapeStart.Count - 1);
        for (int b = 0; b + 1 < shapeStart.Count; b++)
        {
            int start = shapeStart[b], length = shapeStart[b + 1] - start;
            if (length < 0) throw new ArgumentException("fusion: shape offsets must not decrease");
            if (length == 0) continue;
            var p = shapeStart.Count == 2 ? probabilities : probabilities.Slice(0, start, length);
            var f = shapeStart.Count == 2 ? features : features.Slice(0, start, length);
            var mass = p.Sum(0).Reshape(c, 1) + Epsilon;          // Σ_q P(q)|_m, c × 1
            var z = p.MatMul(f, transposeThis: true) / mass;     // Eq. 3: c × l
            parts.Add(p.MatMul(z));                               // Eq. 4: length × l
        }
        return parts.Count == 1 ? parts[0] : Tensor.Concat(parts, 0);
    }

    /// <summary>The one-hot rows of the argmax of <paramref name="probabilities"/> (ties → the smaller class), not on the graph.</summary>
    public static Tensor OneHot(Tensor probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        int n = probabilities.Dim(0), c = probabilities.Dim(1);
        var p = probabilities.Data;
        var hot = new float[(long)n * c];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int m = 1; m < c; m++) if (p[i * c + m] > p[i * c + best]) best = m;
            hot[i * c + best] = 1f;
        }
        return Tensor.FromArray(hot, n, c);
    }
}
