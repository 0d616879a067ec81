using Clickscape.Tensors.Ops;

namespace Clickscape.Tensors.Losses;

/// <summary>The norm the discriminative loss measures distances with.</summary>
public enum DiscriminativeNorm
{
    /// <summary>Euclidean, as in De Brabandere et al. and ClickSeg Eq. 1–2.</summary>
    L2,

    /// <summary>Manhattan, as ASIS's implementation does.</summary>
    L1,
}

/// <summary>
/// Discriminative loss for instance embeddings (De Brabandere, Neven, Van Gool, "Semantic Instance
/// Segmentation with a Discriminative Loss Function", 2017), as ASIS/JSNet implement it (REFERENCE.md §3):
/// l_var = mean over instances of mean over its points of max(0, ‖e − μ‖ − δ_v)²;
/// l_dist = mean over ordered pairs i ≠ j of max(0, 2δ_d − ‖μᵢ − μⱼ‖)² (0 with one instance);
/// l_reg = mean ‖μ‖; L = w_var·l_var + w_dist·l_dist + w_reg·l_reg for one sample.
/// </summary>
/// <remarks>
/// Composed from differentiable ops (segment mean, gather, norms), so its gradient is the ops' backward.
/// Points with a negative instance id are ignored; instance ids need not be contiguous. L2 norms use
/// √(x + 1e-8) so the gradient stays finite at 0.
/// </remarks>
public static class Discriminative
{
    /// <summary>Loss of embeddings [N, E] grouped by <paramref name="instances"/> (one id per row).</summary>
    public static Tensor Forward(Tensor embeddings, int[] instances, float deltaVar = 0.5f, float deltaDist = 1.5f,
        float weightVar = 1f, float weightDist = 1f, float weightReg = 0.001f, DiscriminativeNorm norm = DiscriminativeNorm.L2)
    {
        ArgumentNullException.ThrowIfNull(instances);
        if (embeddings.Rank != 2 || embeddings.Dim(0) != instances.Length)
            throw new ArgumentException($"Discriminative: expected embeddings [N,E] with N = {instances.Length} instance ids, got {Tensor.ShapeString(embeddings.Shape)}");

        // Compact the instance ids present to 0..K−1 and keep only labelled rows.
        var remap = new Dictionary<int, int>();
        var rows = new List<int>();
        var ids = new List<int>();
        for (int i = 0; i < instances.Length; i++)
        {
            if (instances[i] < 0) continue;
            if (!remap.TryGetValue(instances[i], out int k)) remap[instances[i]] = k = remap.Count;
            rows.Add(i);
            ids.Add(k);
        }
        int count = remap.Count;
        if (count == 0) return Tensor.Scalar(0f);
        var idArray = ids.ToArray();

        var e = rows.Count == instances.Length ? embeddings : embeddings.IndexSelect(rows.ToArray());
        var mu = SegmentReductions.Mean(e, idArray, count);

        // l_var
        var muPerPoint = mu.IndexSelect(idArray);
        var pull = Norm(e - muPerPoint, norm) - deltaVar;
        var pullHinge = pull.Relu().Square().Reshape(-1, 1);
        var lVar = SegmentReductions.Mean(pullHinge, idArray, count).Mean();

        // l_dist over ordered pairs
        Tensor? lDist = null;
        if (count > 1)
        {
            var ii = new int[count * (count - 1)];
            var jj = new int[ii.Length];
            int p = 0;
            for (int i = 0; i < count; i++)
                for (int j = 0; j < count; j++)
                    if (i != j) { ii[p] = i; jj[p] = j; p++; }
            var pairDist = Norm(mu.IndexSelect(ii) - mu.IndexSelect(jj), norm);
            lDist = (2f * deltaDist - pairDist).Relu().Square().Mean();
        }

        // l_reg
        var lReg = Norm(mu, norm).Mean();

        var loss = weightVar * lVar + weightReg * lReg;
        return lDist is null ? loss : loss + weightDist * lDist;
    }

    private static Tensor Norm(Tensor x, DiscriminativeNorm norm) =>
        norm == DiscriminativeNorm.L1 ? x.Abs().Sum(1) : (x.Square().Sum(1) + 1e-8f).Sqrt();
}
