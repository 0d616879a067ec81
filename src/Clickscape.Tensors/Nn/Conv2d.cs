namespace Clickscape.Tensors.Nn;

/// <summary>
/// 2-D convolution layer over NCHW images (see <see cref="Ops.Conv2d"/>); weight [Cout, Cin, k, k] and bias
/// initialized like PyTorch's nn.Conv2d: U(−1/√fan_in, 1/√fan_in), fan_in = Cin·k².
/// </summary>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with weights drawn from <paramref name="random"/>.</summary>
    public Conv2d(int inChannels, int outChannels, int kernelSize, Random random, int stride = 1, int padding = 0, bool bias = true, int dilation = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        float bound = 1f / MathF.Sqrt(inChannels * kernelSize * kernelSize);
        Weight = RegisterParameter("weight", Tensor.Uniform(random, -bound, bound, outChannels, inChannels, kernelSize, kernelSize));
        if (bias) Bias = RegisterParameter("bias", Tensor.Uniform(random, -bound, bound, outChannels));
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
    }

    /// <summary>W [Cout, Cin, k, k].</summary>
    public Tensor Weight { get; }

    /// <summary>b [Cout] or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Stride.</summary>
    public int Stride { get; }

    /// <summary>Zero padding on each side.</summary>
    public int Padding { get; }

    /// <summary>Spacing of the kernel taps (1 = a plain convolution).</summary>
    public int Dilation { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Conv2d.Forward(input, Weight, Bias, Stride, Padding, Dilation);
}

/// <summary>Max pooling as a module.</summary>
public sealed class MaxPool2d(int kernelSize, int stride = -1, int padding = 0) : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Pool2d.Max(input, kernelSize, stride, padding);
}

/// <summary>Average pooling as a module.</summary>
public sealed class AvgPool2d(int kernelSize, int stride = -1, int padding = 0) : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Pool2d.Average(input, kernelSize, stride, padding);
}
