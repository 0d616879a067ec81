using Clickscape.Models.PointGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Losses;
using Clickscape.Training.Data;

namespace Clickscape.Training.Methods.Full;

/// <summary>Options of <see cref="PointGroupLoss"/> (config <c>loss</c> section of type <c>PGLoss-v1m1</c>).</summary>
public sealed class PointGroupLossOptions
{
    /// <summary>Weight of the semantic cross-entropy.</summary>
    public float SemanticWeight { get; set; } = 1f;

    /// <summary>Weight of the offset L1 term.</summary>
    public float OffsetWeight { get; set; } = 1f;

    /// <summary>Weight of the offset direction term.</summary>
    public float DirectionWeight { get; set; } = 1f;

    /// <summary>Weight of the discriminative embedding loss (0 = off; PointGroup has none).</summary>
    public float DiscriminativeWeight { get; set; }

    /// <summary>Pull margin δv of the discriminative loss (REFERENCE.md §3: ASIS 0.5, ClickSeg 0.2).</summary>
    public float DeltaVar { get; set; } = 0.5f;

    /// <summary>Push margin δd.</summary>
    public float DeltaDist { get; set; } = 1.5f;
}

/// <summary>
/// PointGroup's training loss (Jiang et al., CVPR 2020, §3.4; REFERENCE.md §2) on per-voxel outputs:
/// L = w_sem·CE(semantic, ignore −100) + w_off·L1 + w_dir·L_dir (+ w_disc·L_disc), where
/// L1 = Σ over instance voxels of ‖o − (ĉ − p)‖₁ / (M + 1e-6) (<see cref="PgUNetLoss.OffsetL1"/>),
/// L_dir = −mean over instance voxels of cos(o, ĉ − p) (ε 1e-8), and L_disc the discriminative loss
/// (De Brabandere et al. 2017, REFERENCE.md §3; L2 distances, w_reg 0.001) on the embeddings.
/// </summary>
public sealed class PointGroupLoss(PointGroupLossOptions options)
{
    /// <summary>The options.</summary>
    public PointGroupLossOptions Options { get; } = options ?? throw new ArgumentNullException(nameof(options));

    /// <summary>Computes the terms for <paramref name="output"/> against the batch's voxel targets.</summary>
    public LossTerms Compute(PgUNetOutput output, TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(batch);
        var targets = new PgTargets(batch.Semantic, batch.Instance, batch.Offset);
        var terms = new List<(string, Tensor)>();
        var semantic = Losses.CrossEntropy(output.Semantic, batch.Semantic, ignoreIndex: Geometry.Scenes.Labels.Ignore);
        var offset = PgUNetLoss.OffsetL1(output.Offset, targets);
        var total = semantic * Options.SemanticWeight + offset * Options.OffsetWeight;
        terms.Add(("semantic", semantic));
        terms.Add(("offset", offset));
        if (Options.DirectionWeight != 0f)
        {
            var direction = Direction(output.Offset, targets);
            total += direction * Options.DirectionWeight;
            terms.Add(("direction", direction));
        }
        if (Options.DiscriminativeWeight != 0f)
        {
            var disc = Losses.Discriminative(output.Embedding, batch.Instance, Options.DeltaVar, Options.DeltaDist, 1f, 1f, 0.001f, DiscriminativeNorm.L2);
            total += disc * Options.DiscriminativeWeight;
            terms.Add(("discriminative", disc));
        }
        return new LossTerms(total, terms);
    }

    /// <summary>−mean cos(o, o*) over the instance voxels (0 when there are none).</summary>
    public static Tensor Direction(Tensor offsets, PgTargets targets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(targets);
        int m = targets.InstanceRows.Length;
        if (m == 0) return (offsets * 0f).Sum();
        var predicted = offsets.IndexSelect(targets.InstanceRows);
        var truth = Tensor.FromArray(targets.InstanceOffsets, m, 3);
        return -Similarity.Cosine(predicted, truth).Mean();
    }
}
