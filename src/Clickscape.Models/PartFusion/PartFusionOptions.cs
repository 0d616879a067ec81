namespace Clickscape.Models.PartFusion;

/// <summary>
/// The network variants of Sun et al. (§4.1.2, Table 4): how many networks, and how instance features are fused.
/// </summary>
public enum PartFusionVariant
{
    /// <summary>Single-level baseline: one network per level (no shared parameters), no fusion.</summary>
    Baseline,

    /// <summary>Multi-level baseline: one network with K semantic and K offset heads, no fusion.</summary>
    MultiLevel,

    /// <summary>Single-level fusion: the single-level baseline with the fusion of Eq. 3–4 at its level.</summary>
    FusionSingle,

    /// <summary>Multi-level fusion: the multi-level baseline with single-level fusion (Eq. 3–4) on each level.</summary>
    FusionMulti,

    /// <summary>Cross-level fusion (the paper's best, its default): level k fuses over the probabilities of every level (Eq. 5–6).</summary>
    FusionCross,
}

/// <summary>How the fusion weighs a point's part features (§4.1.2 "Instance feature aggregation").</summary>
public enum FusionAggregation
{
    /// <summary>By the semantic probability vector (the paper's default).</summary>
    Probability,

    /// <summary>By the one-hot vector of the predicted class (<c>cross-level fusion(one-hot)</c>).</summary>
    OneHot,
}

/// <summary>Options of <see cref="PartFusionNet"/>.</summary>
/// <param name="Classes">Semantic classes per level, coarse first (K = the count).</param>
/// <param name="Variant">Network variant.</param>
/// <param name="Widths">Sparse U-Net widths per level, finest first.</param>
/// <param name="Blocks">Residual blocks per U-Net level.</param>
/// <param name="FeatureWidth">Width l of the point-wise semantic and instance features (the paper: 64).</param>
/// <param name="StopGradient">Stop the gradient from the fusion into the semantic probabilities (the paper's default).</param>
/// <param name="Aggregation">Probability (default) or one-hot aggregation.</param>
public sealed record PartFusionOptions(IReadOnlyList<int> Classes, PartFusionVariant Variant, IReadOnlyList<int> Widths, int Blocks = 1,
    int FeatureWidth = 64, bool StopGradient = true, FusionAggregation Aggregation = FusionAggregation.Probability)
{
    /// <summary>Levels K.</summary>
    public int Levels => Classes.Count;

    /// <summary>Whether every level has its own network (the single-level variants).</summary>
    public bool SingleLevel => Variant is PartFusionVariant.Baseline or PartFusionVariant.FusionSingle;

    /// <summary>Whether the offset heads see fused instance features.</summary>
    public bool Fusion => Variant is PartFusionVariant.FusionSingle or PartFusionVariant.FusionMulti or PartFusionVariant.FusionCross;

    /// <summary>The levels r whose probabilities level k fuses over (0-based): none, k itself, or all (cross-level).</summary>
    public IReadOnlyList<int> FusedLevels(int k) =>
        !Fusion ? [] : Variant == PartFusionVariant.FusionCross ? Enumerable.Range(0, Levels).ToArray() : [k];

    /// <summary>The variant's command-line name.</summary>
    public static string NameOf(PartFusionVariant variant) => variant switch
    {
        PartFusionVariant.Baseline => "baseline",
        PartFusionVariant.MultiLevel => "multi-level",
        PartFusionVariant.FusionSingle => "fusion-single",
        PartFusionVariant.FusionMulti => "fusion-multi",
        _ => "fusion-cross",
    };

    /// <summary>The variants by command-line name.</summary>
    public static IReadOnlyList<string> VariantNames { get; } = Enum.GetValues<PartFusionVariant>().Select(NameOf).ToArray();

    /// <summary>The variant called <paramref name="name"/>, or null.</summary>
    public static PartFusionVariant? Parse(string name) =>
        Enum.GetValues<PartFusionVariant>().Where(v => NameOf(v) == name).Select(v => (PartFusionVariant?)v).FirstOrDefault();
}
