using System.Text.Json.Nodes;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Tensors.Nn;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Engine;
using Clickscape.Training.Methods;

namespace Clickscape.Training.Prediction;

/// <summary>
/// <c>clickscape predict RUN --data DIR --out OUT</c>: loads the run's best (else last) checkpoint and labels every
/// scene of a split, writing the ScanNet benchmark formats (REFERENCE.md §1.3) that <c>evaluate</c> and the
/// training of weak methods (<c>--labels</c>) read: <c>OUT/instance/&lt;scene&gt;.txt</c> with
/// <c>OUT/instance/pred_mask/&lt;scene&gt;_&lt;k&gt;.txt</c>, and <c>OUT/semantic/&lt;scene&gt;.txt</c> (one nyu40 id per point).
/// </summary>
public sealed class Predictor : IDisposable
{
    private readonly Module _model;

    private Predictor(TrainConfig config, TrainingMethod method, Module model, string checkpoint)
    {
        Config = config;
        Method = method;
        _model = model;
        CheckpointPath = checkpoint;
    }

    /// <summary>The run's configuration (its <c>inference</c> and <c>loss</c> sections possibly overridden at <see cref="Open"/>).</summary>
    public TrainConfig Config { get; }

    /// <summary>The method.</summary>
    public TrainingMethod Method { get; }

    /// <summary>The network with the checkpoint's weights.</summary>
    public Module Model => _model;

    /// <summary>The checkpoint the weights came from.</summary>
    public string CheckpointPath { get; }

    /// <summary>
    /// Opens the run folder <paramref name="run"/> (or a checkpoint file). <paramref name="inference"/>, when given, is merged
    /// over the run's <c>inference</c> section (e.g. another mean-shift bandwidth, fusion off): the weights stay the run's,
    /// how they are turned into labels may change (an unknown key or bad value is a <see cref="ConfigException"/> at the first prediction).
    /// <paramref name="loss"/> likewise over the <c>loss</c> section, for what a method's labelling reads from it (ClickSeg's
    /// assignment and similarity terms in <c>pseudo-label</c>).
    /// </summary>
    public static Predictor Open(string run, MethodRegistry? methods = null, System.Text.Json.Nodes.JsonObject? inference = null,
        System.Text.Json.Nodes.JsonObject? loss = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        string checkpoint = File.Exists(run) ? run
            : Directory.Exists(run) ? new RunFolder(run).InferenceCheckpoint() ?? throw new DataFormatException(run, "run folder has no checkpoints/best.safetensors or last.safetensors (train first)")
            : throw new DataFormatException(run, "no such run folder");
        var (config, _) = Checkpoint.ReadMetadata(checkpoint);
        if (inference is not null || loss is not null)
        {
            var overlay = new System.Text.Json.Nodes.JsonObject();
            if (inference is not null) overlay["inference"] = inference.DeepClone();
            if (loss is not null) overlay["loss"] = loss.DeepClone();
            config = TrainConfig.FromJson(ConfigLoader.Merge((System.Text.Json.Nodes.JsonObject)config.Json.DeepClone(), overlay));
        }
        var method = (methods ?? MethodRegistry.CreateDefault()).Get(config.Method);
        var model = method.CreateModel(config, 0);
        try
        {
            Checkpoint.Load(checkpoint, model, null);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return new Predictor(config, method, model, checkpoint);
    }

    /// <summary>Labels one prepared scene.</summary>
    public ScenePrediction Predict(PreparedScene scene) => Method.Predict(_model, Config, scene);

    /// <summary>
    /// Labels the scenes of <paramref name="split"/> of <paramref name="data"/> into <paramref name="output"/>; returns the
    /// scene ids labelled. With <paramref name="shard"/>, only that shard's scenes, and those whose
    /// <c>instance/&lt;scene&gt;.txt</c> (the file written last) exists are skipped and reported to <paramref name="skipped"/>.
    /// Point tables are read with <paramref name="columns"/>, else the run's <c>data.columns</c>.
    /// </summary>
    public IReadOnlyList<string> PredictDataset(string data, string? split, string output, Action<ScenePrediction>? progress = null,
        ShardSpec? shard = null, Action<string>? skipped = null, string? columns = null)
    {
        var dataset = SceneDataset.Open(data, Config.Data.DatasetOptions(columns));
        // a single scene (file or folder) has no splits: predict it whatever --split says
        var scenes = dataset.Scenes.Count == 1 && !dataset.HasSplit(split ?? SceneDataset.AllSplit) ? dataset.Scenes : dataset.Split(split);
        Directory.CreateDirectory(output);
        var names = new List<string>();
        foreach (var source in shard?.Select(scenes) ?? scenes)
        {
            if (shard is not null && File.Exists(Method.PredictionMarker(output, source.Name)))
            {
                skipped?.Invoke(source.Name);
                continue;
            }
            var prepared = PreparedScene.Prepare(source, null, Config.Data.VoxelSize, requireLabels: false);
            var prediction = Method.Predict(_model, Config, prepared, source);
            Method.WritePrediction(output, Config, prepared, prediction);
            names.Add(source.Name);
            progress?.Invoke(prediction);
        }
        return names;
    }

    /// <inheritdoc/>
    public void Dispose() => _model.Dispose();
}
