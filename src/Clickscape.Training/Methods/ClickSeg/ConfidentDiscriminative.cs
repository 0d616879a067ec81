using Clickscape.Tensors;
using Clickscape.Tensors.Ops;

namespace Clickscape.Training.Methods.ClickSeg;

/// <summary>
/// The discriminative loss (Eq. 1–2, L2 distances) restricted to confident pseudo labels, as ClickSeg's baseline
/// version trains on its own mean-shift clusters (§3.1, "Baseline version"): Eq. 1 only on points with
/// ‖μ_c − e_i‖ &lt; α, Eq. 2 only on instance pairs with ‖μ_A − μ_B‖ &gt; β (α 0.6, β 1.5). μ_c is the mean of the
/// instance's points for the α test and the mean of its kept points in the loss; the β test uses the kept means.
/// l_reg (0.001·mean ‖μ‖) as in <see cref="Tensors.Losses.Discriminative"/>. Returns 0 when nothing is kept.
/// </summary>
public static class ConfidentDiscriminative
{
    /// <summary>The loss of embeddings [N, E] grouped by <paramref name="instances"/> (negative = no instance).</summary>
    public static Tensor Forward(Tensor embeddings, int[] instances, float alpha, float beta, float deltaVar, float deltaDist)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(instances);
        int n = instances.Length, e = embeddings.Dim(1);
        var data = embeddings.Data;
        var sums = new Dictionary<int, double[]>();
        for (int i = 0; i < n; i++)
        {
            if (instances[i] < 0) continue;
            if (!sums.TryGetValue(instances[i], out var s)) sums[instances[i]] = s = new double[e + 1];
            for (int d = 0; d < e; d++) s[d] += data[i * e + d];
            s[e] += 1;
        }
        var rows = new List<int>();
        var ids = new List<int>();
        var remap = new Dictionary<int, int>();
        for (int i = 0; i < n; i++)
        {
            if (instances[i] < 0) continue;
            var s = sums[instances[i]];
            double d2 = 0;
            for (int d = 0; d < e; d++)
            {
                double t = data[i * e + d] - s[d] / s[e];
                d2 += t * t;
            }
            if (Math.Sqrt(d2) >= alpha) continue;
            if (!remap.TryGetValue(instances[i], out int k)) remap[instances[i]] = k = remap.Count;
            rows.Add(i);
            ids.Add(k);
        }
        int count = remap.Count;
        if (count == 0) return (embeddings * 0f).Sum();
        var idArray = ids.ToArray();
        var kept = embeddings.IndexSelect(rows.ToArray());
        var mu = SegmentReductions.Mean(kept, idArray, count);
        var pull = (Norm(kept - mu.IndexSelect(idArray)) - deltaVar).Relu().Square().Reshape(-1, 1);
        var loss = SegmentReductions.Mean(pull, idArray, count).Mean() + 0.001f * Norm(mu).Mean();

        var m = mu.Data;
        var ii = new List<int>();
        var jj = new List<int>();
        for (int a = 0; a < count; a++)
            for (int b = 0; b < count; b++)
            {
                if (a == b) continue;
                double d2 = 0;
                for (int d = 0; d < e; d++) d2 += (m[a * e + d] - m[b * e + d]) * (double)(m[a * e + d] - m[b * e + d]);
                if (Math.Sqrt(d2) > beta) { ii.Add(a); jj.Add(b); }
            }
        if (ii.Count > 0)
        {
            var dist = Norm(mu.IndexSelect(ii.ToArray()) - mu.IndexSelect(jj.ToArray()));
            loss += (2f * deltaDist - dist).Relu().Square().Mean();
        }
        return loss;
    }

    private static Tensor Norm(Tensor x) => (x.Square().Sum(1) + 1e-8f).Sqrt();
}
