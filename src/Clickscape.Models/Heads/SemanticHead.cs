using Clickscape.Models.Profiling;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;

namespace Clickscape.Models.Heads;

/// <summary>
/// Per-voxel semantic classifier, one Linear layer from backbone features to class logits: PointGroup's semantic
/// branch (Jiang et al., CVPR 2020, §3.1, trained with cross-entropy) and perf-ref/unet_step.py's <c>sem</c>
/// (nn.Linear(16, 20), so its parameters are <c>weight</c> and <c>bias</c> directly).
/// </summary>
public sealed class SemanticHead : Module<Tensor, Tensor>
{
    /// <summary>Creates the head.</summary>
    public SemanticHead(int inChannels, int classes, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Classes = classes;
        float bound = 1f / MathF.Sqrt(inChannels);
        Weight = RegisterParameter("weight", Tensor.Uniform(random, -bound, bound, classes, inChannels));
        Bias = RegisterParameter("bias", Tensor.Uniform(random, -bound, bound, classes));
    }

    /// <summary>Number of classes (logits per voxel).</summary>
    public int Classes { get; }

    /// <summary>W [classes, C] (PyTorch nn.Linear initialization U(−1/√C, 1/√C)).</summary>
    public Tensor Weight { get; }

    /// <summary>b [classes].</summary>
    public Tensor Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        LayerProfile.Run("heads", input, x => Clickscape.Tensors.Ops.MatMul.Linear(x, Weight, Bias));
}
