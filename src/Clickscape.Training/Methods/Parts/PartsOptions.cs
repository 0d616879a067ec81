using Clickscape.Models.PartFusion;
using Clickscape.Training.Configs;

namespace Clickscape.Training.Methods.Parts;

/// <summary>
/// The <c>model</c> section of <c>parts</c> (type <c>PartFusion-v1</c>, <see cref="PartFusionNet"/>). <c>classes</c> is
/// filled in from the training shapes when the run starts (the node paths of each level, coarse first), so the run's
/// <c>config.json</c> is all <c>predict</c> needs.
/// </summary>
public sealed class PartsModelOptions
{
    /// <summary>baseline | multi-level | fusion-single | fusion-multi | fusion-cross (the paper's best, default).</summary>
    public string Variant { get; set; } = "fusion-cross";

    /// <summary>Levels K of the part hierarchy (PartNet: coarse, middle, fine).</summary>
    public int Levels { get; set; } = 3;

    /// <summary>Sparse U-Net widths, finest first (five levels of resolution as the paper's O-CNN U-Net).</summary>
    public int[] Widths { get; set; } = [32, 48, 64, 96, 128];

    /// <summary>Residual blocks per U-Net level.</summary>
    public int Blocks { get; set; } = 1;

    /// <summary>Point feature width l (the paper: 64).</summary>
    public int FeatureWidth { get; set; } = 64;

    /// <summary>Stop the gradient from the fusion into the semantic probabilities (the paper's default).</summary>
    public bool StopGradient { get; set; } = true;

    /// <summary>probability (default) | one-hot.</summary>
    public string Aggregation { get; set; } = "probability";

    /// <summary>The semantic classes (node paths) of each level, coarse first; empty until the run starts.</summary>
    public string[][] Classes { get; set; } = [];

    /// <summary>The network options (validated).</summary>
    public PartFusionOptions ToNetworkOptions()
    {
        var variant = PartFusionOptions.Parse(Variant)
            ?? throw new ConfigException($"config model.variant '{Variant}': expected one of {string.Join(", ", PartFusionOptions.VariantNames)}");
        var aggregation = Aggregation switch
        {
            "probability" => FusionAggregation.Probability,
            "one-hot" => FusionAggregation.OneHot,
            _ => throw new ConfigException($"config model.aggregation '{Aggregation}': expected probability or one-hot"),
        };
        if (Levels < 1) throw new ConfigException($"config model.levels {Levels}: expected ≥ 1");
        if (Widths.Length == 0 || Widths.Any(w => w < 1) || Blocks < 1 || FeatureWidth < 1) throw new ConfigException("config model: widths, blocks and feature_width must be positive");
        if (Classes.Length != Levels || Classes.Any(c => c is null || c.Length == 0))
            throw new ConfigException($"config model.classes: expected the classes of {Levels} levels (filled in from the training shapes when a run starts), found {Classes.Length}");
        return new PartFusionOptions(Classes.Select(c => c.Length).ToArray(), variant, Widths, Blocks, FeatureWidth, StopGradient, aggregation);
    }
}

/// <summary>The <c>loss</c> section of <c>parts</c> (type <c>PartLoss-v1</c>): Σ over levels of w_sem·CE + w_off·L1(O_I) + w_region·L1(O_S).</summary>
public sealed class PartsLossOptions
{
    /// <summary>Weight of the semantic cross-entropy.</summary>
    public float SemanticWeight { get; set; } = 1f;

    /// <summary>Weight of the instance-centre offset term.</summary>
    public float OffsetWeight { get; set; } = 1f;

    /// <summary>Weight of the semantic-region-centre offset term (0 trains no O_S).</summary>
    public float RegionWeight { get; set; } = 1f;
}

/// <summary>The <c>inference</c> section of <c>parts</c>: <see cref="PartClusteringOptions"/> in snake_case.</summary>
public sealed class PartsInferenceOptions
{
    /// <summary>Mean-shift bandwidth.</summary>
    public double Bandwidth { get; set; } = 0.1;

    /// <summary>λ of Eq. 7 (0 = predicted instance centres only, the † rows).</summary>
    public double Lambda { get; set; } = 0.05;

    /// <summary>Clusters of at most this many points are dropped.</summary>
    public int MinPoints { get; set; } = 10;

    /// <summary>The clustering options (validated).</summary>
    public PartClusteringOptions ToClustering()
    {
        if (!(Bandwidth > 0) || !double.IsFinite(Bandwidth)) throw new ConfigException($"config inference.bandwidth {Bandwidth}: expected > 0");
        if (!(Lambda >= 0) || !double.IsFinite(Lambda)) throw new ConfigException($"config inference.lambda {Lambda}: expected ≥ 0");
        if (MinPoints < 0) throw new ConfigException($"config inference.min_points {MinPoints}: expected ≥ 0");
        return new PartClusteringOptions(Bandwidth, Lambda, MinPoints);
    }
}
