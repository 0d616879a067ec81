namespace Clickscape.Tensors.Nn;

/// <summary>
/// Group normalization layer (see <see cref="Ops.GroupNorm"/>) with learnable γ (weight) = 1 and β (bias) = 0 per
/// channel, named like PyTorch's nn.GroupNorm. No running statistics: training and evaluation agree.
/// </summary>
public sealed class GroupNorm : Module<Tensor, Tensor>
{
    /// <summary>Creates the layer; <paramref name="groups"/> must divide <paramref name="channels"/>.</summary>
    public GroupNorm(int groups, int channels, float eps = 1e-5f)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        if (channels % groups != 0) throw new ArgumentException($"GroupNorm: {groups} groups must divide {channels} channels");
        Groups = groups;
        Eps = eps;
        Weight = RegisterParameter("weight", Tensor.Ones(channels));
        Bias = RegisterParameter("bias", Tensor.Zeros(channels));
    }

    /// <summary>Number of groups.</summary>
    public int Groups { get; }

    /// <summary>ε added to the variance.</summary>
    public float Eps { get; }

    /// <summary>γ [C].</summary>
    public Tensor Weight { get; }

    /// <summary>β [C].</summary>
    public Tensor Bias { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Ops.GroupNorm.Forward(input, Groups, Weight, Bias, Eps);
}
