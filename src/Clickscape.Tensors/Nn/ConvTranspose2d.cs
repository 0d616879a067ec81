namespace Clickscape.Tensors.Nn;

/// <summary>
/// 2-D transposed convolution layer (see <see cref="Ops.ConvTranspose2d"/>); weight [Cin, Cout, k, k] and bias
/// initialized like PyTorch's nn.ConvTranspose2d: U(−1/√fan_in, 1/√fan_in) with fan_in = Cout·k² (PyTorch computes
/// the fan from the weight's second dimension).
/// </summary>
public sealed class ConvTranspose2d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with weights drawn from <paramref name="random"/>.</summary>
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, Random random, int stride = 1, int padding = 0, int outputPadding = 0, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        float bound = 1f / MathF.Sqrt(outChannels * kernelSize * kernelSize);
        Weight = RegisterParameter("weight", Tensor.Uniform(random, -bound, bound, inChannels, outChannels, kernelSize, kernelSize));
        if (bias) Bias = RegisterParameter("bias", Tensor.Uniform(random, -bound, bound, outChannels));
        Stride = stride;
        Padding = padding;
        OutputPadding = outputPadding;
    }

    /// <summary>W [Cin, Cout, k, k].</summary>
    public Tensor Weight { get; }

    /// <summary>b [Cout] or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Stride (the upsampling factor).</summary>
    public int Stride { get; }

    /// <summary>Padding removed from each side of the full output.</summary>
    public int Padding { get; }

    /// <summary>Extra rows/columns on the bottom/right (below the stride).</summary>
    public int OutputPadding { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.ConvTranspose2d.Forward(input, Weight, Bias, Stride, Padding, OutputPadding);
}
