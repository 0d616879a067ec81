using System.Globalization;
using Clickscape.Models.SegGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Losses;
using Clickscape.Training.Data;
using Clickscape.Training.Randomness;

namespace Clickscape.Training.Methods.SegGroup;

/// <summary>
/// SegGroup's training loss (§3.2 "Network Training"; REFERENCE.md §4): the network groups the scene's segments with its
/// current parameters (the pseudo labels fixed for this step), the classifier scores every labelled instance, and the
/// cross-entropy with label smoothing 0.2 against the clicked class (nyu40 id − 1 of the 40 outputs) trains the
/// parameters — the alternation of clustering and training, one scene per step. The scenes' inputs are built once
/// before training (<see cref="SegGroupSceneBuilder"/>).
/// </summary>
/// <param name="scenes">The training scenes by id.</param>
/// <param name="options">The loss options.</param>
/// <param name="seed">The run's seed (<c>train.seed</c>): with the step it keys the classifier's dropout masks.</param>
public sealed class SegGroupLoss(IReadOnlyDictionary<string, SegGroupScene> scenes, SegGroupLossOptions options, long seed = 0)
{
    /// <summary>The training scenes by id.</summary>
    public IReadOnlyDictionary<string, SegGroupScene> Scenes { get; } = scenes ?? throw new ArgumentNullException(nameof(scenes));

    /// <summary>The options.</summary>
    public SegGroupLossOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The loss of the batch's scenes (mean over the scenes that have labelled instances).</summary>
    public LossTerms Compute(SegGroupNet net, TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(batch);
        Tensor? total = null;
        int scored = 0, instances = 0, correct = 0;
        var nodes = new double[net.Options.Layers + 1];
        for (int b = 0; b < batch.Samples.Count; b++)
        {
            var sample = batch.Samples[b];
            if (!Scenes.TryGetValue(sample.Name, out var scene))
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"seggroup: scene '{sample.Name}' was not prepared before training"));
            // counter-based dropout masks: (seed, epoch, batch, sample) fixes them, so a resumed run is bit-identical
            net.Classifier.ReseedDropout(MaskSeed(seed, batch.Epoch, batch.Index, b));
            var output = net.Forward(scene);
            for (int l = 0; l < nodes.Length; l++) nodes[l] += output.LayerClusters[l] / (double)batch.Samples.Count;
            if (output.Logits is null) continue;
            var targets = output.Objects.Select(o => scene.ObjectClass[o] - 1).ToArray();
            var loss = CrossEntropy.Forward(output.Logits, targets, labelSmoothing: Options.LabelSmoothing);
            total = total is null ? loss : total + loss;
            scored++;
            instances += targets.Length;
            var predicted = output.Logits.ArgMax();
            for (int i = 0; i < targets.Length; i++) if (predicted[i] == targets[i]) correct++;
        }
        // a batch without labelled instances trains nothing: a zero that still reaches the parameters
        total = total is null ? net.Parameters()[0].Sum() * 0f : total / scored;
        var terms = new List<(string, Tensor)> { ("loss", total), ("instances", Tensor.FromArray([instances], 1)), ("accuracy", Tensor.FromArray([instances == 0 ? 0f : correct / (float)instances], 1)) };
        for (int l = 0; l < nodes.Length; l++) terms.Add((string.Create(CultureInfo.InvariantCulture, $"nodes_layer{l}"), Tensor.FromArray([(float)nodes[l]], 1))); // graph size after each layer
        return new LossTerms(total, terms);
    }
    /// <summary>The dropout seed of sample <paramref name="b"/> of batch <paramref name="index"/> of <paramref name="epoch"/>.</summary>
    internal static int MaskSeed(long seed, int epoch, int index, int b) =>
        Xoshiro256.ForStream((ulong)seed, (ulong)epoch, ((ulong)index << 16) | (uint)b).NextSeed();
}
