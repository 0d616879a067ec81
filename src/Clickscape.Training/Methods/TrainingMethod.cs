using System.Text.Json.Nodes;
using Clickscape.Data;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Randomness;

namespace Clickscape.Training.Methods;

/// <summary>The loss of one step: its total (on the graph) and the named terms that are logged (each a scalar tensor).</summary>
public sealed record LossTerms(Tensor Total, IReadOnlyList<(string Name, Tensor Value)> Terms);

/// <summary>What a method predicts for one scene: a nyu40 id per point and instance masks over the scene's points.</summary>
/// <param name="Scene">Scene id.</param>
/// <param name="Semantic">nyu40 id per point (every input point, mesh vertices included).</param>
/// <param name="Instances">Instances in descending confidence.</param>
public sealed record ScenePrediction(string Scene, int[] Semantic, IReadOnlyList<ScanNetPredictedMask> Instances)
{
    /// <summary>
    /// For methods that label several levels of a part hierarchy (<c>parts</c>): one prediction per level, coarse first,
    /// whose ids are the level's class numbers (1-based, 0 = none) instead of nyu40 ids; null for scene methods.
    /// </summary>
    public IReadOnlyList<ScenePrediction>? Levels { get; init; }
}

/// <summary>What a method may read before training: the dataset, the training scenes, the click folder and the run.</summary>
/// <param name="Dataset">The dataset trained on.</param>
/// <param name="Scenes">The training split's scenes.</param>
/// <param name="Clicks">The <c>--clicks</c> folder (<c>&lt;scene&gt;.json</c> click sets), or null.</param>
/// <param name="RunRoot">The run folder.</param>
/// <param name="Resume">Whether the run continues from a checkpoint.</param>
/// <param name="Message">Writes one line to the progress display.</param>
/// <param name="Labels">The <c>--labels</c> folder, or null.</param>
/// <param name="Prepare">The un-augmented prepared scene (from the run's cache), for methods that label the training set themselves.</param>
public sealed record TrainingData(SceneDataset Dataset, IReadOnlyList<SceneSource> Scenes, string? Clicks, string RunRoot, bool Resume, Action<string> Message,
    string? Labels = null, Func<SceneSource, PreparedScene>? Prepare = null);

/// <summary>
/// A training method: the seam every method of Clickscape plugs into (<c>full</c> today; <c>weak</c>, <c>clickseg</c>,
/// <c>seggroup</c>, <c>interactive</c> later). A method says which network and loss it trains (created from the
/// configuration by the component registries), how a batch becomes a loss, and how a trained network labels a
/// scene. The <see cref="Engine.Trainer"/> does everything else (data, optimizer, schedule, hooks, checkpoints).
/// </summary>
public abstract class TrainingMethod
{
    /// <summary>The name <c>--method</c> takes.</summary>
    public abstract string Name { get; }

    /// <summary>The nyu40 ids of the classes the network's semantic head predicts, in head order.</summary>
    public abstract IReadOnlyList<int> ClassIds { get; }

    /// <summary>The network the configuration describes, initialized from <paramref name="seed"/>.</summary>
    public abstract Module CreateModel(TrainConfig config, int seed);

    /// <summary>Prepares the loss of the configuration (validates the section once, before training starts).</summary>
    public abstract object CreateLoss(TrainConfig config);

    /// <summary>The preset after the method's own defaults (e.g. its loss and inference sections); <c>--config</c> merges over the result.</summary>
    public virtual JsonObject Configure(JsonObject preset) => preset;

    /// <summary>Whether training needs the scenes' ground truth (false: the method makes its own targets, e.g. from clicks).</summary>
    public virtual bool TrainsOnGroundTruth => true;

    /// <summary>Prepares the loss with what the run trains on (default: <see cref="CreateLoss(TrainConfig)"/>).</summary>
    public virtual object CreateLoss(TrainConfig config, TrainingData data) => CreateLoss(config);

    /// <summary>The scene as the loader should train on it (called on the loader thread; default: unchanged).</summary>
    public virtual PreparedScene TrainingScene(object loss, PreparedScene scene) => scene;

    /// <summary>Forward and loss on one batch, on the training thread (tensors are created here).</summary>
    public abstract LossTerms Loss(Module model, object loss, TrainingBatch batch);

    /// <summary>Labels one prepared scene (the model is in evaluation mode; no graph is recorded).</summary>
    public abstract ScenePrediction Predict(Module model, TrainConfig config, PreparedScene scene);

    /// <summary>
    /// The dense pseudo labels the current model gives one of its training scenes from that scene's weak annotation
    /// (<paramref name="loss"/> is what <see cref="CreateLoss(TrainConfig, TrainingData)"/> returned and holds it), as
    /// <c>pseudo-label</c> would write them; null for methods trained on dense labels (default).
    /// </summary>
    public virtual ScenePrediction? PseudoLabel(Module model, TrainConfig config, object loss, PreparedScene scene) => null;

    /// <summary>Labels one scene of <c>predict</c>, which also has its source (default: <see cref="Predict(Module, TrainConfig, PreparedScene)"/>;
    /// <c>parts</c> reads the shape's category from it).</summary>
    public virtual ScenePrediction Predict(Module model, TrainConfig config, PreparedScene scene, SceneSource source) => Predict(model, config, scene);

    /// <summary>The values <c>train --variant</c> accepts (set as <c>model.variant</c>); empty: the method has no variants.</summary>
    public virtual IReadOnlyList<string> Variants => [];

    /// <summary>
    /// The configuration completed with what only the training data defines (e.g. the part classes of each level), before
    /// the run's <c>config.json</c> is written, so <c>predict</c> can rebuild the network from it; default unchanged.
    /// A resumed run passes its own configuration, which must come back unchanged.
    /// </summary>
    public virtual TrainConfig WithTrainingData(TrainConfig config, SceneDataset dataset, IReadOnlyList<SceneSource> scenes) => config;

    /// <summary>One augmented sample of <paramref name="scene"/> of at most <paramref name="maxPoints"/> points (loader thread); default PointGroup's augmentation and crop.</summary>
    public virtual TrainingSample Augment(PreparedScene scene, DataConfig data, int maxPoints, Xoshiro256 rng)
    {
        ArgumentNullException.ThrowIfNull(data);
        return PointGroupAugmentation.Apply(scene, data.Augment, data.VoxelSize, maxPoints, rng);
    }

    /// <summary>Writes the prediction of one scene under <c>predict</c>'s output folder; default the ScanNet formats (<c>instance/</c>, <c>semantic/</c>).</summary>
    public virtual void WritePrediction(string output, TrainConfig config, PreparedScene scene, ScenePrediction prediction)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(prediction);
        Directory.CreateDirectory(Path.Combine(output, ScanNetPredictionWriter.InstanceFolder));
        Directory.CreateDirectory(Path.Combine(output, ScanNetPredictionWriter.SemanticFolder));
        ScanNetPredictionWriter.Write(output, scene.Name, scene.PointCount, prediction.Semantic,
            prediction.Instances.Select(m => (m.LabelId, (float)m.Confidence, m.Vertices)).ToList());
    }

    /// <summary>The file <see cref="WritePrediction"/> writes last for <paramref name="scene"/> (a sharded <c>predict</c> skips scenes that have it).</summary>
    public virtual string PredictionMarker(string output, string scene) => Path.Combine(output, ScanNetPredictionWriter.InstanceFolder, scene + ".txt");
}
