namespace Clickscape.Training.Methods.ClickSeg;

/// <summary>
/// The three N² pieces of ClickSeg (Liu et al., §3.1 and §3.2) in the form the paper writes them, over all point pairs
/// of a scene, as the reference <c>clickscape bench clickseg-exact</c> measures the tractable forms against
/// (<see cref="ClickSegInference"/>, <see cref="ClickPseudoLabels"/>). Not the production path: O(N²) similarities per
/// scene, about 2·10¹⁰ on a 150 000-point scan, so only small scenes (a few thousand points) are computable.
/// </summary>
/// <remarks>
/// Every point is a row of its own (<see cref="PointRows"/>): it carries its voxel's network outputs s, e, o (the network
/// runs on voxels) but its own position p, so D_p of Eq. 5 is ‖(p_i + o_i) − (p_j + o_j)‖ between points, not voxel means.
/// What the tractable forms change, and what stays the same in both:
/// <list type="bullet">
/// <item>Eq. 6 (<see cref="Fuse"/>): j over all N points, every point fused (wall and floor included), each point
/// weight 1 — where inference sums over the voxels of i's class-agnostic mean-shift cluster (≤ 3000 strided candidates,
/// weighted by point count) and leaves wall, floor and unclustered voxels as they are.</item>
/// <item>Mean-shift (<see cref="MeanShiftInstances"/>): every point a seed, no sampling — where inference finds the modes
/// on a strided sample of ≤ 2000 voxels. The same in both: the flat kernel in [e/σ_e, (p + o)/σ_p] (Q, a cosine, is no
/// distance a flat kernel can use, so with Q on both split by fused class), wall and floor left out, modes within the
/// bandwidth of a stronger one merged (scikit-learn's rule, <see cref="Geometry.Clustering.MeanShift"/>), every point
/// joining its nearest mode.</item>
/// <item>PSEUDO_GEN (<see cref="PseudoInstances"/>): the seeded k-means (or, with several clicks per object, the mean
/// similarity to the object's clicks) over the N points with the clicked points as seeds — where training assigns the
/// V voxels (voxel-mean p, each voxel weight 1 in the centres). The rule (ClickSeg's: stop when a clicked point would
/// leave its own cluster) is the same.</item>
/// </list>
/// </remarks>
public static class ClickSegExactForms
{
    /// <summary>
    /// One row per point: the outputs of its voxel (<paramref name="pointToVoxel"/>) with its own position
    /// (<paramref name="positions"/>, 3 per point) and count 1.
    /// </summary>
    public static VoxelOutputs PointRows(VoxelOutputs voxels, int[] pointToVoxel, float[] positions)
    {
        ArgumentNullException.ThrowIfNull(voxels);
        ArgumentNullException.ThrowIfNull(pointToVoxel);
        ArgumentNullException.ThrowIfNull(positions);
        int n = pointToVoxel.Length, c = voxels.Classes, e = voxels.EmbeddingDims;
        if (positions.Length != 3 * n) throw new ArgumentException($"point rows: {n} points but {positions.Length} position values", nameof(positions));
        var probabilities = new float[n * c];
        var embedding = new float[n * e];
        var offsets = new float[3 * n];
        for (int p = 0; p < n; p++)
        {
            int v = pointToVoxel[p];
            Array.Copy(voxels.Probabilities, v * c, probabilities, p * c, c);
            Array.Copy(voxels.Embedding, v * e, embedding, p * e, e);
            Array.Copy(voxels.Offsets, 3 * v, offsets, 3 * p, 3);
        }
        var counts = new int[n];
        Array.Fill(counts, 1);
        return new VoxelOutputs(probabilities, c, embedding, e, offsets, (float[])positions.Clone(), counts);
    }

    /// <summary>
    /// Eq. 6 over all pairs: ŝ_i = Σ_{j=1}^{N} 𝕀(S_ij &gt; γ) S_ij s_j / Σ_{j=1}^{N} 𝕀(S_ij &gt; γ) S_ij for every row i, with S of
    /// Eq. 5, S_ij = Q_ij · exp(−(D_e/σ_e)² − (D_p/σ_p)²), D_p on <paramref name="positions"/> (p + o), the terms of
    /// <paramref name="terms"/>. S_ii = 1 &gt; γ, so every denominator is at least 1. O(N²).
    /// </summary>
    /// <param name="rows">The rows (<see cref="PointRows"/>): s, e per row.</param>
    /// <param name="positions">Rows × 3 positions of D_p.</param>
    /// <param name="terms">Which terms of Eq. 5, σ_e and σ_p.</param>
    /// <param name="gamma">γ.</param>
    /// <param name="threads">0 = all cores.</param>
    public static float[] Fuse(VoxelOutputs rows, float[] positions, SimilarityTerms terms, float gamma, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(positions);
        int n = rows.Count, c = rows.Classes, e = rows.EmbeddingDims, dims = e + 3 + c;
        var x = new float[n * dims];
        for (int i = 0; i < n; i++)
        {
            Array.Copy(rows.Embedding, i * e, x, i * dims, e);
            Array.Copy(positions, 3 * i, x, i * dims + e, 3);
            Array.Copy(rows.Probabilities, i * c, x, i * dims + e + 3, c);
        }
        var similarity = terms.For(e, c);
        var fused = new float[n * c];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads <= 0 ? Environment.ProcessorCount : threads };
        Parallel.For(0, n, options, () => new double[c], (i, _, numerator) =>
        {
            Array.Clear(numerator);
            double denominator = 0;
            var row = x.AsSpan(i * dims, dims);
            for (int j = 0; j < n; j++)
            {
                float s = similarity.Similarity(row, x.AsSpan(j * dims, dims));
                if (!(s > gamma)) continue;
                denominator += s;
                for (int k = 0; k < c; k++) numerator[k] += s * rows.Probabilities[j * c + k];
            }
            for (int k = 0; k < c; k++) fused[i * c + k] = denominator > 0 ? (float)(numerator[k] / denominator) : rows.Probabilities[i * c + k];
            return numerator;
        }, _ => { });
        return fused;
    }

    /// <summary>
    /// Mean-shift over all rows: the flat kernel in [e/σ_e, (p + o)/σ_p] (<see cref="ClickSegInference.MeanShiftSpace"/>) of
    /// bandwidth <paramref name="bandwidth"/>, every row a seed (no sample), per fused class when Q is on, wall and floor
    /// left out, modes merged and rows labelled as <see cref="ClickSegInference.InstanceClusters"/> does. O(N²) per iteration.
    /// </summary>
    /// <param name="rows">The rows (<see cref="PointRows"/>).</param>
    /// <param name="positions">Rows × 3 positions (p + o).</param>
    /// <param name="fused">Rows × classes probabilities the groups are formed from.</param>
    /// <param name="terms">The similarity's terms and σ.</param>
    /// <param name="classIds">nyu40 id of each class index.</param>
    /// <param name="bandwidth">The flat kernel's radius.</param>
    public static List<int[]> MeanShiftInstances(VoxelOutputs rows, float[] positions, float[] fused, SimilarityTerms terms, IReadOnlyList<int> classIds,
        float bandwidth)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var (x, dims) = ClickSegInference.MeanShiftSpace(rows, positions, terms);
        return ClickSegInference.InstanceClusters(x, dims, fused, rows.Classes, terms, classIds, bandwidth, sample: Math.Max(1, rows.Count));
    }

    /// <summary>
    /// PSEUDO_GEN over all rows (§3.1): <see cref="ClickPseudoLabels.Assign"/> on the rows themselves — the seeded k-means
    /// under Eq. 5 with the clicked rows as seeds, stopped when a clicked row would leave its own cluster (ClickSeg's rule);
    /// with several clicks per object the mean similarity to the object's clicks.
    /// </summary>
    /// <param name="rows">The rows (<see cref="PointRows"/>).</param>
    /// <param name="positions">Rows × 3 positions of D_p (p + o).</param>
    /// <param name="seedRows">The row of every click.</param>
    /// <param name="seedInstance">The object index (0..K−1) of every click.</param>
    /// <param name="terms">The similarity's terms and σ.</param>
    /// <param name="kMeans">k-means (true) or nearest clicked row.</param>
    /// <param name="maxIterations">k-means iteration limit.</param>
    /// <param name="threads">0 = all cores.</param>
    public static ClickAssignmentResult PseudoInstances(VoxelOutputs rows, float[] positions, int[] seedRows, int[] seedInstance, SimilarityTerms terms,
        bool kMeans, int maxIterations, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return ClickPseudoLabels.Assign(rows.Embedding, rows.EmbeddingDims, positions, rows.Probabilities, rows.Classes, seedRows, seedInstance, terms,
            kMeans, maxIterations: maxIterations, threads: threads);
    }
}
