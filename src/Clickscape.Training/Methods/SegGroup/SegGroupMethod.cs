using System.Globalization;
using System.Text.Json.Nodes;
using Clickscape.Data.Classes;
using Clickscape.Models.SegGroup;
using Clickscape.Tensors.Nn;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Methods.ClickSeg;

namespace Clickscape.Training.Methods.SegGroup;

/// <summary>
/// <c>seggroup</c>: SegGroup (Tao et al., "SegGroup: Seg-Level Supervision for 3D Instance and Semantic Segmentation")
/// on the shared trainer. It trains <see cref="SegGroupNet"/> (model section type <c>SegGroup-v1</c>,
/// <see cref="SegGroupModelOptions"/>) from the seg-level labels of clicks (<c>--clicks DIR</c>, else simulated
/// <c>maxseg</c>; <see cref="SegGroupLossOptions"/>) with <see cref="SegGroupLoss"/>, the recipe of REFERENCE.md §4:
/// SGD lr 0.1 momentum 0.9 weight decay 1e-4, batch 1, 6 epochs. It never reads the scenes' labels. Its product is
/// dense pseudo labels for the clicked scans (<see cref="SegGroupPseudoLabeler"/>, <c>clickscape pseudo-label</c>),
/// which <c>train --method full --labels DIR</c> trains on; it does not label unclicked scans.
/// </summary>
public sealed class SegGroupMethod : TrainingMethod
{
    /// <summary>The model and loss section type.</summary>
    public const string ComponentType = "SegGroup-v1";

    /// <inheritdoc/>
    public override string Name => "seggroup";

    /// <inheritdoc/>
    /// <remarks>What the loader maps labels to; the network itself scores the 40 nyu40 classes (id − 1) and never reads labels.</remarks>
    public override IReadOnlyList<int> ClassIds => ScanNetBenchmark.Semantic20Ids;

    /// <inheritdoc/>
    public override bool TrainsOnGroundTruth => false;

    /// <inheritdoc/>
    /// <remarks>Replaces the preset's model, loss, optimizer, schedule, hooks and epochs with SegGroup's recipe; the loader
    /// carries only the scene ids (no augmentation), since the network reads the scenes' segment graphs itself.</remarks>
    public override JsonObject Configure(JsonObject preset)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var json = (JsonObject)preset.DeepClone();
        json["model"] = new JsonObject { ["type"] = ComponentType };
        json["loss"] = new JsonObject { ["type"] = ComponentType };
        json["optimizer"] = new JsonObject { ["type"] = "SGD", ["lr"] = 0.1, ["momentum"] = 0.9, ["weight_decay"] = 1e-4, ["no_decay_on_norm_and_bias"] = false, ["clip_grad_norm"] = 0.0 };
        json["schedule"] = new JsonObject { ["type"] = "Constant" };
        json["inference"] = new JsonObject();
        json["hooks"] = new JsonArray(new JsonObject { ["type"] = "Checkpoint-v1", ["every_steps"] = 100, ["best_metric"] = "ap" });
        var train = (JsonObject?)json["train"]?.DeepClone() ?? [];
        train["epochs"] = 6;
        json["train"] = train;
        var data = (JsonObject?)json["data"]?.DeepClone() ?? [];
        data["batch_size"] = 1;
        data["augment"] = new JsonObject { ["enabled"] = false };
        json["data"] = data;
        return json;
    }

    /// <summary>The model options of <paramref name="config"/>.</summary>
    public static SegGroupNetOptions ModelOptions(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string type = ConfigBinding.TypeOf(config.Model, "model");
        if (type != ComponentType) throw new ConfigException($"config section 'model': method 'seggroup' trains {ComponentType}, not '{type}'");
        return ConfigBinding.Bind<SegGroupModelOptions>(config.Model, "model", "type").ToNetOptions();
    }

    /// <summary>The loss options of <paramref name="config"/>.</summary>
    public static SegGroupLossOptions LossOptions(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string type = ConfigBinding.TypeOf(config.Loss, "loss");
        if (type != ComponentType) throw new ConfigException($"config section 'loss': method 'seggroup' needs type '{ComponentType}', not '{type}'");
        var o = ConfigBinding.Bind<SegGroupLossOptions>(config.Loss, "loss", "type");
        o.Validate();
        return o;
    }

    /// <inheritdoc/>
    public override Module CreateModel(TrainConfig config, int seed) => new SegGroupNet(new Random(seed), ModelOptions(config));

    /// <inheritdoc/>
    public override object CreateLoss(TrainConfig config)
    {
        LossOptions(config);
        throw new ConfigException("method 'seggroup' trains from clicks: it needs the training scenes (use the trainer)");
    }

    /// <inheritdoc/>
    public override object CreateLoss(TrainConfig config, TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        var options = LossOptions(config);
        ModelOptions(config);
        if (data.Labels is not null)
            throw new ConfigException($"--labels {data.Labels}: method 'seggroup' trains from clicks (--clicks DIR, or simulated), not from a labels folder; train 'full' on its pseudo labels");
        var prepare = data.Prepare ?? throw new ArgumentException("seggroup builds its scenes from the prepared ones: TrainingData.Prepare is needed", nameof(data));
        var clicks = SceneClicks.ForTraining(data, options.SimulatePolicy, options.SimulateSeed, options.TopSegments);
        var scenes = new Dictionary<string, SegGroupScene>(StringComparer.Ordinal);
        long labelled = 0, points = 0, segments = 0, ambiguous = 0;
        foreach (var source in data.Scenes)
        {
            SegGroupScene scene;
            int amb;
            try
            {
                (scene, amb) = SegGroupSceneBuilder.Build(data.Dataset, source, source.Load(), prepare(source), clicks[source.Name].Clicks, options.AdjacencyK);
            }
            catch (ArgumentException e)
            {
                throw new Clickscape.Data.IO.DataFormatException(source.Path, e.Message, e);
            }
            scenes[source.Name] = scene;
            ambiguous += amb;
            segments += scene.SegmentCount;
            points += scene.PointCount;
            foreach (int s in scene.PointSegment) if (scene.SegmentObject[s] != SegGroupScene.Unlabelled) labelled++;
        }
        string note = ambiguous > 0 ? string.Create(CultureInfo.InvariantCulture, $", {ambiguous} segments clicked for several objects split between them") : "";
        data.Message(string.Create(CultureInfo.InvariantCulture,
            $"seggroup: {scenes.Count} scenes, {segments / (double)Math.Max(1, scenes.Count):F0} segments per scene, seg-level labels on {100.0 * labelled / Math.Max(1, points):F1} % of the points{note}"));
        return new SegGroupLoss(scenes, options, config.Loop.Seed);
    }

    /// <inheritdoc/>
    /// <remarks>The network reads its inputs by scene id from the loss; the loader carries a one-point stand-in so it does no work.</remarks>
    public override PreparedScene TrainingScene(object loss, PreparedScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        return new PreparedScene(scene.Name, scene.Positions[..3], scene.Colors[..3], [0], [0], scene.VoxelSize, [0, 0, 0, 0], [0]);
    }

    /// <inheritdoc/>
    public override LossTerms Loss(Module model, object loss, TrainingBatch batch) => ((SegGroupLoss)loss).Compute((SegGroupNet)model, batch);

    /// <inheritdoc/>
    public override ScenePrediction Predict(Module model, TrainConfig config, PreparedScene scene) =>
        throw new ConfigException("method 'seggroup' labels clicked scans only: use clickscape pseudo-label RUN --data DIR --clicks DIR --out OUT (then train full --labels OUT)");
}
