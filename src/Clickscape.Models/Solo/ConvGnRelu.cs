using Clickscape.Tensors;
using Clickscape.Tensors.Nn;

namespace Clickscape.Models.Solo;

/// <summary>3×3 (or k×k) convolution → group norm → ReLU, the unit of SOLOv2's heads (Wang et al., NeurIPS 2020,
/// §3.3: "conv + GN + ReLU"); bias-free because the norm's β takes its place.</summary>
public sealed class ConvGnRelu : Module<Tensor, Tensor>
{
    /// <summary>Creates the unit with at most <paramref name="groups"/> norm groups (the largest count that divides the channels).</summary>
    public ConvGnRelu(int inChannels, int outChannels, Random random, int kernelSize = 3, int stride = 1, int dilation = 1, int groups = 8)
    {
        Conv = RegisterModule("conv", new Conv2d(inChannels, outChannels, kernelSize, random, stride, dilation * (kernelSize / 2), bias: false, dilation: dilation));
        int g = Math.Min(groups, outChannels);
        while (outChannels % g != 0) g--; // the largest group count ≤ groups that divides the channels
        Norm = RegisterModule("gn", new GroupNorm(g, outChannels));
    }

    /// <summary>The convolution.</summary>
    public Conv2d Conv { get; }

    /// <summary>The group norm.</summary>
    public GroupNorm Norm { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Norm.Forward(Conv.Forward(input)).Relu();
}
