using Clickscape.Data.Classes;
using Clickscape.Geometry.Clustering;
using Clickscape.Geometry.Scenes;
using Clickscape.Models.ClickSeg;
using Clickscape.Models.PointGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Losses;
using Clickscape.Tensors.Threading;
using Clickscape.Training.Data;
using Clickscape.Training.Methods.Full;

namespace Clickscape.Training.Methods.ClickSeg;

/// <summary>The three versions of ClickSeg (§3.1, Tab. 3).</summary>
public enum ClickSegVariant
{
    /// <summary><c>weak</c>: seg-level labels only.</summary>
    Weak,

    /// <summary><c>clickseg-base</c>: weak, then confident pseudo instances from the model's own mean-shift.</summary>
    Base,

    /// <summary><c>clickseg</c>: weak, then pseudo labels from k-means seeded with the clicks (Alg. 1).</summary>
    Click,
}

/// <summary>
/// The training loss of the three click methods (ClickSeg §3, Alg. 1) on one batch. Always: L_var + L_dist (Eq. 1–2,
/// per scene, averaged over the batch) on the seg-level instance labels and CE on the seg-level semantic labels
/// (the labelled voxels only). From epoch t on:
/// <list type="bullet">
/// <item><c>clickseg</c>: PSEUDO_GEN (<see cref="ClickPseudoLabels"/>) on this forward pass's outputs for every
/// scene of the batch (so pseudo labels are regenerated each time a scene is trained on), then L_var + L_dist on all
/// pseudo instances, CE on the pseudo semantics with S ≥ θ, and the offset L1 + direction terms (PointGroup's) towards
/// the pseudo instances' centroids (instances of the 18 instance classes). D_p uses p + o from
/// <c>shifted_positions_epoch</c> on.</item>
/// <item><c>clickseg-base</c>: the pseudo instances of <see cref="BaselinePseudoLabels"/> (mean-shift of the model's
/// embeddings over the whole training set, made again every <c>regenerate_every_epochs</c>), per voxel the majority of
/// its points, trained with <see cref="ConfidentDiscriminative"/> (α, β).</item>
/// </list>
/// <c>clickseg</c> also learns σ_e and σ_p (<see cref="ClickSegNet"/>): with D_e and D_p of a voxel to every
/// instance of its scene (centre = members' mean; the pseudo instances once they exist, else the seg-level ones),
/// p = exp(−(D_e/σ_e)² − (D_p/σ_p)²) is trained towards 1 for the voxel's own instance and 0 for the others by a
/// class-balanced binary cross-entropy, with the distances held fixed (gradients reach only σ). This stands in for
/// OccuSeg's learned bandwidths [13], which the paper cites without giving its loss.
/// </summary>
/// <remarks>
/// Deviations: the baseline's mean-shift finds the modes on at most <see cref="ClickSegInference.MeanShiftSample"/>
/// voxels of a scene, then gives every voxel its nearest mode. Clicks cropped away by the augmentation are absent
/// from that sample's PSEUDO_GEN.
/// </remarks>
public sealed class ClickSegLoss
{
    /// <summary>Voxels per scene the σ loss samples at most.</summary>
    public const int SigmaSample = 1024;

    private readonly IReadOnlyList<int> _classIds;
    private readonly bool[] _instanceClass;
    private readonly BaselinePseudoLabels? _baseline;
    private readonly float[]? _classWeights;

    /// <summary>The loss of <paramref name="variant"/> with the options and the clicks of the training scenes.</summary>
    public ClickSegLoss(ClickSegVariant variant, ClickSegLossOptions options, ClickSegInferenceOptions inference, IReadOnlyDictionary<string, SceneClicks> clicks,
        IReadOnlyList<int> classIds, int epochs, BaselinePseudoLabels? baseline = null)
    {
        if (variant == ClickSegVariant.Base && baseline is null) throw new ArgumentException("clickseg-base needs its pseudo-label generations", nameof(baseline));
        _baseline = baseline;
        Variant = variant;
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Inference = inference ?? throw new ArgumentNullException(nameof(inference));
        Clicks = clicks ?? throw new ArgumentNullException(nameof(clicks));
        _classIds = classIds ?? throw new ArgumentNullException(nameof(classIds));
        _instanceClass = classIds.Select(ScanNetBenchmark.IsInstanceClass).ToArray();
        _classWeights = options.ClassBalance == "sqrt_inverse" ? ClickClassWeights.SqrtInverseFrequency(clicks.Values, classIds) : null;
        PseudoStartEpoch = options.PseudoStartEpoch ?? (int)Math.Floor(epochs * options.PseudoStartFraction + 1e-9);
        ShiftedPositionsEpoch = options.ShiftedPositionsEpoch ?? PseudoStartEpoch + Math.Max(0, epochs - PseudoStartEpoch) / 2;
        RegenerateEveryEpochs = options.RegenerateEveryEpochs ?? Math.Max(1, (epochs - PseudoStartEpoch) / 3);
    }

    /// <summary>The class weights of the semantic CE (<c>loss.class_balance</c>), or null (unweighted).</summary>
    public IReadOnlyList<float>? ClassWeights => _classWeights;

    /// <summary>r: the baseline's pseudo labels are made again every r epochs.</summary>
    public int RegenerateEveryEpochs { get; }

    /// <summary>The version.</summary>
    public ClickSegVariant Variant { get; }

    /// <summary>The loss options.</summary>
    public ClickSegLossOptions Options { get; }

    /// <summary>The inference options (the baseline's mean-shift bandwidth).</summary>
    public ClickSegInferenceOptions Inference { get; }

    /// <summary>The clicks of every training scene, by scene id.</summary>
    public IReadOnlyDictionary<string, SceneClicks> Clicks { get; }

    /// <summary>t: the first epoch (0-based) with pseudo labels.</summary>
    public int PseudoStartEpoch { get; }

    /// <summary>The first epoch whose D_p uses offset-shifted positions.</summary>
    public int ShiftedPositionsEpoch { get; }

    /// <summary>The similarity terms <c>clickseg</c> uses with <paramref name="net"/>'s current σ.</summary>
    public SimilarityTerms Terms(ClickSegNet net)
    {
        ArgumentNullException.ThrowIfNull(net);
        return new SimilarityTerms(Options.EmbeddingTerm, Options.SpatialTerm, Options.SemanticTerm, net.SigmaE, net.SigmaP);
    }

    /// <summary>Forward and loss on one batch.</summary>
    public LossTerms Compute(ClickSegNet net, TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(batch);
        bool pseudo = batch.Epoch >= PseudoStartEpoch;
        int generation = pseudo ? (batch.Epoch - PseudoStartEpoch) / RegenerateEveryEpochs : -1;
        int[]? baseInstances = pseudo && Variant == ClickSegVariant.Base ? BaselineInstances(net, batch, generation) : null; // before the training forward
        var output = net.Forward(new Tensors.Sparse.SparseTensor(batch.Coords, Tensor.FromArray(batch.Features, batch.VoxelCount, PreparedScene.Channels)));
        var layout = BatchVoxels.Of(batch);
        var terms = new List<(string, Tensor)>();
        var semantic = Losses.CrossEntropy(output.Semantic, batch.Semantic, ignoreIndex: Labels.Ignore, classWeights: _classWeights);
        var disc = PerScene(output.Embedding, batch.Instance, layout, (e, ids) => Discriminative.Forward(e, ids, Options.DeltaVar, Options.DeltaDist));
        var total = semantic * Options.SemanticWeight + disc * Options.DiscriminativeWeight;
        terms.Add(("semantic", semantic));
        terms.Add(("discriminative", disc));
        int[]? sigmaInstances = batch.Instance;
        bool shifted = batch.Epoch >= ShiftedPositionsEpoch;
        float[] positions = shifted && Variant == ClickSegVariant.Click ? layout.Shifted(output.Offset.Data) : layout.Positions;
        if (pseudo && Variant == ClickSegVariant.Click)
        {
            var labels = Generate(net, output, layout, positions, batch);
            var pDisc = PerScene(output.Embedding, labels.Instance, layout, (e, ids) => Discriminative.Forward(e, ids, Options.DeltaVar, Options.DeltaDist));
            var pSem = Losses.CrossEntropy(output.Semantic, labels.Semantic, ignoreIndex: Labels.Ignore, classWeights: _classWeights);
            var targets = new PgTargets(labels.Semantic, labels.OffsetInstance, labels.Offset);
            var offset = PgUNetLoss.OffsetL1(output.Offset, targets);
            var direction = PointGroupLoss.Direction(output.Offset, targets);
            total += pDisc * Options.DiscriminativeWeight + pSem * Options.SemanticWeight + offset * Options.OffsetWeight + direction * Options.DirectionWeight;
            terms.Add(("pseudo_discriminative", pDisc));
            terms.Add(("pseudo_semantic", pSem));
            terms.Add(("offset", offset));
            terms.Add(("direction", direction));
            terms.Add(("pseudo_semantic_kept", Tensor.Scalar(labels.SemanticKept)));
            sigmaInstances = labels.Instance;
        }
        if (baseInstances is not null)
        {
            var instances = baseInstances;
            var confident = PerScene(output.Embedding, instances, layout, (e, ids) => ConfidentDiscriminative.Forward(e, ids, Options.Alpha, Options.Beta, Options.DeltaVar, Options.DeltaDist));
            total += confident * Options.DiscriminativeWeight;
            terms.Add(("pseudo_discriminative", confident));
        }
        if (Variant == ClickSegVariant.Click && Options.SigmaWeight != 0f)
        {
            var sigma = SigmaLoss(net, output.Embedding.Data, output.Embedding.Dim(1), positions, sigmaInstances, layout);
            total += sigma * Options.SigmaWeight;
            terms.Add(("sigma", sigma));
            terms.Add(("sigma_e", Tensor.Scalar(net.SigmaE)));
            terms.Add(("sigma_p", Tensor.Scalar(net.SigmaP)));
        }
        return new LossTerms(total, terms);
    }

    /// <summary>Pseudo labels of a batch, per voxel.</summary>
    /// <param name="Instance">Batch-unique pseudo instance (every clicked instance, wall and floor included), or <see cref="Labels.Ignore"/>.</param>
    /// <param name="Semantic">Class index of the matched click where S ≥ θ, else <see cref="Labels.Ignore"/>.</param>
    /// <param name="OffsetInstance">The pseudo instance where it is of an instance class, else <see cref="Labels.Ignore"/>.</param>
    /// <param name="Offset">V × 3 offset targets (pseudo instance centroid minus the voxel's mean point).</param>
    /// <param name="SemanticKept">Fraction of the batch's voxels with a kept pseudo semantic label.</param>
    public sealed record BatchPseudoLabels(int[] Instance, int[] Semantic, int[] OffsetInstance, float[] Offset, float SemanticKept);

    private BatchPseudoLabels Generate(ClickSegNet net, PgUNetOutput output, BatchVoxels layout, float[] positions, TrainingBatch batch)
    {
        int v = batch.VoxelCount, e = output.Embedding.Dim(1), c = output.Semantic.Dim(1);
        var probabilities = Softmax(output.Semantic.Data, c);
        var embedding = output.Embedding.Data.ToArray();
        var instance = Enumerable.Repeat(Labels.Ignore, v).ToArray();
        var sem = Enumerable.Repeat(Labels.Ignore, v).ToArray();
        var offsetInstance = Enumerable.Repeat(Labels.Ignore, v).ToArray();
        var offset = new float[3 * v];
        var terms = Terms(net);
        int next = 0, kept = 0;
        for (int b = 0; b < batch.Samples.Count; b++)
        {
            var sample = batch.Samples[b];
            if (!Clicks.TryGetValue(sample.Name, out var clicks)) continue;
            var voxels = layout.SampleVoxels[b];
            var seeds = SeedsOf(clicks, sample, batch, b, layout);
            if (seeds.Voxels.Length == 0) continue;
            var local = Gather(voxels, embedding, e, positions, probabilities, c);
            var known = Options.KeepSegLabels ? SegLabelled(sample, batch, b, layout, voxels.Length, seeds.Objects) : null;
            var result = ClickPseudoLabels.Assign(local.Embedding, e, local.Positions, local.Probabilities, c, seeds.Voxels, seeds.Instance, terms,
                Options.Assignment == "kmeans", Options.KMeansIterations, ComputeThreads.Count, known);
            var centroid = new double[4 * seeds.Classes.Length];
            for (int j = 0; j < voxels.Length; j++)
            {
                int g = result.Instance[j], row = voxels[j];
                instance[row] = next + g;
                int cls = seeds.Classes[g];
                if (cls >= 0 && result.Similarity[j] >= Options.Theta) { sem[row] = cls; kept++; }
                double w = layout.Counts[row];
                for (int d = 0; d < 3; d++) centroid[4 * g + d] += w * layout.Positions[3 * row + d];
                centroid[4 * g + 3] += w;
            }
            for (int j = 0; j < voxels.Length; j++)
            {
                int g = result.Instance[j], row = voxels[j];
                int cls = seeds.Classes[g];
                if (cls < 0 || !_instanceClass[cls]) continue;
                offsetInstance[row] = next + g;
                for (int d = 0; d < 3; d++) offset[3 * row + d] = (float)(centroid[4 * g + d] / centroid[4 * g + 3] - layout.Positions[3 * row + d]);
            }
            next += seeds.Classes.Length;
        }
        return new BatchPseudoLabels(instance, sem, offsetInstance, offset, v == 0 ? 0 : kept / (float)v);
    }

    /// <summary>The seg-level instance of each local voxel of sample <paramref name="b"/> (<see cref="ClickPseudoLabels.KnownInstances"/>).</summary>
    private static int[] SegLabelled(TrainingSample sample, TrainingBatch batch, int b, BatchVoxels layout, int count, IReadOnlyDictionary<int, int> objects)
    {
        var voxelOfPoint = new int[sample.PointCount];
        for (int k = 0; k < sample.PointCount; k++) voxelOfPoint[k] = layout.LocalIndex[batch.PointToVoxel[batch.PointStart[b] + k]];
        return ClickPseudoLabels.KnownInstances(count, voxelOfPoint, sample.Instance, objects);
    }

    /// <summary>The clicks of one sample: each click's local voxel (clicks cropped away are dropped), instance index 0..K−1, class index (−1 = not trained) and the object id → index map.</summary>
    private (int[] Voxels, int[] Instance, int[] Classes, Dictionary<int, int> Objects) SeedsOf(SceneClicks clicks, TrainingSample sample, TrainingBatch batch, int b, BatchVoxels layout)
    {
        var position = new Dictionary<int, int>(sample.PointCount);
        for (int k = 0; k < sample.Points.Length; k++) position.TryAdd(sample.Points[k], k);
        var objects = new Dictionary<int, int>();
        var classes = new List<int>();
        var voxels = new List<int>();
        var instance = new List<int>();
        foreach (var click in clicks.Clicks)
        {
            if (!position.TryGetValue(click.Point, out int k)) continue;
            int row = batch.PointToVoxel[batch.PointStart[b] + k];
            if (!objects.TryGetValue(click.Object, out int g))
            {
                objects[click.Object] = g = objects.Count;
                int nyu = ScanNetBenchmark.ToSemantic20([click.Label])[0];
                int cls = -1;
                for (int q = 0; q < _classIds.Count; q++) if (_classIds[q] == nyu) cls = q;
                classes.Add(cls);
            }
            voxels.Add(layout.LocalIndex[row]);
            instance.Add(g);
        }
        return (voxels.ToArray(), instance.ToArray(), classes.ToArray(), objects);
    }

    private static (float[] Embedding, float[] Positions, float[] Probabilities) Gather(int[] voxels, float[] embedding, int e, float[] positions, float[] probabilities, int c)
    {
        var le = new float[voxels.Length * e];
        var lp = new float[voxels.Length * 3];
        var ls = new float[voxels.Length * c];
        for (int j = 0; j < voxels.Length; j++)
        {
            int r = voxels[j];
            Array.Copy(embedding, r * e, le, j * e, e);
            Array.Copy(positions, 3 * r, lp, 3 * j, 3);
            Array.Copy(probabilities, r * c, ls, j * c, c);
        }
        return (le, lp, ls);
    }

    /// <summary>Row-wise softmax of logits (float64 sums).</summary>
    public static float[] Softmax(ReadOnlySpan<float> logits, int classes)
    {
        var p = new float[logits.Length];
        for (int i = 0; i < logits.Length / classes; i++)
        {
            var row = logits.Slice(i * classes, classes);
            float max = float.NegativeInfinity;
            foreach (float x in row) max = MathF.Max(max, x);
            double sum = 0;
            for (int k = 0; k < classes; k++) sum += p[i * classes + k] = MathF.Exp(row[k] - max);
            for (int k = 0; k < classes; k++) p[i * classes + k] = (float)(p[i * classes + k] / sum);
        }
        return p;
    }

    /// <summary>The mean of <paramref name="loss"/> over the scenes of the batch that have at least one instance.</summary>
    private static Tensor PerScene(Tensor embedding, int[] instances, BatchVoxels layout, Func<Tensor, int[], Tensor> loss)
    {
        Tensor? sum = null;
        int scenes = 0;
        foreach (var voxels in layout.SampleVoxels)
        {
            if (!voxels.Any(r => instances[r] >= 0)) continue;
            var ids = voxels.Select(r => instances[r]).ToArray();
            var l = loss(embedding.IndexSelect(voxels), ids);
            sum = sum is null ? l : sum + l;
            scenes++;
        }
        return sum is null ? (embedding * 0f).Sum() : sum * (1f / scenes);
    }

    /// <summary>The baseline's pseudo instance of every voxel of the batch (the majority of its points' ids, batch-unique), from generation <paramref name="generation"/>.</summary>
    private int[] BaselineInstances(ClickSegNet net, TrainingBatch batch, int generation)
    {
        var result = Enumerable.Repeat(Labels.Ignore, batch.VoxelCount).ToArray();
        var votes = new Dictionary<(int Voxel, int Id), int>();
        int next = 0;
        for (int b = 0; b < batch.Samples.Count; b++)
        {
            var sample = batch.Samples[b];
            var ids = _baseline!.Of(sample.Name, generation, net);
            if (ids is null) continue;
            int most = 0;
            votes.Clear();
            for (int k = 0; k < sample.PointCount; k++)
            {
                int row = batch.PointToVoxel[batch.PointStart[b] + k], id = ids[sample.Points[k]];
                votes[(row, id)] = votes.GetValueOrDefault((row, id)) + 1;
                most = Math.Max(most, id + 1);
            }
            var best = new Dictionary<int, (int Id, int Count)>();
            foreach (var ((row, id), count) in votes)
                if (!best.TryGetValue(row, out var cur) || count > cur.Count || (count == cur.Count && id < cur.Id)) best[row] = (id, count);
            foreach (var (row, (id, _)) in best) result[row] = next + id;
            next += most;
        }
        return result;
    }

    private Tensor SigmaLoss(ClickSegNet net, ReadOnlySpan<float> embedding, int e, float[] positions, int[] instances, BatchVoxels layout)
    {
        var posA = new List<float>();
        var posB = new List<float>();
        var negA = new List<float>();
        var negB = new List<float>();
        foreach (var voxels in layout.SampleVoxels)
        {
            var members = voxels.Where(r => instances[r] >= 0).ToArray();
            var ids = members.Select(r => instances[r]).Distinct().Order().ToArray();
            if (ids.Length == 0) continue;
            var index = ids.Select((id, k) => (id, k)).ToDictionary(p => p.id, p => p.k);
            var mu = new double[ids.Length * e];
            var centre = new double[ids.Length * 3];
            var n = new int[ids.Length];
            foreach (int r in members)
            {
                int k = index[instances[r]];
                n[k]++;
                for (int d = 0; d < e; d++) mu[k * e + d] += embedding[r * e + d];
                for (int d = 0; d < 3; d++) centre[k * 3 + d] += positions[3 * r + d];
            }
            for (int k = 0; k < ids.Length; k++)
            {
                for (int d = 0; d < e; d++) mu[k * e + d] /= n[k];
                for (int d = 0; d < 3; d++) centre[k * 3 + d] /= n[k];
            }
            int stride = Math.Max(1, members.Length / SigmaSample);
            for (int q = 0; q < members.Length; q += stride)
            {
                int r = members[q], own = index[instances[r]];
                for (int k = 0; k < ids.Length; k++)
                {
                    double a = 0, p = 0;
                    for (int d = 0; d < e; d++) a += Math.Pow(embedding[r * e + d] - mu[k * e + d], 2);
                    for (int d = 0; d < 3; d++) p += Math.Pow(positions[3 * r + d] - centre[k * 3 + d], 2);
                    (k == own ? posA : negA).Add(Options.EmbeddingTerm ? (float)a : 0f);
                    (k == own ? posB : negB).Add(Options.SpatialTerm ? (float)p : 0f);
                }
            }
        }
        var zero = (net.LogSigmaE + net.LogSigmaP).Sum() * 0f;
        if (posA.Count == 0) return zero;
        var u = (net.LogSigmaE * -2f).Exp();
        var w = (net.LogSigmaP * -2f).Exp();
        Tensor LogP(List<float> a, List<float> b) =>
            -(Tensor.FromArray(a.ToArray(), a.Count) * u + Tensor.FromArray(b.ToArray(), b.Count) * w);
        var loss = -LogP(posA, posB).Mean();
        if (negA.Count > 0) loss += -(1f + 1e-6f - LogP(negA, negB).Exp()).Log().Mean();
        return loss + zero;
    }
}

/// <summary>
/// Where the voxels of a batch belong: the sample of each voxel, its local index within the sample, the mean
/// undistorted point of each voxel and its point count.
/// </summary>
/// <param name="SampleVoxels">Per sample, its voxel rows (ascending).</param>
/// <param name="LocalIndex">Per voxel row, its index within its sample's rows.</param>
/// <param name="Positions">V × 3 mean undistorted point of each voxel.</param>
/// <param name="Counts">Points per voxel.</param>
public sealed record BatchVoxels(int[][] SampleVoxels, int[] LocalIndex, float[] Positions, int[] Counts)
{
    /// <summary>The layout of <paramref name="batch"/>.</summary>
    public static BatchVoxels Of(TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        int v = batch.VoxelCount;
        var sampleOf = new int[v];
        var sums = new double[3 * v];
        var counts = new int[v];
        for (int b = 0; b < batch.Samples.Count; b++)
        {
            var s = batch.Samples[b];
            for (int k = 0; k < s.PointCount; k++)
            {
                int row = batch.PointToVoxel[batch.PointStart[b] + k];
                sampleOf[row] = b;
                counts[row]++;
                for (int d = 0; d < 3; d++) sums[3 * row + d] += s.OffsetPositions[3 * k + d];
            }
        }
        var positions = new float[3 * v];
        for (int r = 0; r < v; r++)
            for (int d = 0; d < 3; d++) positions[3 * r + d] = counts[r] == 0 ? 0f : (float)(sums[3 * r + d] / counts[r]);
        var lists = Enumerable.Range(0, batch.Samples.Count).Select(_ => new List<int>()).ToArray();
        var local = new int[v];
        for (int r = 0; r < v; r++)
        {
            local[r] = lists[sampleOf[r]].Count;
            lists[sampleOf[r]].Add(r);
        }
        return new BatchVoxels(lists.Select(l => l.ToArray()).ToArray(), local, positions, counts);
    }

    /// <summary>Positions shifted by the predicted offsets (p + o).</summary>
    public float[] Shifted(ReadOnlySpan<float> offsets)
    {
        var s = new float[Positions.Length];
        for (int i = 0; i < s.Length; i++) s[i] = Positions[i] + offsets[i];
        return s;
    }
}
