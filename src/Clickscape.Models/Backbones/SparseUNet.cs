using Clickscape.Tensors.Sparse;
using Clickscape.Tensors.Nn;

namespace Clickscape.Models.Backbones;

/// <summary>
/// PointGroup's sparse convolutional U-Net backbone (Jiang et al., "PointGroup", CVPR 2020, §3.1; the spconv
/// layout of its reference code): an input 3×3×3 sub-manifold conv to widths[0], a recursive <see cref="UBlock"/>
/// over all levels, and an output BatchNorm-ReLU. The output has widths[0] channels on the input voxels.
/// </summary>
/// <remarks>
/// Configurable: level widths (PointGroup m = 16: 16, 32, 48, 64, 80, 96, 112 for 7 levels; perf-ref/unet_step.py
/// uses the first 5), residual blocks per level (PointGroup 2), BatchNorm ε and momentum (1e-4, 0.1).
/// Parameter names follow the script (<c>input_conv</c>, <c>unet</c>, <c>out</c>).
/// </remarks>
public sealed class SparseUNet : Module<SparseTensor, SparseTensor>
{
    /// <summary>Creates the backbone.</summary>
    public SparseUNet(int inChannels, IReadOnlyList<int> widths, int blocksPerLevel, Random random, float bnEps = 1e-4f, float bnMomentum = 0.1f)
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(random);
        if (widths.Count == 0) throw new ArgumentException("SparseUNet: at least one level width is required", nameof(widths));
        InChannels = inChannels;
        Widths = widths.ToArray();
        InputConv = RegisterModule("input_conv", new SparseConv3d(inChannels, widths[0], 3, random));
        Body = RegisterModule("unet", new UBlock(widths, blocksPerLevel, random, bnEps, bnMomentum));
        OutputNorm = RegisterModule("out", new BatchNormRelu(widths[0], bnEps, bnMomentum));
    }

    /// <summary>Input feature channels.</summary>
    public int InChannels { get; }

    /// <summary>Channels per level, finest first.</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <summary>Output channels (= widths[0]).</summary>
    public int OutChannels => Widths[0];

    /// <summary>Input sub-manifold conv.</summary>
    public SparseConv3d InputConv { get; }

    /// <summary>The U of levels.</summary>
    public UBlock Body { get; }

    /// <summary>Output BatchNorm-ReLU.</summary>
    public BatchNormRelu OutputNorm { get; }

    /// <inheritdoc/>
    public override SparseTensor Forward(SparseTensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var x = ProfiledConv.Apply(InputConv, input);
        return OutputNorm.Forward(Body.Forward(x));
    }
}
