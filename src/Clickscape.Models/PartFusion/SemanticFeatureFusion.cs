using Clickscape.Tensors;

namespace Clickscape.Models.PartFusion;

/// <summary>
/// Semantic segmentation-assisted instance feature aggregation (Sun et al., §3.2, Eq. 3–6): per shape, the part
/// instance feature of class m is the probability-weighted mean of the instance features,
/// Z_m = Σ_q P(q)|_m · F(q) / Σ_q P(q)|_m (Eq. 3 / 5), and every point receives F̂(p) = Σ_m P(p)|_m · Z_m (Eq. 4 / 6).
/// In matrix form per shape: Z = (P / (1ᵀP))ᵀ F, F̂ = P Z (with a weight per row when a row stands for several points). Cross-level fusion (Eq. 5–6) calls it with the
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

    /// <summary>
    /// F̂ for every row: <paramref name="probabilities"/> R × c, <paramref name="features"/> R × l; <paramref name="shapes"/> lists the
    /// rows of each shape (together every row once). Rows may stand for several points (voxels read at their points):
    /// <paramref name="weights"/> (R, optional) counts them, so the sums of Eq. 3 run over points.
    /// </summary>
    public static Tensor Aggregate(Tensor probabilities, Tensor features, IReadOnlyList<int[]> shapes, float[]? weights = null)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(shapes);
        if (probabilities.Rank != 2 || features.Rank != 2 || probabilities.Dim(0) != features.Dim(0))
            throw new ArgumentException($"fusion: probabilities [{string.Join(", ", probabilities.Shape.ToArray())}] and features [{string.Join(", ", features.Shape.ToArray())}] must be R × c and R × l");
        int rows = features.Dim(0), c = probabilities.Dim(1);
        if (weights is not null && weights.Length != rows) throw new ArgumentException($"fusion: {weights.Length} weights for {rows} rows");
        var order = new int[rows];
        var seen = new bool[rows];
        int at = 0;
        var parts = new List<Tensor>(shapes.Count);
        foreach (var shape in shapes)
        {
            if (shape.Length == 0) continue;
            foreach (int r in shape)
            {
                if ((uint)r >= (uint)rows || seen[r]) throw new ArgumentException("fusion: every row must belong to exactly one shape");
                seen[r] = true;
                order[at++] = r;
            }
            bool whole = shape.Length == rows;
            var p = whole ? probabilities : probabilities.IndexSelect(shape);
            var f = whole ? features : features.IndexSelect(shape);
            var pw = weights is null ? p : p * Tensor.FromArray(shape.Select(r => weights[r]).ToArray(), shape.Length, 1);
            var mass = pw.Sum(0).Reshape(c, 1) + Epsilon;        // Σ_q P(q)|_m, c × 1
            var z = pw.MatMul(f, transposeThis: true) / mass;    // Eq. 3: c × l
            parts.Add(p.MatMul(z));                              // Eq. 4: rows of the shape × l
        }
        if (at != rows) throw new ArgumentException("fusion: every row must belong to exactly one shape");
        var stacked = parts.Count == 1 ? parts[0] : Tensor.Concat(parts, 0);
        bool identity = true;
        for (int i = 0; i < rows && identity; i++) identity = order[i] == i;
        if (identity) return stacked;
        var inverse = new int[rows];
        for (int i = 0; i < rows; i++) inverse[order[i]] = i;
        return stacked.IndexSelect(inverse);
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
