using System.Text.Json.Nodes;
using Clickscape.Data.Classes;
using Clickscape.Geometry.Interactive;
using Clickscape.Models.Interactive;
using Clickscape.Tensors.Nn;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;

namespace Clickscape.Training.Methods.Interactive;

/// <summary>
/// The interactive single-object segmentation methods on the shared trainer: <c>interactive</c> (the paper's network,
/// Kontogianni et al., "Interactive Object Segmentation in 3D Point Clouds", ICRA 2023; <see cref="InteractiveNet"/>)
/// and <c>interactive-fast</c> (cached backbone + click-attention head after AGILE3D; <see cref="InteractiveFastNet"/>).
/// Model section <c>Interactive-v1</c> / <c>InteractiveFast-v1</c> (<see cref="InteractiveModelOptions"/>), loss section
/// <c>InteractiveCE-v1</c> (<see cref="InteractiveLossOptions"/>, <see cref="InteractiveLoss"/>). A trained run is used through
/// <see cref="Open"/> (an <see cref="IInteractiveSegmenter"/> per scene) and scored by <c>clickscape interactive evaluate</c>,
/// not by <c>predict</c>.
/// </summary>
public sealed class InteractiveMethod(InteractiveVariant variant) : TrainingMethod
{
    /// <summary>The loss section type.</summary>
    public const string LossType = "InteractiveCE-v1";

    /// <summary>The network trained.</summary>
    public InteractiveVariant Variant { get; } = variant;

    /// <inheritdoc/>
    public override string Name => Variant == InteractiveVariant.Paper ? "interactive" : "interactive-fast";

    /// <summary>The model section type of this variant.</summary>
    public string ModelType => Variant == InteractiveVariant.Paper ? "Interactive-v1" : "InteractiveFast-v1";

    /// <inheritdoc/>
    /// <remarks>Objects are drawn from the 20 benchmark classes ("seen"); the collator's semantic targets are unused.</remarks>
    public override IReadOnlyList<int> ClassIds => ScanNetBenchmark.Semantic20Ids;

    /// <inheritdoc/>
    /// <remarks>
    /// Replaces the preset's model, loss, inference and hooks (no ScanNet-AP evaluation: a checkpoint every 25 steps) and
    /// keeps whole rooms (the object crop is made in the loss): no point-budget crop, no elastic distortion.
    /// </remarks>
    public override JsonObject Configure(JsonObject preset)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var json = (JsonObject)preset.DeepClone();
        json["model"] = new JsonObject { ["type"] = ModelType };
        json["loss"] = new JsonObject { ["type"] = LossType };
        json["inference"] = new JsonObject();
        json["hooks"] = new JsonArray(new JsonObject { ["type"] = "Checkpoint-v1", ["every_steps"] = 25 });
        var data = json["data"] as JsonObject ?? [];
        json["data"] = data;
        data["voxel_size"] = 0.05;
        data["crop_points"] = 2_000_000;
        data["batch_point_budget"] = 16_000_000;
        var augment = data["augment"] as JsonObject ?? [];
        data["augment"] = augment;
        augment["elastic"] = new JsonArray();
        return json;
    }

    /// <summary>The model options of <paramref name="config"/>.</summary>
    public InteractiveModelOptions ModelOptions(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string type = ConfigBinding.TypeOf(config.Model, "model");
        if (type != ModelType) throw new ConfigException($"config section 'model': method '{Name}' needs type '{ModelType}', not '{type}'");
        var o = ConfigBinding.Bind<InteractiveModelOptions>(config.Model, "model", "type");
        o.Validate();
        return o;
    }

    /// <summary>The loss options of <paramref name="config"/>.</summary>
    public static InteractiveLossOptions LossOptions(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string type = ConfigBinding.TypeOf(config.Loss, "loss");
        if (type != LossType) throw new ConfigException($"config section 'loss': the interactive methods need type '{LossType}', not '{type}'");
        var o = ConfigBinding.Bind<InteractiveLossOptions>(config.Loss, "loss", "type");
        o.Validate();
        return o;
    }

    /// <inheritdoc/>
    /// <remarks>With <c>model.pretrained</c> the backbone is initialized from that run (<see cref="BackbonePretraining"/>).</remarks>
    public override Module CreateModel(TrainConfig config, int seed)
    {
        var model = CreateNetwork(config, seed);
        if (ModelOptions(config).Pretrained is { } pretrained)
        {
            try
            {
                BackbonePretraining.Apply(model, pretrained);
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        return model;
    }

    /// <summary>The network of <paramref name="config"/> with fresh weights (no pretrained backbone: checkpoints overwrite them).</summary>
    public Module CreateNetwork(TrainConfig config, int seed)
    {
        var o = ModelOptions(config);
        var random = new Random(seed);
        return Variant == InteractiveVariant.Paper
            ? new InteractiveNet(random, o.Widths, o.Blocks, o.BnEps, o.BnMomentum)
            : new InteractiveFastNet(random, o.Widths, o.Blocks, o.HeadWidth, o.BnEps, o.BnMomentum);
    }

    /// <inheritdoc/>
    public override object CreateLoss(TrainConfig config)
    {
        LossOptions(config);
        throw new ConfigException($"method '{Name}' draws its objects from the training scenes: it needs them (use the trainer)");
    }

    /// <inheritdoc/>
    public override object CreateLoss(TrainConfig config, TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Labels is not null)
            throw new ConfigException($"--labels {data.Labels}: method '{Name}' trains on the scenes' own instance masks, not a labels folder");
        return new InteractiveLoss(Variant, LossOptions(config), config.Data.VoxelSize, data.Scenes, config.Loop.Seed);
    }

    /// <inheritdoc/>
    public override PreparedScene TrainingScene(object loss, PreparedScene scene) => ((InteractiveLoss)loss).TrainingScene(scene);

    /// <inheritdoc/>
    public override LossTerms Loss(Module model, object loss, TrainingBatch batch) => ((InteractiveLoss)loss).Compute(model, batch);

    /// <inheritdoc/>
    /// <remarks>An interactive network needs clicks: it labels no scene on its own.</remarks>
    public override ScenePrediction Predict(Module model, TrainConfig config, PreparedScene scene) =>
        throw new ConfigException($"method '{Name}' segments one object from clicks: score it with 'clickscape interactive evaluate RUN --data DIR', it has no 'predict'");

    /// <summary>
    /// Opens a scene (positions in metres, colours 0–255 or empty) for the trained <paramref name="model"/>: the per-scene,
    /// click-independent work (voxelization; for <c>interactive-fast</c> the backbone) is done here.
    /// </summary>
    public IInteractiveSegmenter Open(Module model, TrainConfig config, ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors)
    {
        ArgumentNullException.ThrowIfNull(config);
        float halfEdge = LossOptions(config).ClickHalfEdge;
        return model switch
        {
            InteractiveNet net => new InteractiveNetSegmenter(net, positions, colors, config.Data.VoxelSize, halfEdge),
            InteractiveFastNet fast => new InteractiveFastSegmenter(fast, positions, colors, config.Data.VoxelSize, halfEdge),
            _ => throw new ConfigException($"method '{Name}': the model is a {model?.GetType().Name}, not an interactive network"),
        };
    }
}
