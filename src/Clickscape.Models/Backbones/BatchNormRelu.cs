using Clickscape.Models.Profiling;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Backbones;

/// <summary>
/// BatchNorm over the voxel rows followed by ReLU, the pre-activation of every convolution in PointGroup's
/// sparse U-Net (Jiang et al., "PointGroup: Dual-Set Point Grouping for 3D Instance Segmentation", CVPR 2020;
/// spconv <c>norm_fn</c> = BatchNorm1d(eps = 1e-4, momentum = 0.1)). Mirrors perf-ref/unet_step.py's
/// <c>bn_relu</c> (an nn.Sequential, so the parameters are named <c>0.weight</c>, <c>0.bias</c>).
/// </summary>
public sealed class BatchNormRelu : Module<SparseTensor, SparseTensor>
{
    /// <summary>Creates the layer over <paramref name="channels"/> channels.</summary>
    public BatchNormRelu(int channels, float eps = 1e-4f, float momentum = 0.1f)
    {
        Norm = RegisterModule("0", new BatchNorm1d(channels, eps, momentum));
    }

    /// <summary>The BatchNorm.</summary>
    public BatchNorm1d Norm { get; }

    /// <inheritdoc/>
    public override SparseTensor Forward(SparseTensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return input.WithFeatures(LayerProfile.Run("bn-relu", input.Features, Norm.ForwardRelu));
    }
}
