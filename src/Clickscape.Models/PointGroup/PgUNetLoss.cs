using Clickscape.Geometry.Scenes;
using Clickscape.Models.Profiling;
using Clickscape.Tensors;
using Clickscape.Tensors.Losses;

namespace Clickscape.Models.PointGroup;

/// <summary>The terms of <see cref="PgUNetLoss"/> (each a scalar tensor on the graph) and their sum.</summary>
public sealed record PgLossTerms(Tensor Total, Tensor Semantic, Tensor Offset, Tensor Discriminative);

/// <summary>
/// The training loss of perf-ref/unet_step.py's <c>total_loss</c>: cross-entropy on the semantic logits
/// (ignore label −100) + the L1 offset loss of PointGroup (Jiang et al., CVPR 2020, Eq. 2: Σ over instance voxels of
/// ‖o − (ĉ − p)‖₁, divided by the number of instance voxels + 1e-6) + the discriminative loss on the embeddings
/// (De Brabandere et al. 2017, δv = 0.1, δd = 1.5, w_reg = 0.001, L2 distances; stuff voxels ignored).
/// </summary>
public static class PgUNetLoss
{
    /// <summary>Pull margin δv of the script.</summary>
    public const float DeltaVar = 0.1f;

    /// <summary>Push margin δd of the script.</summary>
    public const float DeltaDist = 1.5f;

    /// <summary>Regularization weight of the script.</summary>
    public const float WeightReg = 0.001f;

    /// <summary>Computes the loss of <paramref name="output"/> against <paramref name="targets"/>.</summary>
    public static PgLossTerms Compute(PgUNetOutput output, PgTargets targets)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(targets);
        if (output.Semantic.Dim(0) != targets.Count)
            throw new ArgumentException($"PointGroup loss: the network produced {output.Semantic.Dim(0)} rows, the targets have {targets.Count}");
        return LayerProfile.Time("loss", () =>
        {
            var semantic = Losses.CrossEntropy(output.Semantic, targets.Semantic, ignoreIndex: Labels.Ignore);
            var offset = OffsetL1(output.Offset, targets);
            var discriminative = Losses.Discriminative(output.Embedding, targets.Instance, DeltaVar, DeltaDist, 1f, 1f, WeightReg, DiscriminativeNorm.L2);
            return new PgLossTerms(semantic + offset + discriminative, semantic, offset, discriminative);
        });
    }

    /// <summary>PointGroup's offset regression loss: Σ_instance voxels Σ_axis |o − o*| / (M + 1e-6).</summary>
    public static Tensor OffsetL1(Tensor offsets, PgTargets targets)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(targets);
        int m = targets.InstanceRows.Length;
        if (m == 0) return (offsets * 0f).Sum();
        var predicted = offsets.IndexSelect(targets.InstanceRows);
        var truth = Tensor.FromArray(targets.InstanceOffsets, m, 3);
        return (predicted - truth).Abs().Sum() * (1f / (m + 1e-6f));
    }
}
