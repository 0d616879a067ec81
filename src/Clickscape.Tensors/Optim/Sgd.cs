using System.Numerics.Tensors;

namespace Clickscape.Tensors.Optim;

/// <summary>
/// Stochastic gradient descent with momentum, Nesterov momentum (Sutskever et al., ICML 2013) and L2 weight
/// decay, with PyTorch's update: g ← g + λθ; b ← μb + (1 − τ)g (b = g on the first step);
/// g ← g + μb (Nesterov) or b; θ ← θ − η g.
/// </summary>
public sealed class Sgd : Optimizer
{
    private float[]?[] _momentum;

    /// <summary>Creates the optimizer.</summary>
    public Sgd(IEnumerable<Tensor> parameters, float learningRate, float momentum = 0f, float weightDecay = 0f, bool nesterov = false, float dampening = 0f)
        : this([new ParameterGroup(parameters?.ToList() ?? throw new ArgumentNullException(nameof(parameters)))], learningRate, momentum, weightDecay, nesterov, dampening)
    {
    }

    /// <summary>Creates the optimizer over parameter groups (a group's weight decay overrides <paramref name="weightDecay"/>).</summary>
    public Sgd(IEnumerable<ParameterGroup> groups, float learningRate, float momentum = 0f, float weightDecay = 0f, bool nesterov = false, float dampening = 0f)
        : base(groups, learningRate)
    {
        if (nesterov && (momentum <= 0f || dampening != 0f)) throw new ArgumentException("Sgd: Nesterov momentum needs momentum > 0 and dampening 0");
        Momentum = momentum;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        Dampening = dampening;
        _momentum = new float[Parameters.Count][];
    }

    /// <summary>μ.</summary>
    public float Momentum { get; }

    /// <summary>λ (L2 penalty added to the gradient).</summary>
    public float WeightDecay { get; }

    /// <summary>Use Nesterov momentum.</summary>
    public bool Nesterov { get; }

    /// <summary>τ.</summary>
    public float Dampening { get; }

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, float[]?[] Slots)> StateSlots() => [("momentum_buffer", _momentum)];

    /// <inheritdoc/>
    protected override void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient)
    {
        Span<float> g = parameter.Length <= 4096 ? stackalloc float[parameter.Length] : new float[parameter.Length];
        gradient.CopyTo(g);
        float wd = WeightDecayOf(index, WeightDecay);
        if (wd != 0f) TensorPrimitives.MultiplyAdd(parameter, wd, g, g);
        if (Momentum != 0f)
        {
            bool first = _momentum[index] is null;
            var b = State(ref _momentum, index, parameter.Length);
            if (first) g.CopyTo(b);
            else
            {
                TensorPrimitives.Multiply(b, Momentum, b);
                TensorPrimitives.MultiplyAdd(g, 1f - Dampening, b, b);
            }
            if (Nesterov) TensorPrimitives.MultiplyAdd(b, Momentum, g, g);
            else b.CopyTo(g);
        }
        TensorPrimitives.MultiplyAdd(g, -LearningRateOf(index), parameter, parameter);
    }
}
