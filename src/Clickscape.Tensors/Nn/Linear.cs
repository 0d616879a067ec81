namespace Clickscape.Tensors.Nn;

/// <summary>
/// Fully connected layer y = x·Wᵀ + b, W [out, in]. Initialization as PyTorch's nn.Linear (Kaiming-uniform
/// with a = √5): W, b ~ U(−1/√in, 1/√in).
/// </summary>
public sealed class Linear : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer with weights drawn from <paramref name="random"/>.</summary>
    public Linear(int inFeatures, int outFeatures, Random random, bool bias = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inFeatures);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outFeatures);
        float bound = 1f / MathF.Sqrt(inFeatures);
        Weight = RegisterParameter("weight", Tensor.Uniform(random, -bound, bound, outFeatures, inFeatures));
        if (bias) Bias = RegisterParameter("bias", Tensor.Uniform(random, -bound, bound, outFeatures));
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
    }

    /// <summary>Input width.</summary>
    public int InFeatures { get; }

    /// <summary>Output width.</summary>
    public int OutFeatures { get; }

    /// <summary>W [out, in].</summary>
    public Tensor Weight { get; }

    /// <summary>b [out] or null.</summary>
    public Tensor? Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.MatMul.Linear(input, Weight, Bias);
}
