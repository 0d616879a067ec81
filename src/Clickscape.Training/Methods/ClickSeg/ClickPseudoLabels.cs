using Clickscape.Geometry.Clustering;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Training.Methods.ClickSeg;

/// <summary>Which terms of Eq. 5 the similarity uses, and its bandwidths.</summary>
/// <param name="Embedding">D_e on.</param>
/// <param name="Spatial">D_p on.</param>
/// <param name="Semantic">Q on.</param>
/// <param name="SigmaE">σ_e.</param>
/// <param name="SigmaP">σ_p.</param>
public readonly record struct SimilarityTerms(bool Embedding, bool Spatial, bool Semantic, float SigmaE, float SigmaP)
{
    /// <summary>Eq. 4 (the weak and baseline versions): S = exp(−‖e_i − e_j‖²).</summary>
    public static SimilarityTerms EmbeddingOnly => new(true, false, false, 1f, 1f);

    /// <summary>The similarity over rows laid out as [e (embedding), p (3), s (classes)].</summary>
    public ClickSegSimilarity For(int embedding, int classes) =>
        new(0, Embedding ? embedding : 0, embedding, Spatial ? 3 : 0, embedding + 3, Semantic ? classes : 0, SigmaE, SigmaP);
}

/// <summary>Pseudo instance labels of one scene: per voxel the clicked instance it joined and its similarity to that instance's clicked point(s).</summary>
/// <param name="Instance">Per voxel, the index of the clicked instance (0..K−1).</param>
/// <param name="Similarity">Per voxel, S_ij to the matched clicked point j (mean over the instance's clicks with several); 1 where the instance was fixed.</param>
/// <param name="Iterations">k-means assignment steps (0 for nearest-neighbour assignment).</param>
public sealed record ClickAssignmentResult(int[] Instance, float[] Similarity, int Iterations);

/// <summary>
/// PSEUDO_GEN of ClickSeg's Algorithm 1 (§3.1, "Click annotation version"): every voxel of a scene is assigned to
/// one of the clicked instances under the similarity of Eq. 5, S_ij = Q_ij · exp(−(D_e/σ_e)² − (D_p/σ_p)²), by
/// k-means whose initial seeds are the clicked points (<see cref="SeededKMeans"/>, stopped when a clicked point
/// would leave its own cluster), or by nearest-neighbour search (Tab. 4's ablation); with several clicks per
/// instance, by the mean similarity to the instance's clicked points (§3.1, "One-thing-multi-click"). The paper generates
/// pseudo labels "for all unlabeled points": voxels whose instance the click's over-segment already gives (the seg-level
/// labels of Alg. 1 lines 2–3) can be passed as fixed; they keep that instance (similarity 1) and, in the k-means, still pull
/// their cluster's centre.
/// </summary>
/// <remarks>
/// How this differs from the formula: it works on voxels, not points (a voxel's points share the network's
/// outputs; p is the voxel's mean point), and the k-means compares a voxel with the K cluster centres (mean
/// e, p and s of the members), so a scene costs O(V·K) similarities per iteration instead of N²: exact at voxel
/// level, no neighbourhood cut-off is needed because K (the clicks) is small. Q at a centre is the cosine with the
/// mean probability vector of its members.
/// </remarks>
public static class ClickPseudoLabels
{
    /// <summary>
    /// The instance each voxel is known to belong to from the seg-level labels: per voxel the most frequent clicked object among its
    /// points (<paramref name="objectOfPoint"/>, <see cref="Labels.NoInstance"/> = not on a clicked segment) as its index in
    /// <paramref name="objects"/> (object id → 0..K−1), where that object holds more of the voxel's points than the unlabelled ones do —
    /// the rule by which the batch collator gives a voxel its seg-level label — else −1. Objects without a click here (cropped away) stay −1.
    /// Ties between objects go to the lower index.
    /// </summary>
    public static int[] KnownInstances(int voxels, ReadOnlySpan<int> voxelOfPoint, ReadOnlySpan<int> objectOfPoint, IReadOnlyDictionary<int, int> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        if (voxelOfPoint.Length != objectOfPoint.Length) throw new ArgumentException($"known instances: {voxelOfPoint.Length} point voxels but {objectOfPoint.Length} point objects");
        var known = Enumerable.Repeat(-1, voxels).ToArray();
        var unlabelled = new int[voxels];
        var votes = new Dictionary<(int Voxel, int Object), int>();
        for (int p = 0; p < voxelOfPoint.Length; p++)
        {
            int voxel = voxelOfPoint[p], id = objectOfPoint[p];
            if (id == Labels.NoInstance) { unlabelled[voxel]++; continue; }
            votes[(voxel, id)] = votes.GetValueOrDefault((voxel, id)) + 1;
        }
        var most = new int[voxels];
        foreach (var ((voxel, id), n) in votes)
            if (objects.TryGetValue(id, out int g) && (n > most[voxel] || (n == most[voxel] && g < known[voxel]))) (most[voxel], known[voxel]) = (n, g);
        for (int i = 0; i < voxels; i++)
            if (most[i] <= unlabelled[i]) known[i] = -1;
        return known;
    }

    /// <summary>Assigns the voxels of one scene.</summary>
    /// <param name="embedding">V × <paramref name="embeddingDims"/> embeddings.</param>
    /// <param name="embeddingDims">E.</param>
    /// <param name="positions">V × 3 positions (p, or p + o once offsets are learned).</param>
    /// <param name="probabilities">V × <paramref name="classes"/> semantic probabilities.</param>
    /// <param name="classes">C.</param>
    /// <param name="seedVoxels">The voxel of every click.</param>
    /// <param name="seedInstance">The instance index (0..K−1) of every click.</param>
    /// <param name="terms">Similarity terms and σ.</param>
    /// <param name="kMeans">k-means (true) or nearest clicked point (false); ignored with several clicks per instance.</param>
    /// <param name="maxIterations">k-means iteration limit.</param>
    /// <param name="threads">0 = all cores.</param>
    /// <param name="fixedInstance">Null, or per voxel the instance index (0..K−1) it is known to belong to, −1 where unknown; a clicked voxel always keeps its own click's instance.</param>
    public static ClickAssignmentResult Assign(ReadOnlySpan<float> embedding, int embeddingDims, ReadOnlySpan<float> positions,
        ReadOnlySpan<float> probabilities, int classes, int[] seedVoxels, int[] seedInstance, SimilarityTerms terms, bool kMeans,
        int maxIterations = 10, int threads = 0, int[]? fixedInstance = null)
    {
        ArgumentNullException.ThrowIfNull(seedVoxels);
        ArgumentNullException.ThrowIfNull(seedInstance);
        int v = positions.Length / 3;
        if (embedding.Length != v * embeddingDims || probabilities.Length != v * classes)
            throw new ArgumentException($"click assignment: {v} voxels but {embedding.Length} embedding and {probabilities.Length} probability values");
        if (seedVoxels.Length == 0 || seedVoxels.Length != seedInstance.Length) throw new ArgumentException("click assignment: expected at least one click, one instance per click");
        int k = seedInstance.Max() + 1;
        int dims = embeddingDims + 3 + classes;
        var x = new float[v * dims];
        for (int i = 0; i < v; i++)
        {
            embedding.Slice(i * embeddingDims, embeddingDims).CopyTo(x.AsSpan(i * dims, embeddingDims));
            positions.Slice(3 * i, 3).CopyTo(x.AsSpan(i * dims + embeddingDims, 3));
            probabilities.Slice(i * classes, classes).CopyTo(x.AsSpan(i * dims + embeddingDims + 3, classes));
        }
        var similarity = terms.For(embeddingDims, classes);
        var clicksOf = new List<int>[k];
        for (int c = 0; c < k; c++) clicksOf[c] = [];
        for (int j = 0; j < seedVoxels.Length; j++) clicksOf[seedInstance[j]].Add(seedVoxels[j]);
        bool single = clicksOf.All(l => l.Count == 1);
        int[] pinned = [];
        if (fixedInstance is not null)
        {
            if (fixedInstance.Length != v) throw new ArgumentException($"click assignment: {v} voxels but {fixedInstance.Length} fixed instances");
            pinned = (int[])fixedInstance.Clone();
            foreach (int g in pinned)
                if (g < -1 || g >= k) throw new ArgumentException($"click assignment: fixed instance {g}, expected −1 or 0..{k - 1}");
            for (int j = seedVoxels.Length - 1; j >= 0; j--) pinned[seedVoxels[j]] = seedInstance[j];
        }

        var instance = new int[v];
        var matched = new float[v];
        int iterations = 0;
        if (single && kMeans)
        {
            var seeds = new int[k];
            for (int c = 0; c < k; c++) seeds[c] = clicksOf[c][0];
            for (int c = 0; c < k && pinned.Length != 0; c++)
                if (pinned[seeds[c]] != c) pinned[seeds[c]] = -1; // two objects clicked in one voxel: left to the k-means' own rule
            var result = SeededKMeans.Cluster(x, dims, seeds, similarity, maxIterations, threads: threads, fixedLabels: pinned);
            result.Labels.CopyTo(instance, 0);
            iterations = result.Iterations;
            for (int i = 0; i < v; i++)
                matched[i] = pinned.Length != 0 && pinned[i] >= 0 ? 1f : similarity.Similarity(x.AsSpan(i * dims, dims), x.AsSpan(seeds[instance[i]] * dims, dims));
            return new ClickAssignmentResult(instance, matched, iterations);
        }
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads <= 0 ? Environment.ProcessorCount : threads };
        Parallel.For(0, v, options, i =>
        {
            var row = x.AsSpan(i * dims, dims);
            int best = 0;
            float bestS = float.NegativeInfinity;
            for (int c = 0; c < k; c++)
            {
                var list = clicksOf[c];
                if (list.Count == 0) continue;
                float s = 0;
                foreach (int j in list) s += similarity.Similarity(row, x.AsSpan(j * dims, dims));
                s /= list.Count;
                if (s > bestS) { bestS = s; best = c; }
            }
            instance[i] = best;
            matched[i] = bestS;
        });
        // a clicked voxel belongs to its own instance (ties between duplicate clicks: the first click's instance)
        for (int j = seedVoxels.Length - 1; j >= 0; j--) instance[seedVoxels[j]] = seedInstance[j];
        for (int i = 0; i < pinned.Length; i++)
            if (pinned[i] >= 0) (instance[i], matched[i]) = (pinned[i], 1f);
        return new ClickAssignmentResult(instance, matched, iterations);
    }
}
