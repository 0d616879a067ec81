using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Geometry.Clustering;
using Clickscape.Geometry.Scenes;
using Clickscape.Models.ClickSeg;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Sparse;
using Clickscape.Training.Data;

namespace Clickscape.Training.Methods.ClickSeg;

/// <summary>The network's outputs on a scene's un-augmented voxels, with each voxel's mean point and point count.</summary>
/// <param name="Probabilities">V × C semantic probabilities.</param>
/// <param name="Classes">C.</param>
/// <param name="Embedding">V × E embeddings.</param>
/// <param name="EmbeddingDims">E.</param>
/// <param name="Offsets">V × 3 offsets.</param>
/// <param name="Positions">V × 3 mean point of each voxel.</param>
/// <param name="Counts">Points per voxel.</param>
public sealed record VoxelOutputs(float[] Probabilities, int Classes, float[] Embedding, int EmbeddingDims, float[] Offsets, float[] Positions, int[] Counts)
{
    /// <summary>Voxels V.</summary>
    public int Count => Counts.Length;

    /// <summary>Runs <paramref name="net"/> (evaluation mode, no graph) on <paramref name="scene"/>'s voxels (mean r, g, b, x, y, z).</summary>
    public static VoxelOutputs Of(ClickSegNet net, PreparedScene scene)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(scene);
        int v = scene.VoxelCount, ch = PreparedScene.Channels;
        var (features, counts) = scene.VoxelMeans();
        var positions = new float[3 * v];
        for (int j = 0; j < v; j++)
            for (int c = 0; c < 3; c++) positions[3 * j + c] = features[j * ch + 3 + c];
        using var evalMode = net.EvalScope();
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        var output = net.Forward(new SparseTensor(new SparseCoords(scene.VoxelCoords), Tensor.FromArray(features, v, ch)));
        int classes = output.Semantic.Dim(1);
        return new VoxelOutputs(ClickSegLoss.Softmax(output.Semantic.Data, classes), classes, output.Embedding.Data.ToArray(), output.Embedding.Dim(1),
            output.Offset.Data.ToArray(), positions, counts);
    }

    /// <summary>p + o per voxel.</summary>
    public float[] ShiftedPositions()
    {
        var s = new float[Positions.Length];
        for (int i = 0; i < s.Length; i++) s[i] = Positions[i] + Offsets[i];
        return s;
    }
}

/// <summary>
/// Inference of the three click methods (ClickSeg §3 and §3.2) on one scene, at voxel level: the network's outputs
/// per voxel (<see cref="VoxelOutputs"/>); instances by mean-shift (<see cref="ClickSegMeanShift"/>) in the similarity
/// space — Eq. 4's [e] for <c>weak</c> and <c>clickseg-base</c> (offsets are not learned there), Eq. 5's
/// [e/σ_e, (p + o)/σ_p] for <c>clickseg</c>, the terms its loss section switches on — over the voxels whose
/// predicted class is not wall or floor; the semantic fusion of Eq. 6; each instance's class is the majority of its
/// points' fused classes (instances of a non-instance class are dropped) and its confidence the mean fused
/// probability of that class over its points.
/// </summary>
/// <remarks>
/// How this differs from the formulas: with the semantic term Q on, the mean-shift runs separately per predicted
/// class (Q, a cosine, is not a distance a flat kernel can use; across confidently different classes Q ≈ 0 and the
/// similarity vanishes anyway). Eq. 6 sums over all N points; here j ranges over the voxels of i's cluster in a
/// class-agnostic mean-shift of the same space without Q, run before the instance clustering (cluster-level fusion,
/// O(Σ m²) for clusters of m voxels; at most <see cref="FusionCandidates"/> candidates per cluster, strided), each
/// voxel weighted by its point count, so wall, floor and other unclustered voxels keep their own probabilities. (Fusing
/// within the per-class instance clusters, as the first version did, cannot change a class: every member already has it.)
/// What this changes against Eq. 6 and a mean-shift over all points is measured against <see cref="ClickSegExactForms"/>
/// by <c>clickscape bench clickseg-exact</c>.
/// </remarks>
public static class ClickSegInference
{
    /// <summary>Voxels the mean-shift of one group runs on at most.</summary>
    public const int MeanShiftSample = 2000;

    /// <summary>Fusion candidates per cluster at most.</summary>
    public const int FusionCandidates = 3000;

    /// <summary>Labels <paramref name="scene"/>.</summary>
    public static ScenePrediction Predict(ClickSegNet net, PreparedScene scene, IReadOnlyList<int> classIds, ClickSegVariant variant,
        ClickSegLossOptions loss, ClickSegInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(classIds);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(options);
        var o = VoxelOutputs.Of(net, scene);
        var terms = TermsOf(net, variant, loss);
        var positions = variant == ClickSegVariant.Click ? o.ShiftedPositions() : o.Positions;
        if (options.Clustering == "dual_set") return DualSet(scene, o, positions, terms, classIds, options); // clickseg only (ClickSegMethod checks)
        var (fused, clusters) = Group(o, positions, terms, classIds, options);
        return Assemble(scene.Name, scene.PointToVoxel, o.Counts, fused, o.Classes, clusters, classIds, options);
    }

    /// <summary>
    /// Instances by PointGroup's dual-set grouping instead of the mean-shift (<c>inference.clustering</c> <c>dual_set</c>;
    /// not the paper's inference, the one <c>full</c> runs): the (Eq. 6-fused) probabilities and the offsets of each voxel
    /// go to its points, and <see cref="Full.FullInference.Instances"/> groups them as <c>full</c> does, by ball queries on p and
    /// on p + o (<c>inference.grouping</c>). The semantic labels are those of <see cref="Predict"/>'s mean-shift form.
    /// </summary>
    public static ScenePrediction DualSet(PreparedScene scene, VoxelOutputs o, float[] positions, SimilarityTerms terms, IReadOnlyList<int> classIds,
        ClickSegInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(classIds);
        ArgumentNullException.ThrowIfNull(options);
        var (x, dims) = MeanShiftSpace(o, positions, terms);
        var fused = options.Fusion ? FuseInClusters(o, positions, x, dims, terms, classIds, options) : o.Probabilities;
        int n = scene.PointCount, c = o.Classes;
        var pointProbabilities = new float[(long)n * c];
        var pointOffsets = new float[3 * n];
        var semantic = new int[n];
        for (int i = 0; i < n; i++)
        {
            int j = scene.PointToVoxel[i];
            fused.AsSpan(j * c, c).CopyTo(pointProbabilities.AsSpan(i * c, c));
            o.Offsets.AsSpan(3 * j, 3).CopyTo(pointOffsets.AsSpan(3 * i, 3));
            semantic[i] = classIds[TensorPrimitives.IndexOfMax(fused.AsSpan(j * c, c))];
        }
        return new ScenePrediction(scene.Name, semantic, Full.FullInference.Instances(scene, new Full.PointOutputs(pointProbabilities, c, pointOffsets), classIds, options.Grouping));
    }

    /// <summary>The similarity of <paramref name="variant"/>: Eq. 5 with the terms of <paramref name="loss"/> and the learned σ for <c>clickseg</c>, Eq. 4 otherwise.</summary>
    public static SimilarityTerms TermsOf(ClickSegNet net, ClickSegVariant variant, ClickSegLossOptions loss)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(loss);
        return variant == ClickSegVariant.Click
            ? new SimilarityTerms(loss.EmbeddingTerm, loss.SpatialTerm, loss.SemanticTerm, net.SigmaE, net.SigmaP)
            : SimilarityTerms.EmbeddingOnly;
    }

    /// <summary>
    /// The labels of a scene from its grouping (<see cref="Group"/>): every point takes the fused class of its row (a voxel;
    /// or the point itself, with <paramref name="pointToRow"/> the identity and counts 1); every cluster of rows is an instance
    /// whose class is the majority of its points' classes and whose confidence is the mean fused probability of that class
    /// over its points; clusters of fewer than <c>options.MinInstancePoints</c> points or of a non-instance class are dropped.
    /// </summary>
    /// <param name="scene">Scene id.</param>
    /// <param name="pointToRow">Row of every point.</param>
    /// <param name="counts">Points per row.</param>
    /// <param name="fused">Rows × <paramref name="classes"/> fused probabilities.</param>
    /// <param name="classes">C.</param>
    /// <param name="clusters">Instance clusters (row indices).</param>
    /// <param name="classIds">nyu40 id of each class index.</param>
    /// <param name="options">The minimum instance size.</param>
    public static ScenePrediction Assemble(string scene, int[] pointToRow, int[] counts, float[] fused, int classes, IReadOnlyList<int[]> clusters,
        IReadOnlyList<int> classIds, ClickSegInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(pointToRow);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(fused);
        ArgumentNullException.ThrowIfNull(clusters);
        ArgumentNullException.ThrowIfNull(classIds);
        ArgumentNullException.ThrowIfNull(options);
        int v = counts.Length, c = classes;
        var voxelClass = new int[v];
        for (int i = 0; i < v; i++) voxelClass[i] = TensorPrimitives.IndexOfMax(fused.AsSpan(i * c, c));
        var semantic = new int[pointToRow.Length];
        for (int p = 0; p < semantic.Length; p++) semantic[p] = classIds[voxelClass[pointToRow[p]]];

        var pointsOf = new List<int>[v];
        for (int p = 0; p < pointToRow.Length; p++) (pointsOf[pointToRow[p]] ??= []).Add(p);
        var instances = new List<ScanNetPredictedMask>();
        foreach (var cluster in clusters)
        {
            var votes = new double[c];
            int points = 0;
            foreach (int i in cluster) { votes[voxelClass[i]] += counts[i]; points += counts[i]; }
            int cls = TensorPrimitives.IndexOfMax<double>(votes);
            if (points < options.MinInstancePoints || !Clickscape.Data.Classes.ScanNetBenchmark.IsInstanceClass(classIds[cls])) continue;
            double score = 0;
            foreach (int i in cluster) score += fused[i * c + cls] * counts[i];
            var vertices = cluster.SelectMany(i => pointsOf[i]).Order().ToArray();
            instances.Add(new ScanNetPredictedMask(vertices, classIds[cls], score / points));
        }
        instances.Sort((a, b) => b.Confidence.CompareTo(a.Confidence));
        return new ScenePrediction(scene, semantic, instances);
    }

    /// <summary>
    /// The grouping of <see cref="Predict"/> on the network's outputs: the fused probabilities (Eq. 6 when
    /// <c>options.Fusion</c>, <see cref="FuseInClusters"/>, else the network's) and the instance clusters (voxel rows,
    /// <see cref="InstanceClusters"/>), by mean-shift in the similarity space of <paramref name="terms"/> per fused class,
    /// wall and floor left out.
    /// </summary>
    public static (float[] Fused, List<int[]> Clusters) Group(VoxelOutputs o, float[] positions, SimilarityTerms terms, IReadOnlyList<int> classIds,
        ClickSegInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(options);
        var (x, dims) = MeanShiftSpace(o, positions, terms);
        // Eq. 6 first, over class-agnostic clusters of the similarity space (grouping by predicted class first would leave
        // every cluster one class, and the fusion nothing to change); then the instances from the fused classes.
        var fused = options.Fusion ? FuseInClusters(o, positions, x, dims, terms, classIds, options) : o.Probabilities;
        return (fused, InstanceClusters(x, dims, fused, o.Classes, terms, classIds, options.Bandwidth, MeanShiftSample));
    }

    /// <summary>
    /// The mean-shift space of the rows of <paramref name="o"/>: [e/σ_e, p/σ_p] with the terms <paramref name="terms"/> switches
    /// on (<paramref name="positions"/> = p, or p + o), so that ‖x_i − x_j‖ ≤ h ⇔ the similarity without Q is ≥ exp(−h²);
    /// plain positions when only Q is on. Returns the rows (dims values each) and dims.
    /// </summary>
    public static (float[] X, int Dims) MeanShiftSpace(VoxelOutputs o, float[] positions, SimilarityTerms terms)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(positions);
        int v = o.Count, e = o.EmbeddingDims;
        int dims = (terms.Embedding ? e : 0) + (terms.Spatial ? 3 : 0);
        if (dims == 0) dims = 3; // only Q: cluster on plain positions
        var x = new float[v * dims];
        for (int i = 0; i < v; i++)
        {
            int at = i * dims;
            if (terms.Embedding) for (int d = 0; d < e; d++) x[at++] = o.Embedding[i * e + d] / terms.SigmaE;
            if (terms.Spatial || dims == 3 && !terms.Embedding) for (int d = 0; d < 3; d++) x[at++] = positions[3 * i + d] / (terms.Spatial ? terms.SigmaP : 1f);
        }
        return (x, dims);
    }

    /// <summary>
    /// The clusters (row indices) of the rows <paramref name="rows"/> of the space <paramref name="x"/>: modes of a strided
    /// sample of at most <paramref name="sample"/> rows (<see cref="ClickSegMeanShift.Modes"/>; every row when
    /// <paramref name="sample"/> ≥ the rows), every row joins its nearest mode; empty clusters dropped.
    /// </summary>
    public static List<int[]> MeanShiftClusters(float[] x, int dims, int[] rows, float bandwidth, int sample)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var modes = ClickSegMeanShift.Modes(x, dims, rows, bandwidth, sample);
        var labels = ClickSegMeanShift.Nearest(x, dims, rows, modes);
        var members = new List<int>[modes.Length / dims];
        for (int k = 0; k < members.Length; k++) members[k] = [];
        for (int j = 0; j < rows.Length; j++) members[labels[j]].Add(rows[j]);
        return [.. members.Where(m => m.Count > 0).Select(m => m.ToArray())];
    }

    /// <summary>
    /// Eq. 6 as inference runs it: <see cref="Fuse"/> within the clusters of a class-agnostic mean-shift (at most
    /// <see cref="MeanShiftSample"/> sampled modes) of the space <paramref name="x"/> over the rows not predicted wall or floor.
    /// </summary>
    public static float[] FuseInClusters(VoxelOutputs o, float[] positions, float[] x, int dims, SimilarityTerms terms, IReadOnlyList<int> classIds,
        ClickSegInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(classIds);
        ArgumentNullException.ThrowIfNull(options);
        int c = o.Classes;
        int[] rows = [.. Enumerable.Range(0, o.Count).Where(i => !IsStuff(o.Probabilities, c, classIds, i))];
        return Fuse(o, positions, MeanShiftClusters(x, dims, rows, options.Bandwidth, MeanShiftSample), terms, options.Gamma);
    }

    /// <summary>
    /// The instance clusters: the rows whose fused class is not wall or floor, split by fused class when Q is on (a cosine
    /// is not a distance a flat kernel can use), each part clustered by <see cref="MeanShiftClusters"/> with at most
    /// <paramref name="sample"/> sampled modes; parts in class order.
    /// </summary>
    public static List<int[]> InstanceClusters(float[] x, int dims, float[] fused, int classes, SimilarityTerms terms, IReadOnlyList<int> classIds,
        float bandwidth, int sample)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(fused);
        ArgumentNullException.ThrowIfNull(classIds);
        int c = classes, v = fused.Length / c;
        var groups = new Dictionary<int, List<int>>();
        for (int i = 0; i < v; i++)
        {
            if (IsStuff(fused, c, classIds, i)) continue;
            int key = terms.Semantic ? TensorPrimitives.IndexOfMax(fused.AsSpan(i * c, c)) : 0;
            if (!groups.TryGetValue(key, out var list)) groups[key] = list = [];
            list.Add(i);
        }
        var clusters = new List<int[]>();
        foreach (var (_, list) in groups.OrderBy(g => g.Key)) clusters.AddRange(MeanShiftClusters(x, dims, [.. list], bandwidth, sample));
        return clusters;
    }

    // wall and floor are never grouped
    private static bool IsStuff(float[] probabilities, int c, IReadOnlyList<int> classIds, int i) => classIds[TensorPrimitives.IndexOfMax(probabilities.AsSpan(i * c, c))] is 1 or 2;

    /// <summary>
    /// Eq. 6 within clusters: ŝ_i = Σ_j 𝕀(S_ij &gt; γ) S_ij n_j s_j / Σ_j 𝕀(S_ij &gt; γ) S_ij n_j over the voxels j of i's cluster
    /// (n_j its point count), S the method's similarity (Eq. 4 or 5). Voxels in no cluster keep s_i.
    /// </summary>
    public static float[] Fuse(VoxelOutputs o, float[] positions, IReadOnlyList<int[]> clusters, SimilarityTerms terms, float gamma)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(clusters);
        int c = o.Classes, e = o.EmbeddingDims, dims = e + 3 + c;
        var x = new float[o.Count * dims];
        for (int i = 0; i < o.Count; i++)
        {
            Array.Copy(o.Embedding, i * e, x, i * dims, e);
            Array.Copy(positions, 3 * i, x, i * dims + e, 3);
            Array.Copy(o.Probabilities, i * c, x, i * dims + e + 3, c);
        }
        var similarity = terms.For(e, c);
        var fused = (float[])o.Probabilities.Clone();
        foreach (var cluster in clusters)
        {
            int stride = Math.Max(1, (cluster.Length + FusionCandidates - 1) / FusionCandidates);
            var candidates = cluster.Where((_, j) => j % stride == 0).ToArray();
            var isCandidate = candidates.ToHashSet();
            Parallel.ForEach(cluster, new ParallelOptions { MaxDegreeOfParallelism = Tensors.Threading.ComputeThreads.Count }, i =>
            {
                var acc = new double[c];
                double weight = 0;
                var row = x.AsSpan(i * dims, dims);
                void Add(int j, float s)
                {
                    double w = s * o.Counts[j];
                    weight += w;
                    for (int k = 0; k < c; k++) acc[k] += w * o.Probabilities[j * c + k];
                }
                foreach (int j in candidates)
                {
                    float s = similarity.Similarity(row, x.AsSpan(j * dims, dims));
                    if (s > gamma || j == i) Add(j, s);
                }
                if (!isCandidate.Contains(i)) Add(i, similarity.Similarity(row, row));
                if (weight > 0)
                    for (int k = 0; k < c; k++) fused[i * c + k] = (float)(acc[k] / weight);
            });
        }
        return fused;
    }
}
