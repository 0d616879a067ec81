using System.Collections.Concurrent;
using Clickscape.Data;
using Clickscape.Data.Clicks;
using Clickscape.Geometry.Interactive;
using Clickscape.Geometry.Scenes;
using Clickscape.Models.Interactive;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Sparse;
using Clickscape.Training.Data;
using Clickscape.Training.Randomness;

namespace Clickscape.Training.Methods.Interactive;

/// <summary>Which interactive network a run trains.</summary>
public enum InteractiveVariant
{
    /// <summary><c>interactive</c>: the paper's network, clicks as input channels (<see cref="InteractiveNet"/>).</summary>
    Paper,

    /// <summary><c>interactive-fast</c>: cached backbone + click-attention head (<see cref="InteractiveFastNet"/>).</summary>
    Fast,
}

/// <summary>
/// The training step of the interactive methods (Kontogianni et al., §III; REFERENCE.md §5). Per sample of the batch
/// (a whole augmented training room) one object is drawn uniformly among the instances of a benchmark class with at least
/// <see cref="InteractiveLossOptions.MinObjectPoints"/> points — walls and floors included, so the instance ids come
/// from the raw scene, not PointGroup's 18 instance classes — and cropped (<see cref="InteractiveCrops.Crop"/>); clicks
/// are drawn as the reference does (<see cref="InteractiveCrops.TrainingClicks"/>), optionally followed by one click of
/// the protocol's simulated user on the errors of the network's own prediction; the loss is the cross-entropy of the
/// foreground / background prediction on every point of the crop (logits sliced from the voxels to the points).
/// </summary>
/// <remarks>
/// Deterministic: the draws of sample b of batch i of epoch e come from <see cref="Xoshiro256.ForStream"/>(seed, e + K, i·256 + b),
/// so a resumed run trains on the same crops and clicks.
/// </remarks>
public sealed class InteractiveLoss
{
    private const ulong StreamBase = 0x1A7E_0000UL;
    private readonly Dictionary<string, SceneSource> _sources;
    private readonly ConcurrentDictionary<string, int[]> _instances = new(StringComparer.Ordinal);
    private readonly ulong _seed;

    /// <summary>Creates the loss for the training scenes <paramref name="scenes"/>.</summary>
    public InteractiveLoss(InteractiveVariant variant, InteractiveLossOptions options, float voxelSize, IReadOnlyList<SceneSource> scenes, long seed)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scenes);
        options.Validate();
        Variant = variant;
        Options = options;
        VoxelSize = voxelSize;
        _seed = unchecked((ulong)seed);
        _sources = scenes.ToDictionary(s => s.Name, StringComparer.Ordinal);
    }

    /// <summary>The network trained.</summary>
    public InteractiveVariant Variant { get; }

    /// <summary>Crop and click options.</summary>
    public InteractiveLossOptions Options { get; }

    /// <summary>Voxel edge, metres.</summary>
    public float VoxelSize { get; }

    /// <summary>
    /// The scene with every instance of a benchmark class as an object (walls and floors too): the raw instance ids of
    /// the scene file (read once per scene) on the points whose class is one of the 20, 0 elsewhere.
    /// </summary>
    public PreparedScene TrainingScene(PreparedScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var raw = _instances.GetOrAdd(scene.Name, name =>
        {
            if (!_sources.TryGetValue(name, out var source)) return scene.Instance;
            var loaded = source.Load();
            return loaded.InstanceIds is { } ids && ids.Length == scene.PointCount ? ids : scene.Instance;
        });
        var instance = new int[scene.PointCount];
        for (int i = 0; i < instance.Length; i++) instance[i] = scene.Semantic[i] != Labels.Unlabelled ? raw[i] : Labels.NoInstance;
        return scene with { Instance = instance };
    }

    /// <summary>One object crop of a training sample with its clicks.</summary>
    internal sealed record Crop(float[] Positions, float[] Colors, bool[] Mask, List<InteractiveClick> Clicks);

    /// <summary>Forward and loss on <paramref name="batch"/>.</summary>
    public LossTerms Compute(Module model, TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        var crops = new List<Crop>();
        for (int b = 0; b < batch.Samples.Count; b++)
        {
            var rng = Xoshiro256.ForStream(_seed, StreamBase + (ulong)batch.Epoch, ((ulong)batch.Index << 8) | (uint)b);
            if (MakeCrop(batch.Samples[b], rng) is { } crop) crops.Add(crop);
        }
        if (crops.Count == 0)
        {
            var zero = Tensor.Scalar(0f);
            return new LossTerms(zero, [("ce", zero)]);
        }
        var batchRng = Xoshiro256.ForStream(_seed, StreamBase + (ulong)batch.Epoch, ((ulong)batch.Index << 8) | 255);
        if (Options.ErrorClickProbability > 0 && batchRng.NextDouble() < Options.ErrorClickProbability)
        {
            var predicted = PredictMasks(model, crops);
            for (int k = 0; k < crops.Count; k++)
            {
                var c = crops[k];
                var user = new InteractiveClickSimulator(new Scene("crop", c.Positions), c.Mask, 1, 1);
                if (user.NextClick(predicted[k], c.Clicks.Count) is { } click) c.Clicks.Add(new InteractiveClick(click.Point, click.Positive));
            }
        }
        var (loss, iou, _) = Forward(model, crops, training: true);
        var total = loss!.Count == 1 ? loss[0].Value : loss[0].Value + loss[1].Value * Options.DiceWeight;
        return new LossTerms(total, [.. loss, ("iou", Tensor.Scalar((float)iou))]);
    }

    private Crop? MakeCrop(TrainingSample sample, Xoshiro256 rng)
    {
        var counts = new Dictionary<int, int>();
        foreach (int id in sample.Instance)
        {
            if (id != Labels.NoInstance) counts[id] = counts.GetValueOrDefault(id) + 1;
        }
        var candidates = counts.Where(kv => kv.Value >= Options.MinObjectPoints).Select(kv => kv.Key).Order().ToList();
        if (candidates.Count == 0) return null;
        int chosen = candidates[rng.NextInt(candidates.Count)];
        var whole = sample.Instance.Select(id => id == chosen).ToArray();
        var kept = InteractiveCrops.Crop(sample.VoxelPositions, whole, Options.CropSize);
        var positions = new float[3 * kept.Length];
        var colors = new float[3 * kept.Length];
        var mask = new bool[kept.Length];
        for (int j = 0; j < kept.Length; j++)
        {
            int i = kept[j];
            for (int c = 0; c < 3; c++)
            {
                positions[3 * j + c] = sample.VoxelPositions[3 * i + c];
                colors[3 * j + c] = 0.5f * (sample.Features[6 * i + c] + 1f); // rgb/127.5 − 1 → [0, 1]
            }
            mask[j] = whole[i];
        }
        var (positive, negative) = InteractiveCrops.TrainingClicks(positions, mask, rng, Options.MaxPositive, Options.MaxNegative, Options.NegativeMargin);
        var clicks = positive.Select(p => new InteractiveClick(p, true)).Concat(negative.Select(p => new InteractiveClick(p, false))).ToList();
        return new Crop(positions, colors, mask, clicks);
    }

    /// <summary>
    /// The network's point masks of the crops (no gradients, clicks forced), in the mode the trainer set — so BatchNorm
    /// uses, and its running statistics also see, this batch, as one more forward pass of the step would.
    /// </summary>
    private List<bool[]> PredictMasks(Module model, List<Crop> crops)
    {
        using var grad = Tensor.NoGrad();
        var logits = Forward(model, crops, training: false).PointLogits;
        var masks = new List<bool[]>();
        int at = 0;
        foreach (var c in crops)
        {
            var mask = new bool[c.Mask.Length];
            for (int j = 0; j < mask.Length; j++) mask[j] = logits[at + j] > 0;
            at += mask.Length;
            new ClickCubes(c.Positions, Options.ClickHalfEdge).Force(c.Clicks, mask);
            masks.Add(mask);
        }
        return masks;
    }

    private (List<(string Name, Tensor Value)>? Loss, double Iou, float[] PointLogits) Forward(Module model, List<Crop> crops, bool training)
    {
        int total = crops.Sum(c => c.Mask.Length);
        var positions = new float[3 * total];
        var batchIndex = new int[total];
        int channels = Variant == InteractiveVariant.Paper ? InteractiveNet.InputChannels : 6;
        var features = new float[channels * total];
        var labels = new int[total];
        int at = 0;
        for (int b = 0; b < crops.Count; b++)
        {
            var c = crops[b];
            int n = c.Mask.Length;
            float x0 = float.PositiveInfinity, y0 = float.PositiveInfinity, z0 = float.PositiveInfinity;
            for (int i = 0; i < n; i++)
            {
                x0 = MathF.Min(x0, c.Positions[3 * i]);
                y0 = MathF.Min(y0, c.Positions[3 * i + 1]);
                z0 = MathF.Min(z0, c.Positions[3 * i + 2]);
            }
            float[] tp = [], tn = [];
            if (Variant == InteractiveVariant.Paper) (tp, tn) = new ClickCubes(c.Positions, Options.ClickHalfEdge).Encode(c.Clicks);
            for (int i = 0; i < n; i++)
            {
                int g = at + i;
                positions[3 * g] = c.Positions[3 * i] - x0;
                positions[3 * g + 1] = c.Positions[3 * i + 1] - y0;
                positions[3 * g + 2] = c.Positions[3 * i + 2] - z0;
                batchIndex[g] = b;
                labels[g] = c.Mask[i] ? 1 : 0;
                for (int k = 0; k < 3; k++) features[channels * g + k] = c.Colors[3 * i + k];
                if (Variant == InteractiveVariant.Paper)
                {
                    features[channels * g + 3] = tp[i];
                    features[channels * g + 4] = tn[i];
                }
                else
                {
                    for (int k = 0; k < 3; k++) features[channels * g + 3 + k] = c.Positions[3 * i + k];
                }
            }
            at += n;
        }
        var v = Voxelizer.Voxelize(positions, features, channels, VoxelSize, batchIndex);
        int voxels = v.Coords.Count;
        Tensor pointLogits; // [total] foreground margin, or [total, 2]
        if (Variant == InteractiveVariant.Paper)
        {
            var logits = ((InteractiveNet)model).Forward(new SparseTensor(v.Coords, Tensor.FromArray(v.Features, voxels, channels)));
            pointLogits = logits.IndexSelect(v.PointToVoxel);
        }
        else
        {
            var net = (InteractiveFastNet)model;
            var rgb = new float[3 * voxels];
            var centres = new float[3 * voxels];
            for (int j = 0; j < voxels; j++)
            {
                for (int k = 0; k < 3; k++)
                {
                    rgb[3 * j + k] = v.Features[6 * j + k];
                    centres[3 * j + k] = v.Features[6 * j + 3 + k];
                }
            }
            var scene = net.Encode(new SparseTensor(v.Coords, Tensor.FromArray(rgb, voxels, 3)), centres);
            var parts = new List<Tensor>();
            at = 0;
            int voxelStart = 0;
            for (int b = 0; b < crops.Count; b++)
            {
                var c = crops[b];
                int n = c.Mask.Length;
                int voxelEnd = voxelStart;
                while (voxelEnd < voxels && v.Coords[voxelEnd].Batch == b) voxelEnd++;
                var clicks = c.Clicks.Select(k => new VoxelClick(v.PointToVoxel[at + k.Point], k.Positive,
                    c.Positions[3 * k.Point], c.Positions[3 * k.Point + 1], c.Positions[3 * k.Point + 2])).ToList();
                var local = new int[n];
                for (int i = 0; i < n; i++) local[i] = v.PointToVoxel[at + i] - voxelStart;
                parts.Add(net.Logits(scene, voxelStart, voxelEnd - voxelStart, clicks).IndexSelect(local));
                voxelStart = voxelEnd;
                at += n;
            }
            pointLogits = parts.Count == 1 ? parts[0] : Tensor.Concat(parts, 0);
        }
        var margin = new float[total];
        var data = pointLogits.Data;
        if (Variant == InteractiveVariant.Paper)
            for (int i = 0; i < total; i++) margin[i] = data[2 * i + 1] - data[2 * i];
        else
            data.CopyTo(margin);
        if (!training) return (null, double.NaN, margin);
        long inter = 0, union = 0;
        for (int i = 0; i < total; i++)
        {
            bool p = margin[i] > 0, t = labels[i] == 1;
            if (p && t) inter++;
            if (p || t) union++;
        }
        var ce = Variant == InteractiveVariant.Paper
            ? Tensors.Losses.Losses.CrossEntropy(pointLogits, labels, classWeights: [1f, Options.ForegroundWeight])
            : Tensors.Losses.Losses.BinaryCrossEntropyWithLogits(pointLogits, Tensor.FromArray(labels.Select(l => (float)l).ToArray(), total), Options.ForegroundWeight);
        if (Options.DiceWeight > 0)
        {
            var probability = Variant == InteractiveVariant.Paper ? pointLogits.Softmax().Slice(1, 1, 1).Reshape(total) : pointLogits.Sigmoid();
            var dice = Tensors.Losses.Losses.Dice(probability, Tensor.FromArray(labels.Select(l => (float)l).ToArray(), total));
            return ([("ce", ce), ("dice", dice)], union == 0 ? 1 : (double)inter / union, margin);
        }
        return ([("ce", ce)], union == 0 ? 1 : (double)inter / union, margin);
    }
}
