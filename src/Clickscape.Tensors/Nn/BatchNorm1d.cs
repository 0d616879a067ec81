namespace Clickscape.Tensors.Nn;

/// <summary>
/// Batch normalization over channels of [N, C] (or [N, C, L]) inputs, with learnable γ (weight), β (bias)
/// and running statistics (running_mean, running_var) as buffers named like PyTorch's. See
/// <see cref="Ops.BatchNorm"/> for the equations. <see cref="BatchNorm2d"/> is the same over [N, C, H, W].
/// </summary>
public class BatchNorm1d : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer: γ = 1, β = 0, running mean 0, running variance 1.</summary>
    public BatchNorm1d(int channels, float eps = 1e-5f, float momentum = 0.1f, bool affine = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        Eps = eps;
        Momentum = momentum;
        if (affine)
        {
            Weight = RegisterParameter("weight", Tensor.Ones(channels));
            Bias = RegisterParameter("bias", Tensor.Zeros(channels));
        }
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros(channels));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones(channels));
    }

    /// <summary>ε added to the variance.</summary>
    public float Eps { get; set; }

    /// <summary>Weight of the new batch statistic in the running average.</summary>
    public float Momentum { get; set; }

    /// <summary>γ or null.</summary>
    public Tensor? Weight { get; }

    /// <summary>β or null.</summary>
    public Tensor? Bias { get; }

    /// <summary>Running mean per channel.</summary>
    public Tensor RunningMean { get; }

    /// <summary>Running (unbiased) variance per channel.</summary>
    public Tensor RunningVar { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.BatchNorm.Forward(input, Weight, Bias, RunningMean, RunningVar, Training, Momentum, Eps);

    /// <summary>ReLU(BatchNorm(input)) as one fused operation (same results, one pass fewer each way; see
    /// <see cref="Ops.BatchNorm"/>).</summary>
    public Tensor ForwardRelu(Tensor input) => Ops.BatchNorm.Forward(input, Weight, Bias, RunningMean, RunningVar, Training, Momentum, Eps, relu: true);
}

/// <summary>Batch normalization over the channels of [N, C, H, W] images.</summary>
public sealed class BatchNorm2d : BatchNorm1d
{
    /// <summary>Creates the layer.</summary>
    public BatchNorm2d(int channels, float eps = 1e-5f, float momentum = 0.1f, bool affine = true) : base(channels, eps, momentum, affine)
    {
    }
}
