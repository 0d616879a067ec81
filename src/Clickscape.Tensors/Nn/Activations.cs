namespace Clickscape.Tensors.Nn;

/// <summary>ReLU as a module.</summary>
public sealed class ReLU : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Activations.Relu(input);
}

/// <summary>LeakyReLU as a module (negative slope 0.01 by default; SegGroup uses 0.2).</summary>
public sealed class LeakyReLU(float negativeSlope = 0.01f) : Module<Tensor, Tensor>
{
    /// <summary>The slope for x &lt; 0.</summary>
    public float NegativeSlope { get; } = negativeSlope;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Activations.LeakyRelu(input, NegativeSlope);
}

/// <summary>Sigmoid as a module.</summary>
public sealed class Sigmoid : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Activations.Sigmoid(input);
}

/// <summary>Tanh as a module.</summary>
public sealed class Tanh : Module<Tensor, Tensor>
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.Activations.Tanh(input);
}

/// <summary>Dropout as a module: active in training mode; in evaluation mode (or p = 0) it returns the input
/// tensor itself, not a copy. Seeded.</summary>
public sealed class Dropout(float p, Random random) : Module<Tensor, Tensor>
{
    private readonly Random _random = random ?? throw new ArgumentNullException(nameof(random));

    /// <summary>Drop probability.</summary>
    public float P { get; } = p;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Training && P > 0f ? Ops.Dropout.Forward(input, P, _random) : input;
}
