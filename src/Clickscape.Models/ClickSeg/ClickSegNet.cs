using Clickscape.Models.PointGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.ClickSeg;

/// <summary>
/// ClickSeg's network (Liu et al., "ClickSeg", §3): the PointGroup sparse U-Net with semantic, embedding and offset
/// heads (<see cref="PgUNet"/>), plus the two bandwidths of the similarity (Eq. 3 and 5), σ_e for the embedding
/// distance and σ_p for the spatial distance, learned as scalars ("σ_e and σ_p are learned to automatically weight
/// these two terms as in [13]"). They are stored as ln σ so that σ stays positive.
/// </summary>
public sealed class ClickSegNet : Module<SparseTensor, PgUNetOutput>
{
    /// <summary>The network around <paramref name="net"/> with σ_e = <paramref name="sigmaE"/> and σ_p = <paramref name="sigmaP"/> at the start.</summary>
    public ClickSegNet(PgUNet net, float sigmaE = 1f, float sigmaP = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(net);
        if (!(sigmaE > 0) || !(sigmaP > 0)) throw new ArgumentOutOfRangeException(nameof(sigmaE), "ClickSegNet: σ_e and σ_p must be > 0");
        Net = RegisterModule("net", net);
        LogSigmaE = RegisterParameter("log_sigma_e", Tensor.FromArray([MathF.Log(sigmaE)], 1));
        LogSigmaP = RegisterParameter("log_sigma_p", Tensor.FromArray([MathF.Log(sigmaP)], 1));
    }

    /// <summary>The U-Net and its heads.</summary>
    public PgUNet Net { get; }

    /// <summary>ln σ_e, shape [1].</summary>
    public Tensor LogSigmaE { get; }

    /// <summary>ln σ_p, shape [1].</summary>
    public Tensor LogSigmaP { get; }

    /// <summary>The current σ_e.</summary>
    public float SigmaE => MathF.Exp(LogSigmaE.Data[0]);

    /// <summary>The current σ_p.</summary>
    public float SigmaP => MathF.Exp(LogSigmaP.Data[0]);

    /// <inheritdoc/>
    public override PgUNetOutput Forward(SparseTensor input) => Net.Forward(input);
}
