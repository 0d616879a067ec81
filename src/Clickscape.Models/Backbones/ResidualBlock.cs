using Clickscape.Models.Profiling;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Backbones;

/// <summary>
/// Pre-activation residual block of PointGroup's sparse U-Net (Jiang et al., CVPR 2020, after He et al. 2016):
/// <c>x' = SubM3(BN-ReLU(SubM3(BN-ReLU(x)))) + shortcut(x)</c>, with shortcut = identity when the widths agree and
/// a bias-free 1×1 projection (a per-voxel Linear) otherwise — perf-ref/unet_step.py's <c>ResidualBlock</c>.
/// </summary>
/// <remarks>Parameter names follow the script: <c>proj</c>, <c>bn1</c>, <c>conv1</c>, <c>bn2</c>, <c>conv2</c>.</remarks>
public sealed class ResidualBlock : Module<SparseTensor, SparseTensor>
{
    /// <summary>Creates the block mapping <paramref name="inChannels"/> to <paramref name="outChannels"/>.</summary>
    public ResidualBlock(int inChannels, int outChannels, Random random, float bnEps = 1e-4f, float bnMomentum = 0.1f)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (inChannels != outChannels) Projection = RegisterModule("proj", new Linear(inChannels, outChannels, random, bias: false));
        Norm1 = RegisterModule("bn1", new BatchNormRelu(inChannels, bnEps, bnMomentum));
        Conv1 = RegisterModule("conv1", new SparseConv3d(inChannels, outChannels, 3, random));
        Norm2 = RegisterModule("bn2", new BatchNormRelu(outChannels, bnEps, bnMomentum));
        Conv2 = RegisterModule("conv2", new SparseConv3d(outChannels, outChannels, 3, random));
    }

    /// <summary>1×1 projection of the shortcut, or null for the identity.</summary>
    public Linear? Projection { get; }

    /// <summary>First pre-activation.</summary>
    public BatchNormRelu Norm1 { get; }

    /// <summary>First 3×3×3 sub-manifold convolution.</summary>
    public SparseConv3d Conv1 { get; }

    /// <summary>Second pre-activation.</summary>
    public BatchNormRelu Norm2 { get; }

    /// <summary>Second 3×3×3 sub-manifold convolution.</summary>
    public SparseConv3d Conv2 { get; }

    /// <inheritdoc/>
    public override SparseTensor Forward(SparseTensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var shortcut = Projection is null ? input.Features : LayerProfile.Run("linear", input.Features, Projection.Forward);
        var y = ProfiledConv.Apply(Conv1, Norm1.Forward(input));
        y = ProfiledConv.Apply(Conv2, Norm2.Forward(y));
        return y.WithFeatures(y.Features + shortcut);
    }
}
