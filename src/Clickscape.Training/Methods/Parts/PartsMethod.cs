using System.Text.Json.Nodes;
using Clickscape.Data;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Models.PartFusion;
using Clickscape.Tensors.Nn;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Randomness;

namespace Clickscape.Training.Methods.Parts;

/// <summary>
/// <c>parts</c>: multi-level part instance segmentation with semantic segmentation-assisted instance feature fusion
/// (Sun et al., "Semantic Segmentation-Assisted Instance Feature Fusion for Multi-Level 3D Part Instance
/// Segmentation"; REFERENCE.md §6) on PartNet shape folders. The network is <see cref="PartFusionNet"/> (variants of
/// Table 4 by <c>model.variant</c>, <c>--variant</c>), the loss <see cref="PartLoss"/>, the augmentation
/// <see cref="PartAugmentation"/>, the schedule the paper's SGD (lr 0.1, momentum 0.9, weight decay 1e-4, ×0.1 at
/// 50 % and 75 % of the run, batch 8), and inference <see cref="PartsInference"/>. The classes of every level are the
/// node paths of the training shapes (<see cref="PartNetLevels"/>), written into the run's configuration when it starts.
/// </summary>
/// <remarks>
/// The scene-centric parts of the trainer are bypassed, not forked: the scenes are prepared without labels (their
/// classes are not nyu40 ids), the targets of every level are made from the shapes' hierarchies in the loss, and the
/// predictions are written per level (<see cref="PartNetPredictionLayout"/>). The trainer's in-run evaluation scores
/// ScanNet metrics, so this method takes no <c>Evaluate-v1</c> hook; evaluate with <c>predict</c> and
/// <c>evaluate --metric partnet</c>.
/// </remarks>
public sealed class PartsMethod : TrainingMethod
{
    /// <summary>The model type of the <c>model</c> section.</summary>
    public const string ModelType = "PartFusion-v1";

    /// <summary>The loss type of the <c>loss</c> section.</summary>
    public const string LossType = "PartLoss-v1";

    /// <summary>Voxel edge: a depth-6 octree over the unit sphere's cube [−1, 1]³ (the paper's O-CNN), 2/64.</summary>
    public const float VoxelSize = 2f / 64;

    /// <inheritdoc/>
    public override string Name => "parts";

    /// <summary>The head has no nyu40 classes: its classes are the part paths in <c>model.classes</c>.</summary>
    public override IReadOnlyList<int> ClassIds => [];

    /// <inheritdoc/>
    public override bool TrainsOnGroundTruth => false;

    /// <inheritdoc/>
    public override IReadOnlyList<string> Variants => PartFusionOptions.VariantNames;

    /// <inheritdoc/>
    public override JsonObject Configure(JsonObject preset)
    {
        ArgumentNullException.ThrowIfNull(preset);
        var json = (JsonObject)preset.DeepClone();
        json["data"] = new JsonObject
        {
            ["voxel_size"] = VoxelSize,
            ["batch_size"] = 8,
            ["batch_point_budget"] = 8 * 20_000,
            ["crop_points"] = 20_000,
            ["prefetch"] = 2,
            ["augment"] = new JsonObject { ["enabled"] = true },
        };
        json["train"] = new JsonObject { ["epochs"] = 100, ["max_steps"] = 0, ["seed"] = 1, ["budget_minutes"] = 0, ["threads"] = 0 };
        json["model"] = new JsonObject { ["type"] = ModelType, ["variant"] = "fusion-cross" };
        json["loss"] = new JsonObject { ["type"] = LossType };
        json["optimizer"] = new JsonObject { ["type"] = "SGD", ["lr"] = 0.1, ["momentum"] = 0.9, ["weight_decay"] = 1e-4, ["no_decay_on_norm_and_bias"] = false };
        json["schedule"] = new JsonObject { ["type"] = "MultiStep", ["milestones"] = new JsonArray(0.5, 0.75), ["gamma"] = 0.1 };
        json["inference"] = new JsonObject { ["bandwidth"] = 0.1, ["lambda"] = 0.05, ["min_points"] = 10 };
        json["hooks"] = new JsonArray(new JsonObject { ["type"] = "Checkpoint-v1", ["every_steps"] = 100, ["best_metric"] = "ap" });
        return json;
    }

    /// <summary>The <c>model</c> section (its type checked).</summary>
    public static PartsModelOptions ModelOptions(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        string type = ConfigBinding.TypeOf(config.Model, "model");
        if (type != ModelType) throw new ConfigException($"config section 'model': method 'parts' needs type '{ModelType}', not '{type}'");
        return ConfigBinding.Bind<PartsModelOptions>(config.Model, "model", "type");
    }

    /// <summary>The clustering options of the <c>inference</c> section.</summary>
    public static PartClusteringOptions ClusteringOptions(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return ConfigBinding.Bind<PartsInferenceOptions>(config.Inference, "inference").ToClustering();
    }

    /// <inheritdoc/>
    public override TrainConfig WithTrainingData(TrainConfig config, SceneDataset dataset, IReadOnlyList<SceneSource> scenes)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(scenes);
        ArgumentNullException.ThrowIfNull(dataset);
        if (config.Data.PartNetStats is { } stats && !Path.IsPathFullyQualified(stats))
            config = config.With("data.partnet_stats", JsonValue.Create(Path.GetFullPath(stats))); // predict may run elsewhere
        var model = ModelOptions(config);
        if (model.Classes.Length > 0) return config; // a resumed run, or classes fixed by --config
        var benchmark = dataset.LoadPartNetBenchmark();
        var shapes = scenes.Select(s => PartLabels.LoadLevels(s, benchmark, model.Levels)).ToList();
        CheckLevels(benchmark, shapes.Select(s => s.Shape.Category), model.Levels);
        var vocabulary = PartLabels.Vocabulary(shapes, benchmark, model.Levels);
        var classes = new JsonArray(vocabulary.Select(level => (JsonNode)new JsonArray(level.Select(p => (JsonNode)JsonValue.Create(p)!).ToArray())).ToArray());
        return config.With("model.classes", classes);
    }

    /// <summary>
    /// Checks PartNet's benchmark level lists against the run: a category of <paramref name="categories"/> with more
    /// level files than the run has levels is a <see cref="ConfigException"/>.
    /// </summary>
    public static void CheckLevels(PartNetBenchmark? benchmark, IEnumerable<string> categories, int levels)
    {
        ArgumentNullException.ThrowIfNull(categories);
        if (benchmark is null) return;
        foreach (var c in categories.Distinct(StringComparer.Ordinal).Select(benchmark.For).OfType<PartNetBenchmarkCategory>().Where(c => c.MaxLevel > levels))
            throw new ConfigException($"model.levels {levels}: PartNet's {Path.Combine(benchmark.Folder, $"{c.Category}-level-{c.MaxLevel}.txt")} gives category {c.Category} {c.MaxLevel} levels; set model.levels to {c.MaxLevel}");
    }

    /// <inheritdoc/>
    public override Module CreateModel(TrainConfig config, int seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = ModelOptions(config).ToNetworkOptions();
        return new PartFusionNet(new Random(seed), PreparedScene.Channels, options);
    }

    /// <inheritdoc/>
    public override object CreateLoss(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ModelOptions(config).ToNetworkOptions();
        ClusteringOptions(config);
        if (config.Hooks.Any(h => ConfigBinding.TypeOf(h, "hooks") == "Evaluate-v1"))
            throw new ConfigException("config hooks: method 'parts' takes no Evaluate-v1 hook (it scores ScanNet metrics); evaluate with clickscape predict and evaluate --metric partnet");
        if (config.Data.VoxelSize > 0.2f)
            throw new ConfigException($"config data.voxel_size {config.Data.VoxelSize}: shapes are normalized to the unit sphere; expected a voxel of a few hundredths (default {VoxelSize})");
        var o = ConfigBinding.Bind<PartsLossOptions>(config.Loss, "loss", "type");
        string type = ConfigBinding.TypeOf(config.Loss, "loss");
        if (type != LossType) throw new ConfigException($"config section 'loss': method 'parts' needs type '{LossType}', not '{type}'");
        return o;
    }

    /// <inheritdoc/>
    public override object CreateLoss(TrainConfig config, TrainingData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var options = (PartsLossOptions)CreateLoss(config);
        if (data.Labels is not null) throw new ConfigException($"--labels {data.Labels}: method 'parts' trains on the part hierarchies of the shapes, not on a labels folder");
        var model = ModelOptions(config);
        var classes = model.Classes.Select(c => (IReadOnlyList<string>)c).ToList();
        var benchmark = data.Dataset.LoadPartNetBenchmark();
        var labels = new Dictionary<string, PartLabels>(StringComparer.Ordinal);
        var listed = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var source in data.Scenes)
        {
            var (shape, levels) = PartLabels.LoadLevels(source, benchmark, classes.Count);
            if (benchmark?.For(shape.Category) is not null) listed.Add(shape.Category);
            labels[source.Name] = PartLabels.Of(levels, PartLabels.RootOf(shape), classes);
        }
        CheckLevels(benchmark, listed, classes.Count);
        data.Message($"parts: {ModelOptions(config).Variant}, {data.Scenes.Count} shapes, classes per level {string.Join("/", classes.Select(c => c.Count))}"
            + (listed.Count > 0 ? $", PartNet benchmark levels ({benchmark!.Folder}) for {string.Join(", ", listed)}" : ""));
        return new PartLoss(options, labels, classes);
    }

    /// <inheritdoc/>
    public override TrainingSample Augment(PreparedScene scene, DataConfig data, int maxPoints, Xoshiro256 rng)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(scene);
        if (scene.PointCount > maxPoints)
            throw new Clickscape.Data.IO.DataFormatException(scene.Name, $"shape has {scene.PointCount} points, more than data.crop_points / batch_point_budget allow ({maxPoints}); shapes are not cropped");
        CheckNormalized(scene);
        return PartAugmentation.Apply(scene, data.Augment.Enabled, rng);
    }

    /// <summary>Largest distance from the shape's mean that <see cref="CheckNormalized"/> accepts: a unit-sphere shape
    /// centred on its bounding box reaches at most 2 from its mean; PartNet's samples reach ≈ 1.</summary>
    public const float MaxRadius = 2f;

    /// <summary>Refuses a shape that is not normalized to the unit sphere: its voxels (a fraction of [−1, 1]³) and the
    /// offsets and mean-shift bandwidth (in unit-sphere units) would be wrong without a word.</summary>
    public static void CheckNormalized(PreparedScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var p = scene.Positions;
        float max = 0;
        for (int i = 0; i + 2 < p.Length; i += 3) max = Math.Max(max, p[i] * p[i] + p[i + 1] * p[i + 1] + p[i + 2] * p[i + 2]);
        float radius = MathF.Sqrt(max);
        if (!(radius <= MaxRadius))
            throw new Clickscape.Data.IO.DataFormatException(scene.Name, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"points reach {radius:G4} from their mean; --method parts expects shapes normalized to the unit sphere (centred on the bounding box, divided by the largest radius), as PartNet's point samples and `synth parts` are"));
    }

    /// <inheritdoc/>
    public override LossTerms Loss(Module model, object loss, TrainingBatch batch) => ((PartLoss)loss).Compute((PartFusionNet)model, batch);

    /// <inheritdoc/>
    public override ScenePrediction Predict(Module model, TrainConfig config, PreparedScene scene)
    {
        CheckNormalized(scene);
        return PartsInference.Predict((PartFusionNet)model, scene, ClusteringOptions(config));
    }

    /// <summary>Labels a shape of <c>predict</c>, its classes restricted to its category (the root of its part tree).</summary>
    public override ScenePrediction Predict(Module model, TrainConfig config, PreparedScene scene, SceneSource source)
    {
        CheckNormalized(scene);
        var classes = ModelOptions(config).Classes.Select(c => (IReadOnlyList<string>)c).ToList();
        var bias = PartLabels.CategoryBias(classes, PartLabels.RootOf(PartLabels.LoadShape(source)));
        return PartsInference.Predict((PartFusionNet)model, scene, ClusteringOptions(config), bias);
    }

    /// <inheritdoc/>
    public override void WritePrediction(string output, TrainConfig config, PreparedScene scene, ScenePrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(prediction);
        var classes = ModelOptions(config).Classes;
        var levels = prediction.Levels ?? throw new ArgumentException("parts: the prediction has no levels", nameof(prediction));
        for (int k = levels.Count - 1; k >= 0; k--) // level 1 last: it is the marker of a complete shape
            PartNetPredictionLayout.Write(output, k + 1, scene.Name, scene.PointCount, levels[k].Semantic, levels[k].Instances, classes[k]);
    }

    /// <inheritdoc/>
    public override string PredictionMarker(string output, string scene) =>
        Path.Combine(PartNetPredictionLayout.LevelFolder(output, 1), scene + ".txt");
}
