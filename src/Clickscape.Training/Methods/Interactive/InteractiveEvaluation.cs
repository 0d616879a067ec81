using System.Text.Json.Nodes;
using Clickscape.Data.Classes;
using Clickscape.Data.IO;
using Clickscape.Evaluation.Interactive;
using Clickscape.Geometry.Interactive;
using Clickscape.Geometry.Scenes;
using Clickscape.Models.Interactive;
using Clickscape.Tensors.Nn;
using Clickscape.Training.Configs;
using Clickscape.Training.Engine;

namespace Clickscape.Training.Methods.Interactive;

/// <summary>
/// What <c>clickscape interactive evaluate</c> and <c>bench interactive</c> segment with: a trained <c>interactive</c> or
/// <c>interactive-fast</c> run, or the model-free <c>fallback</c> (<see cref="SegmentRandomWalk"/> on the crop's
/// over-segmentation), each opened per scene as an <see cref="IInteractiveSegmenter"/>.
/// </summary>
public sealed class InteractiveEvaluation : IDisposable
{
    /// <summary>The names <c>--method</c> takes.</summary>
    public static IReadOnlyList<string> MethodNames { get; } = ["interactive", "interactive-fast", "fallback"];

    private readonly InteractiveMethod? _method;

    private InteractiveEvaluation(string method, InteractiveMethod? network, Module? model, TrainConfig? config, string? checkpoint)
    {
        Method = method;
        _method = network;
        Model = model;
        Config = config;
        Checkpoint = checkpoint;
    }

    /// <summary>interactive, interactive-fast or fallback.</summary>
    public string Method { get; }

    /// <summary>The checkpoint the network came from (null for the fallback and untrained networks).</summary>
    public string? Checkpoint { get; }

    /// <summary>The network (null for the fallback).</summary>
    public Module? Model { get; }

    /// <summary>The run's configuration (null for the fallback).</summary>
    public TrainConfig? Config { get; }

    /// <summary>
    /// Opens <paramref name="run"/> (a run folder or checkpoint; may be null for the fallback) for <paramref name="method"/>
    /// (null = the run's own method, or the fallback without a run). A run of another method, a network method without a
    /// run, or an unknown method is a <see cref="DataFormatException"/> / <see cref="ConfigException"/> naming it.
    /// </summary>
    public static InteractiveEvaluation Open(string? run, string? method)
    {
        if (method is not null && !MethodNames.Contains(method))
            throw new ConfigException($"--method {method}: expected one of {string.Join(", ", MethodNames)}");
        if (run is null)
        {
            if (method is null or "fallback") return new InteractiveEvaluation("fallback", null, null, null, null);
            throw new ConfigException($"--method {method} needs a trained RUN (train one with 'clickscape train --method {method}'); without a run only 'fallback' works");
        }
        if (method == "fallback") return new InteractiveEvaluation("fallback", null, null, null, null);
        string checkpoint = File.Exists(run) ? run
            : Directory.Exists(run) ? new RunFolder(run).InferenceCheckpoint() ?? throw new DataFormatException(run, "run folder has no checkpoints/best.safetensors or last.safetensors (train first)")
            : throw new DataFormatException(run, "no such run folder");
        var (config, _) = Engine.Checkpoint.ReadMetadata(checkpoint);
        if (!MethodRegistry.CreateDefault().Names.Contains(config.Method) || MethodRegistry.CreateDefault().Get(config.Method) is not InteractiveMethod im
            || (method is not null && im.Name != method))
            throw new DataFormatException(run, $"run was trained with method '{config.Method}', expected {method ?? "interactive or interactive-fast"}");
        var model = im.CreateNetwork(config, 0); // the checkpoint holds every weight: no pretrained backbone to read
        try
        {
            Engine.Checkpoint.Load(checkpoint, model, null);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return new InteractiveEvaluation(im.Name, im, model, config, checkpoint);
    }

    /// <summary>
    /// The network of <paramref name="method"/> (interactive or interactive-fast) with the method's default configuration
    /// and random weights, for latency measurements without a trained run (the cost does not depend on the weights).
    /// </summary>
    public static InteractiveEvaluation Untrained(string method, int seed = 0)
    {
        if (method == "fallback") return new InteractiveEvaluation("fallback", null, null, null, null);
        if (MethodRegistry.CreateDefault().Get(method) is not InteractiveMethod im)
            throw new ConfigException($"--method {method}: expected one of {string.Join(", ", MethodNames)}");
        var json = im.Configure(ConfigLoader.LoadPreset("cpu"));
        json["method"] = im.Name;
        var config = TrainConfig.FromJson(json);
        return new InteractiveEvaluation(im.Name, im, im.CreateModel(config, seed), config, null);
    }

    /// <summary>
    /// Online adaptation (Tab. IV) for every object opened by <see cref="OpenScene"/>: null = off. Only the paper's network
    /// (<c>interactive</c>) adapts.
    /// </summary>
    public OnlineAdaptationOptions? Adaptation { get; set; }

    /// <summary>Opens <paramref name="scene"/>: the click-independent work of the method (voxels and features, or the segment graph).</summary>
    public IInteractiveSegmenter OpenScene(Scene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if (_method is null) return SegmentRandomWalk.FromScene(scene);
        if (Adaptation is not null)
        {
            if (Model is not InteractiveNet net) throw new ConfigException($"online adaptation fine-tunes the paper's network ('interactive'), not '{Method}'");
            return new OnlineAdaptation(_method, Config!, net, scene, Adaptation);
        }
        return _method.Open(Model!, Config!, scene.Positions, scene.Colors ?? []);
    }

    /// <summary>Runs the protocol on every object, reporting each to <paramref name="progress"/>.</summary>
    public IReadOnlyList<InteractiveObject> Evaluate(IEnumerable<InteractiveObjectSample> objects, int maxClicks, Action<InteractiveObject>? progress = null,
        Func<Scene, IInteractiveSegmenter>? open = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var results = new List<InteractiveObject>();
        foreach (var o in objects)
        {
            IInteractiveSegmenter? opened = null;
            var r = InteractiveProtocol.Run(o, scene => opened = (open ?? OpenScene)(scene), maxClicks);
            (opened as IDisposable)?.Dispose();
            results.Add(r);
            progress?.Invoke(r);
        }
        return results;
    }

    /// <summary>
    /// The JSON of a result: <c>noc80</c>, <c>noc85</c>, <c>noc90</c>, <c>iou_at</c> (clicks 1..max) and <c>objects</c> at the
    /// top level, <c>groups</c> (<c>seen</c> = the 20 benchmark classes, <c>unseen</c> = other known classes) and
    /// <c>classes</c> (one table per class).
    /// </summary>
    public static JsonObject ToJson(IReadOnlyList<InteractiveObject> objects, int maxClicks, JsonObject? header = null)
    {
        ArgumentNullException.ThrowIfNull(objects);
        if (objects.Count == 0) throw new ArgumentException("no objects to score", nameof(objects));
        var metrics = new ClickMetrics();
        var result = metrics.Evaluate(objects);
        var json = header is null ? [] : (JsonObject)header.DeepClone();
        Summary(json, result.Overall, maxClicks);
        var groups = new JsonObject();
        var seen = objects.Where(o => InteractiveObjects.IsSeen(o.ClassId)).ToList();
        var unseen = objects.Where(o => o.ClassId > 0 && !InteractiveObjects.IsSeen(o.ClassId)).ToList();
        if (seen.Count > 0) groups["seen"] = Summary([], metrics.Evaluate(seen).Overall, maxClicks);
        if (unseen.Count > 0) groups["unseen"] = Summary([], metrics.Evaluate(unseen).Overall, maxClicks);
        json["groups"] = groups;
        var classes = new JsonArray();
        foreach (var c in result.PerClass)
        {
            int id = int.Parse(c.Group, System.Globalization.CultureInfo.InvariantCulture);
            var row = new JsonObject { ["class_id"] = id, ["class"] = ClassTables.Nyu40.Find(id)?.Name ?? "unknown" };
            classes.Add(Summary(row, c, maxClicks));
        }
        json["classes"] = classes;
        return json;
    }

    private static JsonObject Summary(JsonObject into, ClickSummary s, int maxClicks)
    {
        into["objects"] = s.Objects;
        into["noc80"] = s.NocAt80;
        into["noc85"] = s.NocAt85;
        into["noc90"] = s.NocAt90;
        var iou = new JsonArray();
        for (int k = 0; k < maxClicks; k++) iou.Add(s.IouAtClick[k]);
        into["iou_at"] = iou;
        return into;
    }

    /// <inheritdoc/>
    public void Dispose() => Model?.Dispose();
}
