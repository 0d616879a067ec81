namespace Clickscape.Training.Methods.ClickSeg;

/// <summary>
/// The <c>loss</c> section of <c>weak</c>, <c>clickseg-base</c> and <c>clickseg</c> (type <c>ClickSeg-v1</c>, snake_case
/// keys). Defaults are the paper's (§4.1): δ_v 0.2, δ_d 1.5, α 0.6, β 1.5, θ 0.9.
/// </summary>
public sealed class ClickSegLossOptions
{
    /// <summary>Weight of the semantic cross-entropy (weak labels and pseudo labels alike).</summary>
    public float SemanticWeight { get; set; } = 1f;

    /// <summary>Weight of the discriminative loss (Eq. 1 + 2).</summary>
    public float DiscriminativeWeight { get; set; } = 1f;

    /// <summary>Weight of the offset L1 term on the pseudo instances (<c>clickseg</c> only).</summary>
    public float OffsetWeight { get; set; } = 1f;

    /// <summary>Weight of the offset direction term on the pseudo instances (<c>clickseg</c> only).</summary>
    public float DirectionWeight { get; set; } = 1f;

    /// <summary>Weight of the loss that learns σ_e and σ_p (<c>clickseg</c> only).</summary>
    public float SigmaWeight { get; set; } = 1f;

    /// <summary>Pull margin δ_v.</summary>
    public float DeltaVar { get; set; } = 0.2f;

    /// <summary>Push margin δ_d.</summary>
    public float DeltaDist { get; set; } = 1.5f;

    /// <summary>Epoch t (0-based) from which pseudo labels are generated; null = <see cref="PseudoStartFraction"/> of <c>train.epochs</c>.</summary>
    public int? PseudoStartEpoch { get; set; }

    /// <summary>t as a share of <c>train.epochs</c> (rounded down) when <see cref="PseudoStartEpoch"/> is not given: the paper's
    /// 0.5 (250 of 500); <c>clickseg</c>'s configuration sets 1/6 (see <c>ClickSegMethod.Configure</c>).</summary>
    public double PseudoStartFraction { get; set; } = 0.5;

    /// <summary>Epoch from which D_p uses offset-shifted positions p + o; null = halfway between t and the last epoch.</summary>
    public int? ShiftedPositionsEpoch { get; set; }

    /// <summary>r of the baseline version: its pseudo labels are made again every r epochs from t on; null = (epochs − t) / 3 (three generations), at least 1.</summary>
    public int? RegenerateEveryEpochs { get; set; }

    /// <summary>θ: pseudo semantic labels are kept where the similarity to the matched clicked point is ≥ θ.</summary>
    public float Theta { get; set; } = 0.9f;

    /// <summary>α of the baseline version: Eq. 1 only on points with ‖μ_c − e_i‖ &lt; α.</summary>
    public float Alpha { get; set; } = 0.6f;

    /// <summary>β of the baseline version: Eq. 2 only on instance pairs with ‖μ_A − μ_B‖ &gt; β.</summary>
    public float Beta { get; set; } = 1.5f;

    /// <summary><c>kmeans</c> (k-means seeded with the clicked points, the paper's choice) or <c>nearest</c> (each voxel joins the most
    /// similar clicked point, Tab. 4's ablation). Multi-click sets always use the mean similarity to each instance's clicks.</summary>
    public string Assignment { get; set; } = "kmeans";

    /// <summary>Use the embedding distance D_e in the similarity.</summary>
    public bool EmbeddingTerm { get; set; } = true;

    /// <summary>Use the spatial distance D_p in the similarity.</summary>
    public bool SpatialTerm { get; set; } = true;

    /// <summary>Use the semantic cosine Q in the similarity.</summary>
    public bool SemanticTerm { get; set; } = true;

    /// <summary>PSEUDO_GEN labels only the voxels the clicked over-segments leave unlabelled (§3.1: "pseudo instance labels for all
    /// unlabeled points"): a voxel whose seg-level instance is known keeps it (and, in the k-means, still moves its cluster's
    /// centre); <c>pseudo-label</c> keeps every point of a clicked segment on its click. False assigns every voxel by similarity alone.</summary>
    public bool KeepSegLabels { get; set; } = true;

    /// <summary>Class weights of the semantic CE (weak and pseudo labels alike): <c>none</c> (the paper's unweighted CE) or
    /// <c>sqrt_inverse</c> (<see cref="ClickClassWeights.SqrtInverseFrequency"/>, from the clicks' seg-level labels).</summary>
    public string ClassBalance { get; set; } = "none";

    /// <summary>Iteration limit of the seeded k-means.</summary>
    public int KMeansIterations { get; set; } = 10;

    /// <summary>Click policy simulated when no <c>--clicks</c> folder is given (1t1c, 1t2c, 1t3c).</summary>
    public string SimulatePolicy { get; set; } = "1t1c";

    /// <summary>Seed of the simulated clicks (scene k of the split uses seed + k).</summary>
    public int SimulateSeed { get; set; } = 1;

    internal void Validate()
    {
        if (Assignment is not ("kmeans" or "nearest")) throw new Configs.ConfigException($"config loss.assignment '{Assignment}': expected kmeans or nearest");
        if (!(DeltaVar >= 0) || !(DeltaDist > 0)) throw new Configs.ConfigException("config loss: delta_var must be ≥ 0 and delta_dist > 0");
        if (!(Theta >= 0 && Theta <= 1)) throw new Configs.ConfigException($"config loss.theta {Theta}: expected 0..1");
        if (!(Alpha > 0) || !(Beta >= 0)) throw new Configs.ConfigException("config loss: alpha must be > 0 and beta ≥ 0");
        if (!(PseudoStartFraction >= 0 && PseudoStartFraction <= 1)) throw new Configs.ConfigException($"config loss.pseudo_start_fraction {PseudoStartFraction}: expected 0..1");
        if (PseudoStartEpoch is < 0 || ShiftedPositionsEpoch is < 0) throw new Configs.ConfigException("config loss: pseudo_start_epoch and shifted_positions_epoch must be ≥ 0");
        if (RegenerateEveryEpochs is < 1) throw new Configs.ConfigException($"config loss.regenerate_every_epochs {RegenerateEveryEpochs}: expected ≥ 1");
        if (ClassBalance is not ("none" or "sqrt_inverse")) throw new Configs.ConfigException($"config loss.class_balance '{ClassBalance}': expected none or sqrt_inverse");
        if (KMeansIterations < 1) throw new Configs.ConfigException($"config loss.k_means_iterations {KMeansIterations}: expected ≥ 1");
        Clickscape.Data.Clicks.ClickPolicyNames.Parse(SimulatePolicy);
    }
}

/// <summary>The <c>inference</c> section of the three click methods: mean-shift over the similarity, instance filter and the fusion of Eq. 6.</summary>
public sealed class ClickSegInferenceOptions
{
    /// <summary>Flat-kernel bandwidth of the mean-shift in the scaled space [e/σ_e, (p + o)/σ_p]: a window holds the voxels with S ≥ exp(−bandwidth²).</summary>
    public float Bandwidth { get; set; } = 1f;

    /// <summary>Instances with fewer points are dropped.</summary>
    public int MinInstancePoints { get; set; } = 50;

    /// <summary>Semantic fusion (Eq. 6).</summary>
    public bool Fusion { get; set; } = true;

    /// <summary>γ of Eq. 6: only pairs with S &gt; γ are fused.</summary>
    public float Gamma { get; set; } = 0.3f;

    /// <summary>
    /// How instances are formed from the (fused) classes: <c>mean_shift</c> over the similarity space (the paper, §3.2), or
    /// <c>dual_set</c>, PointGroup's ball-query grouping on p and p + o of the points with the offset head's o (what
    /// <c>full</c> runs; <c>clickseg</c> only, the other versions learn no offsets).
    /// </summary>
    public string Clustering { get; set; } = "mean_shift";

    /// <summary>
    /// Parameters of the <c>dual_set</c> grouping: the key <c>full</c> reads, so a preset's <c>inference.grouping</c> (the
    /// <c>cpu</c> preset's 9 cm radius for the benchmark's vertex spacing) applies to both; else PointGroup's test configuration.
    /// </summary>
    public Clickscape.Models.PointGroup.PgGroupingOptions Grouping { get; set; } = new();

    internal void Validate()
    {
        if (Clustering is not ("mean_shift" or "dual_set")) throw new Configs.ConfigException($"config inference.clustering '{Clustering}': expected mean_shift or dual_set");
        if (!(Grouping.Radius > 0) || !float.IsFinite(Grouping.Radius)) throw new Configs.ConfigException($"config inference.grouping.radius {Grouping.Radius}: expected a finite number > 0");
        if (!(Bandwidth > 0) || !float.IsFinite(Bandwidth)) throw new Configs.ConfigException($"config inference.bandwidth {Bandwidth}: expected > 0");
        if (MinInstancePoints < 1) throw new Configs.ConfigException($"config inference.min_instance_points {MinInstancePoints}: expected ≥ 1");
        if (!(Gamma >= 0 && Gamma < 1)) throw new Configs.ConfigException($"config inference.gamma {Gamma}: expected 0 ≤ γ < 1");
    }
}
