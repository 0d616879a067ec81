using Clickscape.Models.Backbones;
using Clickscape.Models.Heads;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.PointGroup;

/// <summary>Per-voxel outputs of <see cref="PgUNet"/>: semantic logits [N, classes], embeddings [N, E], offsets [N, 3].</summary>
public sealed record PgUNetOutput(Tensor Semantic, Tensor Embedding, Tensor Offset);

/// <summary>
/// The PointGroup-size network of perf-ref/unet_step.py's <c>PGUNet</c> (Jiang et al., "PointGroup: Dual-Set Point
/// Grouping for 3D Instance Segmentation", CVPR 2020): a <see cref="SparseUNet"/> with m = 16 and widths
/// 16/32/48/64/80 (5 levels, 2 residual blocks per level, BatchNorm ε = 1e-4, momentum 0.1) over 6 input channels
/// (RGB + centred xyz), and three per-voxel heads on its 16-channel output: semantic Linear(16 → 20), embedding
/// Linear-BN-ReLU-Linear(16 → 16 → 16) and offset Linear-BN-ReLU-Linear(16 → 16 → 3).
/// </summary>
/// <remarks>
/// Initialization follows the script's modules: convolutions U(±1/√(K³·Cin)), Linear layers U(±1/√in) for weights and
/// biases, BatchNorm γ = 1, β = 0 (the same distributions, not the same numbers: the generator differs). Parameter
/// names are the script's, with the backbone's under <c>backbone.</c> (<c>backbone.input_conv.weight</c>, <c>backbone.unet.blocks.0.conv1.weight</c>, <c>sem.weight</c>,
/// <c>emb.0.weight</c>, …). 2 744 823 parameters with the default configuration.
/// </remarks>
public sealed class PgUNet : Module<SparseTensor, PgUNetOutput>
{
    /// <summary>The script's level widths (m = 16: m, 2m, 3m, 4m, 5m).</summary>
    public static readonly IReadOnlyList<int> ScriptWidths = [16, 32, 48, 64, 80];

    /// <summary>Creates the script's network: 6 input channels, 20 classes, 16-d embedding.</summary>
    public PgUNet(Random random) : this(random, 6, ScriptWidths, 2, 20, 16)
    {
    }

    /// <summary>Creates a network of the same layout with other sizes.</summary>
    /// <remarks>
    /// With <paramref name="fusion"/>, the offset head reads [F̂, F] instead of F: F̂ is the semantic segmentation-assisted
    /// instance feature of Sun et al. (Eq. 3–4, <see cref="PartFusion.SemanticFeatureFusion"/>) aggregated per scene of the
    /// batch over the softmax of the semantic head (gradient stopped, the paper's default) and passed through a
    /// Linear–BN–LeakyReLU (<c>fuse</c>): the paper's drop-in for scene networks (§4.2, Table 6).
    /// </remarks>
    public PgUNet(Random random, int inChannels, IReadOnlyList<int> widths, int blocksPerLevel, int classes, int embeddingChannels,
        float bnEps = 1e-4f, float bnMomentum = 0.1f, bool fusion = false)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(widths);
        Backbone = RegisterModule("backbone", new SparseUNet(inChannels, widths, blocksPerLevel, random, bnEps, bnMomentum));
        int m = widths[0];
        SemanticHead = RegisterModule("sem", new SemanticHead(m, classes, random));
        EmbeddingHead = RegisterModule("emb", new ProjectionHead(m, m, embeddingChannels, random, bnEps, bnMomentum));
        if (fusion) Fusion = RegisterModule("fuse", new PartFusion.PointLayer(m, m, random, leakySlope: 0.2f, bnEps, bnMomentum));
        OffsetHead = RegisterModule("off", new ProjectionHead(fusion ? 2 * m : m, m, 3, random, bnEps, bnMomentum));
    }

    /// <summary>The fusion layer of the offset branch, or null without fusion.</summary>
    public PartFusion.PointLayer? Fusion { get; }

    /// <summary>The U-Net (input conv, levels, output BN-ReLU).</summary>
    public SparseUNet Backbone { get; }

    /// <summary>Semantic logits head.</summary>
    public SemanticHead SemanticHead { get; }

    /// <summary>Instance embedding head.</summary>
    public ProjectionHead EmbeddingHead { get; }

    /// <summary>Offset-to-centroid head.</summary>
    public ProjectionHead OffsetHead { get; }

    /// <inheritdoc/>
    public override PgUNetOutput Forward(SparseTensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = Backbone.Forward(input).Features;
        var semantic = SemanticHead.Forward(x);
        var offsetInput = x;
        if (Fusion is not null)
        {
            // voxel rows of every scene of the batch (batch coordinate), the aggregation over each scene's probabilities
            var coords = input.Coords.Coordinates;
            var scenes = new SortedDictionary<int, List<int>>();
            for (int j = 0; j < input.Count; j++)
            {
                if (!scenes.TryGetValue(coords[4 * j], out var rows)) scenes[coords[4 * j]] = rows = [];
                rows.Add(j);
            }
            var fused = PartFusion.SemanticFeatureFusion.Aggregate(semantic.Softmax().Detach(), x, scenes.Values.Select(r => r.ToArray()).ToArray());
            offsetInput = Tensor.Concat([Fusion.Forward(fused), x], 1);
        }
        return new PgUNetOutput(semantic, EmbeddingHead.Forward(x), OffsetHead.Forward(offsetInput));
    }
}
