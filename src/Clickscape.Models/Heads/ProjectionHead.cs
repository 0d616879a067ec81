using Clickscape.Models.Profiling;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;

namespace Clickscape.Models.Heads;

/// <summary>
/// Per-voxel two-layer head <c>Linear(C→H) – BatchNorm1d(H) – ReLU – Linear(H→D)</c>, PointGroup's offset branch
/// (Jiang et al., CVPR 2020, §3.1: "a two-layer MLP" predicting the offset to the instance centroid) and the
/// embedding branch of perf-ref/unet_step.py (De Brabandere-style instance embedding). Registered as an
/// nn.Sequential (<c>0</c>, <c>1</c>, <c>2</c>, <c>3</c>) like the script; BatchNorm ε = 1e-4, momentum 0.1.
/// </summary>
public sealed class ProjectionHead : Module<Tensor, Tensor>
{
    /// <summary>Creates the head.</summary>
    public ProjectionHead(int inChannels, int hiddenChannels, int outChannels, Random random, float bnEps = 1e-4f, float bnMomentum = 0.1f)
    {
        ArgumentNullException.ThrowIfNull(random);
        Hidden = RegisterModule("0", new Linear(inChannels, hiddenChannels, random));
        Norm = RegisterModule("1", new BatchNorm1d(hiddenChannels, bnEps, bnMomentum));
        RegisterModule("2", new ReLU());
        Output = RegisterModule("3", new Linear(hiddenChannels, outChannels, random));
        OutChannels = outChannels;
    }

    /// <summary>First linear layer.</summary>
    public Linear Hidden { get; }

    /// <summary>BatchNorm between the layers.</summary>
    public BatchNorm1d Norm { get; }

    /// <summary>Last linear layer.</summary>
    public Linear Output { get; }

    /// <summary>Output width D.</summary>
    public int OutChannels { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) =>
        LayerProfile.Run("heads", input, x => Output.Forward(Norm.ForwardRelu(Hidden.Forward(x))));
}
