using System.Text.Json.Nodes;
using Clickscape.Data.Classes;
using Clickscape.Models.ClickSeg;
using Clickscape.Models.PointGroup;
using Clickscape.Tensors.Nn;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Methods.Full;

namespace Clickscape.Training.Methods.ClickSeg;

/// <summary>
/// ClickSeg (Liu et al., "ClickSeg: 3D Instance Segmentation with Click-Level Weak Annotations") as three training
/// methods on the shared trainer: <c>weak</c> (seg-level labels only, §3.1), <c>clickseg-base</c> (the baseline
/// version) and <c>clickseg</c> (the click annotation version, Alg. 1). The network is PointGroup's U-Net with
/// semantic, embedding and offset heads plus the learned σ_e, σ_p (<see cref="ClickSegNet"/>; the <c>model</c> section
/// of type <c>PG-v1m1</c>); the loss is <see cref="ClickSegLoss"/> (section type <c>ClickSeg-v1</c>,
/// <see cref="ClickSegLossOptions"/>); inference is <see cref="ClickSegInference"/> (<see cref="ClickSegInferenceOptions"/>).
/// Training reads the clicks (<c>--clicks DIR</c>, else simulated, <see cref="SceneClicks.ForTraining"/>), never the
/// scenes' labels.
/// </summary>
public sealed class ClickSegMethod(ClickSegVariant variant) : TrainingMethod
{
    /// <summary>The loss section type.</summary>
    public const string LossType = "ClickSeg-v1";

    /// <summary>The version.</summary>
    public ClickSegVariant Variant { get; } = variant;

    /// <inheritdoc/>
    public override string Name => Variant switch
    {
        ClickSegVariant.Weak => "weak",
        ClickSegVariant.Base => "clickseg-base",
        _ => "clickseg",
    };

    /// <inheritdoc/>
    public override IReadOnlyList<int> ClassIds => ScanNetBenchmark.Semantic20Ids;

    /// <inheritdoc/>
    public override bool TrainsOnGroundTruth => false;

    /// <inheritdoc/>
    /// <remarks>Replaces the preset's <c>loss</c> and <c>inference</c> sections (PointGroup's) by this method's defaults;
    /// fusion (Eq. 6) is on for <c>clickseg</c> only, as in the paper's Tab. 3 and 6. Adds the <c>PseudoEvaluate-v1</c> hook
    /// (the pseudo labels' accuracy on the training scenes as training goes, Fig. 3) when the preset has none.</remarks>
    public override JsonObject Configure(JsonObject preset)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var json = (JsonObject)preset.DeepClone();
        json["loss"] = new JsonObject { ["type"] = LossType };
        var grouping = preset["inference"]?["grouping"]?.DeepClone(); // the preset's dual-set radius, for inference.clustering dual_set
        json["inference"] = new JsonObject { ["fusion"] = Variant == ClickSegVariant.Click };
        if (grouping is not null && Variant == ClickSegVariant.Click) json["inference"]!["grouping"] = grouping;
        // clickseg's mean-shift runs in [e/σ_e, (p+o)/σ_p]; with the learned σ_e ≈ 2 a window of 0.4 there is ≈ 0.8 in e,
        // the scale the pull/push margins give the embeddings (weak and clickseg-base keep 1.0 in plain e). Chosen on the
        // benchmark's generated val rooms (RESULTS.md §10b: AP50 47.4 at 1.0 → 53.1 at 0.4, same weights).
        if (Variant == ClickSegVariant.Click)
        {
            json["inference"]!["bandwidth"] = 0.4;
            // Algorithm 1 from epoch t = epochs / 6 instead of the paper's epochs / 2, and θ 0.3 instead of 0.9: on the
            // benchmark's generated val rooms (RESULTS.md §10b–c) t = 20 of 120 raised AP50 53.6 → 57.3, then θ 0.5 → 62.6
            // and θ 0.3 → 66.3. Our S (Eq. 5 with learned σ) rarely reaches 0.9: θ 0.9 kept 8–36 % of the voxels' pseudo
            // semantics, θ 0.5 42–91 %, θ 0.3 59–97 %. `{"loss": {"theta": 0.9, "pseudo_start_fraction": 0.5}}` is the paper's setting.
            json["loss"]!["theta"] = 0.3;
            json["loss"]!["pseudo_start_fraction"] = 1.0 / 6;
            // The semantic CE weighted by √(median / n_c) of the clicks' seg-level points (ClickClassWeights; not the paper's).
            // With the paper's unweighted CE the embedding loss crowded the look-alike classes out of the small U-Net's 16
            // shared channels (refrigerator 0 IoU); on the 30 generated tuning rooms (RESULTS.md §10f) AP50 63.5 → 81.9,
            // mIoU 62.5 → 77.3. `{"loss": {"class_balance": "none"}}` restores the paper's.
            json["loss"]!["class_balance"] = "sqrt_inverse";
        }
        if (json["hooks"] is JsonArray hooks && !hooks.Any(h => h?["type"]?.GetValue<string>() == "PseudoEvaluate-v1"))
            hooks.Add(new JsonObject { ["type"] = "PseudoEvaluate-v1" });
        return json;
    }

    /// <inheritdoc/>
    public override Module CreateModel(TrainConfig config, int seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        string type = ConfigBinding.TypeOf(config.Model, "model");
        if (type != "PG-v1m1") throw new ConfigException($"config section 'model': method '{Name}' builds on PointGroup's U-Net (PG-v1m1), not '{type}'");
        var o = ConfigBinding.Bind<PointGroupModelOptions>(config.Model, "model", "type");
        if (o.Widths.Length == 0 || o.Widths.Any(w => w < 1) || o.Blocks < 1 || o.Embedding < 1) throw new ConfigException("config model: widths, blocks and embedding must be positive");
        return new ClickSegNet(new PgUNet(new Random(seed), PreparedScene.Channels, o.Widths, o.Blocks, ClassIds.Count, o.Embedding, o.BnEps, o.BnMomentum, o.Fusion));
    }

    /// <summary>The loss options of <paramref name="config"/>.</summary>
    public static ClickSegLossOptions LossOptions(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string type = ConfigBinding.TypeOf(config.Loss, "loss");
        if (type != LossType) throw new ConfigException($"config section 'loss': the click methods need type '{LossType}', not '{type}'");
        var o = ConfigBinding.Bind<ClickSegLossOptions>(config.Loss, "loss", "type");
        o.Validate();
        return o;
    }

    /// <summary>The inference options of <paramref name="config"/>.</summary>
    public static ClickSegInferenceOptions InferenceOptions(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var o = ConfigBinding.Bind<ClickSegInferenceOptions>(config.Inference, "inference");
        o.Validate();
        return o;
    }

    /// <summary>The inference options of <paramref name="config"/> for this version: <c>dual_set</c> needs the offsets only <c>clickseg</c> learns.</summary>
    private ClickSegInferenceOptions Inference(TrainConfig config)
    {
        var o = InferenceOptions(config);
        if (o.Clustering == "dual_set" && Variant != ClickSegVariant.Click)
            throw new ConfigException($"config inference.clustering 'dual_set': needs the offsets only 'clickseg' learns, not '{Name}'; use mean_shift");
        return o;
    }

    /// <inheritdoc/>
    public override object CreateLoss(TrainConfig config)
    {
        LossOptions(config);
        Inference(config);
        throw new ConfigException($"method '{Name}' trains from clicks: it needs the training scenes (use the trainer)");
    }

    /// <inheritdoc/>
    public override object CreateLoss(TrainConfig config, TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        var options = LossOptions(config);
        var inference = Inference(config);
        if (data.Labels is not null)
            throw new ConfigException($"--labels {data.Labels}: method '{Name}' trains from clicks (--clicks DIR, or simulated), not from a labels folder; train 'full' on pseudo labels");
        var clicks = SceneClicks.ForTraining(data, options.SimulatePolicy, options.SimulateSeed);
        BaselinePseudoLabels? baseline = null;
        if (Variant == ClickSegVariant.Base)
            baseline = new BaselinePseudoLabels(data.Scenes, data.Prepare ?? throw new ArgumentException("clickseg-base labels the training set itself: TrainingData.Prepare is needed", nameof(data)),
                data.RunRoot, inference.Bandwidth);
        var loss = new ClickSegLoss(Variant, options, inference, clicks, ClassIds, config.Loop.Epochs, baseline);
        if (loss.ClassWeights is { } weights)
            data.Message($"{Name}: semantic CE class weights (sqrt_inverse of the clicks' seg-level points): " + string.Join(", ",
                weights.Select((w, q) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{ScanNetBenchmark.Semantic20Names[q]} {w:F2}"))));
        if (Variant != ClickSegVariant.Weak)
            data.Message($"{Name}: pseudo labels from epoch {loss.PseudoStartEpoch + 1}" + (Variant == ClickSegVariant.Click ? $", D_p on p + o from epoch {loss.ShiftedPositionsEpoch + 1}, assignment {options.Assignment}" : $", made again every {loss.RegenerateEveryEpochs} epochs"));
        return loss;
    }

    /// <inheritdoc/>
    /// <remarks>The scene's labels become the seg-level labels of its clicks (a scene without clicks trains on nothing).</remarks>
    public override PreparedScene TrainingScene(object loss, PreparedScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var clicks = ((ClickSegLoss)loss).Clicks;
        if (!clicks.TryGetValue(scene.Name, out var c)) return scene with { Semantic = new int[scene.PointCount], Instance = new int[scene.PointCount] };
        if (c.WeakSemantic.Length != scene.PointCount)
            throw new Clickscape.Data.IO.DataFormatException(scene.Name, $"clicks were expanded over {c.WeakSemantic.Length} points, the scene has {scene.PointCount}");
        return scene with { Semantic = ScanNetBenchmark.ToSemantic20(c.WeakSemantic), Instance = c.WeakInstance };
    }

    /// <inheritdoc/>
    public override LossTerms Loss(Module model, object loss, TrainingBatch batch) => ((ClickSegLoss)loss).Compute((ClickSegNet)model, batch);

    /// <inheritdoc/>
    /// <remarks>PSEUDO_GEN seeded with the scene's clicks (<see cref="ClickSegPseudoLabeler.Label"/>), the labels <c>pseudo-label</c> writes.</remarks>
    public override ScenePrediction? PseudoLabel(Module model, TrainConfig config, object loss, PreparedScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if (!((ClickSegLoss)loss).Clicks.TryGetValue(scene.Name, out var clicks)) return null;
        return ClickSegPseudoLabeler.Label((ClickSegNet)model, this, LossOptions(config), scene, new Clickscape.Data.Clicks.ClickSet(scene.Name, "training", null, clicks.Clicks), clicks.WeakInstance);
    }

    /// <inheritdoc/>
    public override ScenePrediction Predict(Module model, TrainConfig config, PreparedScene scene) =>
        ClickSegInference.Predict((ClickSegNet)model, scene, ClassIds, Variant, LossOptions(config), Inference(config));
}
