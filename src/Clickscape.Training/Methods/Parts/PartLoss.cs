using Clickscape.Geometry.Scenes;
using Clickscape.Models.PartFusion;
using Clickscape.Tensors;
using Clickscape.Tensors.Losses;
using Clickscape.Tensors.Sparse;
using Clickscape.Training.Data;

namespace Clickscape.Training.Methods.Parts;

/// <summary>
/// The training loss of <c>parts</c> (Sun et al., Eq. 1–2; the reference code's form, REFERENCE.md §6): summed over
/// the levels, the semantic cross-entropy (ignore −100), the offset loss to the instance centres and the offset loss
/// to the semantic region centres, each offset loss the per-point mean over axes of |o − o*| over the points with a
/// target. Targets are made per sample from its augmented points (<see cref="PartTargets"/>) and the shape's level
/// labels (<see cref="PartLabels"/>, looked up by the sample's shape id).
/// </summary>
public sealed class PartLoss(PartsLossOptions options, IReadOnlyDictionary<string, PartLabels> labels, IReadOnlyList<IReadOnlyList<string>> classes)
{
    /// <summary>The classes of every level (node paths).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Classes { get; } = classes ?? throw new ArgumentNullException(nameof(classes));

    /// <summary>The weights.</summary>
    public PartsLossOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The level labels of every training shape, by shape id.</summary>
    public IReadOnlyDictionary<string, PartLabels> Labels { get; } = labels ?? throw new ArgumentNullException(nameof(labels));

    /// <summary>Levels K.</summary>
    public int Levels => Classes.Count;

    /// <summary>The network input of <paramref name="batch"/>: its voxels, each shape's logits restricted to its category's classes.</summary>
    public PartFusionInput Input(TrainingBatch batch, float[] positions)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var bias = batch.Samples.Select(s => PartLabels.CategoryBias(Classes, Labels.TryGetValue(s.Name, out var l) ? l.Root : "")).ToArray();
        var features = Tensor.FromArray(batch.Features, batch.VoxelCount, PreparedScene.Channels);
        return PartFusionInput.Create(new SparseTensor(batch.Coords, features), batch.PointToVoxel, positions, Levels, (k, b) => bias[b][k]);
    }

    /// <summary>Forward and loss terms of one batch: the voxel outputs read at every point (<see cref="PartLevelOutput"/>).</summary>
    public LossTerms Compute(PartFusionNet model, TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batch);
        int n = batch.PointCount;
        var positions = new float[3 * n];
        int at = 0;
        foreach (var s in batch.Samples)
        {
            s.OffsetPositions.CopyTo(positions, at);
            at += s.OffsetPositions.Length;
        }
        var input = Input(batch, positions);
        var voxelMean = input.Positions.Data.ToArray();
        var outputs = model.Forward(input);
        Tensor? semantic = null, offset = null, region = null;
        for (int k = 0; k < Levels; k++)
        {
            var cls = new int[n];
            var oi = new float[3 * n];
            var os = new float[3 * n];
            var rows = new List<int>(n);
            for (int b = 0; b < batch.Samples.Count; b++)
            {
                var sample = batch.Samples[b];
                if (!Labels.TryGetValue(sample.Name, out var shape))
                    throw new InvalidOperationException($"parts loss: no level labels for shape '{sample.Name}'");
                int start = batch.PointStart[b], m = sample.PointCount;
                var c = new int[m];
                var inst = new int[m];
                for (int i = 0; i < m; i++)
                {
                    c[i] = shape.Class[k][sample.Points[i]];
                    inst[i] = shape.Instance[k][sample.Points[i]];
                }
                var (ti, ts, valid) = PartTargets.Compute(sample.OffsetPositions, c, inst);
                c.CopyTo(cls, start);
                ti.CopyTo(oi, 3 * start);
                ts.CopyTo(os, 3 * start);
                for (int i = 0; i < m; i++) if (valid[i]) rows.Add(start + i);
            }
            var o = outputs[k];
            var ce = Losses.CrossEntropy(o.Semantic.IndexSelect(batch.PointToVoxel), cls, ignoreIndex: Geometry.Scenes.Labels.Ignore);
            semantic = semantic is null ? ce : semantic + ce;
            if (rows.Count == 0) continue;
            // the point's offset is its voxel's plus (p̄ − p): the target centre − p becomes centre − p̄ for the voxel output
            var voxelOf = rows.Select(i => batch.PointToVoxel[i]).ToArray();
            var ti2 = Tensor.FromArray(Relative(oi, rows, voxelOf, positions, voxelMean), rows.Count, 3);
            var ts2 = Tensor.FromArray(Relative(os, rows, voxelOf, positions, voxelMean), rows.Count, 3);
            var l1 = Losses.L1(o.InstanceOffset.IndexSelect(voxelOf), ti2);
            var l2 = Losses.L1(o.RegionOffset.IndexSelect(voxelOf), ts2);
            offset = offset is null ? l1 : offset + l1;
            region = region is null ? l2 : region + l2;
        }
        var zero = (outputs[0].InstanceOffset * 0f).Sum();
        offset ??= zero;
        region ??= zero;
        var total = semantic! * Options.SemanticWeight + offset * Options.OffsetWeight + region * Options.RegionWeight;
        return new LossTerms(total, [("semantic", semantic!), ("offset", offset), ("region", region)]);
    }

    /// <summary>Target offsets of the points <paramref name="rows"/> made relative to their voxels' mean points: o* + p − p̄.</summary>
    private static float[] Relative(float[] offsets, List<int> rows, int[] voxelOf, float[] positions, float[] voxelMean)
    {
        var result = new float[3 * rows.Count];
        for (int j = 0; j < rows.Count; j++)
            for (int c = 0; c < 3; c++)
                result[3 * j + c] = offsets[3 * rows[j] + c] + positions[3 * rows[j] + c] - voxelMean[3 * voxelOf[j] + c];
        return result;
    }
}
