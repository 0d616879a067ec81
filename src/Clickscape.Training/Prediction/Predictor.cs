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

    /// <summary>The run's configuration (its <c>inference</c> section possibly overridden, <see cref="OverrideInference"/>).</summary>
    public TrainConfig Config { get; private set; }

    /// <summary>Merges <paramref name="inference"/> key by key over the run's <c>inference</c> section (e.g. <c>{"lambda": 0}</c> for <c>parts</c>).</summary>
    public void OverrideInference(JsonObject inference)
    {
        ArgumentNullException.ThrowIfNull(inference);
        var merged = ConfigLoader.Merge(Config.Inference as JsonObject ?? new JsonObject(), inference);
        Config = Config.With("inference", merged);
    }

    /// <summary>The method.</summary>
    public TrainingMethod Method { get; }

    /// <summary>The network with the checkpoint's weights.</summary>
    public Module Model => _model;

    /// <summary>The checkpoint the weights came from.</summary>
    public string CheckpointPath { get; }

    /// <summary>Opens the run folder <paramref name="run"/> (or a checkpoint file).</summary>
    public static Predictor Open(string run, MethodRegistry? methods = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        string checkpoint = File.Exists(run) ? run
            : Directory.Exists(run) ? new RunFolder(run).InferenceCheckpoint() ?? throw new DataFormatException(run, "run folder has no checkpoints/best.safetensors or last.safetensors (train first)")
            : throw new DataFormatException(run, "no such run folder");
        var (config, _) = Checkpoint.ReadMetadata(checkpoint);
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
    /// </summary>
    public IReadOnlyList<string> PredictDataset(string data, string? split, string output, Action<ScenePrediction>? progress = null,
        ShardSpec? shard = null, Action<string>? skipped = null)
    {
        var dataset = SceneDataset.Open(data);
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
