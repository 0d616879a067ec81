using Clickscape.Tensors;
using Clickscape.Tensors.Nn;

namespace Clickscape.Models.PartFusion;

/// <summary>
/// One point-wise layer, Linear → BatchNorm → ReLU or LeakyReLU (the 1×1 conv–BN–activation of the reference
/// implementation, REFERENCE.md §6). Parameters <c>linear.*</c>, <c>bn.*</c>.
/// </summary>
public sealed class PointLayer : Module<Tensor, Tensor>
{
    private readonly float _slope;

    /// <summary>Creates the layer; <paramref name="leakySlope"/> 0 = ReLU.</summary>
    public PointLayer(int inFeatures, int outFeatures, Random random, float leakySlope = 0f, float bnEps = 1e-5f, float bnMomentum = 0.1f)
    {
        Linear = RegisterModule("linear", new Linear(inFeatures, outFeatures, random, bias: false));
        Norm = RegisterModule("bn", new BatchNorm1d(outFeatures, bnEps, bnMomentum));
        _slope = leakySlope;
    }

    /// <summary>The linear map.</summary>
    public Linear Linear { get; }

    /// <summary>The normalization.</summary>
    public BatchNorm1d Norm { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var y = Linear.Forward(input);
        return _slope == 0f ? Norm.ForwardRelu(y) : Norm.Forward(y).LeakyRelu(_slope);
    }
}
