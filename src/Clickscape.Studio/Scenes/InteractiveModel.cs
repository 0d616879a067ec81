using Clickscape.Data.IO;
using Clickscape.Geometry.Interactive;
using Clickscape.Geometry.Scenes;
using Clickscape.Studio.Api;
using Clickscape.Training.Configs;
using Clickscape.Training.Engine;
using Clickscape.Training.Methods.Interactive;

namespace Clickscape.Studio.Scenes;

/// <summary>
/// The trained interactive network refine mode may use (<c>serve --interactive RUN</c>, issue 12's <c>interactive</c> or
/// <c>interactive-fast</c>), loaded once through <see cref="InteractiveEvaluation.Open"/> — the loading path of
/// <c>interactive evaluate</c> and <c>bench interactive</c> — and its per-scene segmenters: the click-independent work
/// (voxelization; for <c>interactive-fast</c> the backbone features) is done once per opened scene, in the background,
/// and kept for the <see cref="Capacity"/> scenes used last (least recently used first out).
/// </summary>
/// <remarks>
/// Thread-safe: the cache's bookkeeping runs under one lock, the features are computed outside it (one task per scene,
/// whoever asks for the scene meanwhile awaits the same task); the segmenters are immutable and safe to call from many
/// requests at once. A failed computation is not cached: the next request tries again.
/// </remarks>
public sealed class InteractiveModel : IDisposable
{
    private readonly InteractiveEvaluation _evaluation;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (Task<IInteractiveSegmenter> Task, LinkedListNode<string> Node)> _scenes = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _recent = new(); // most recently used first
    private readonly Action<string>? _beforeFeatures;

    private InteractiveModel(InteractiveEvaluation evaluation, string run, int capacity, Action<string>? beforeFeatures)
    {
        _evaluation = evaluation;
        Run = run;
        Capacity = capacity;
        _beforeFeatures = beforeFeatures;
    }

    /// <summary>interactive or interactive-fast.</summary>
    public string Method => _evaluation.Method;

    /// <summary>The run folder (or checkpoint) it was loaded from.</summary>
    public string Run { get; }

    /// <summary>The checkpoint the weights came from.</summary>
    public string Checkpoint => _evaluation.Checkpoint!;

    /// <summary>Scenes whose features are kept.</summary>
    public int Capacity { get; }

    /// <summary>Called with a scene id when its features leave the cache (its sessions should let go of them).</summary>
    public event Action<string>? Evicted;

    /// <summary>
    /// Loads the network of <paramref name="run"/> (a run folder or checkpoint of <c>interactive</c> / <c>interactive-fast</c>).
    /// Anything else is a one-line <see cref="DataFormatException"/> naming the run and what was expected.
    /// <paramref name="beforeFeatures"/> (for the tests) runs on the worker before a scene's features are computed.
    /// </summary>
    public static InteractiveModel Load(string run, int capacity = 3, Action<string>? beforeFeatures = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        const string Expected = "expected a run of 'clickscape train --method interactive' or 'interactive-fast' (config.json and checkpoints/best or last.safetensors)";
        if (!File.Exists(run) && !Directory.Exists(run)) throw new DataFormatException(run, $"no such run folder (--interactive); {Expected}");
        InteractiveEvaluation evaluation;
        try
        {
            evaluation = InteractiveEvaluation.Open(run, null);
        }
        catch (DataFormatException e) when (e.Path == run)
        {
            throw new DataFormatException(run, $"{e.Problem} (--interactive); {Expected}", e);
        }
        catch (Exception e) when (e is DataFormatException or ConfigException or InvalidDataException or IOException or ArgumentException or KeyNotFoundException or System.Text.Json.JsonException)
        {
            var why = ErrorText.OneLine(e.Message);
            if (why.StartsWith(run + ": ", StringComparison.Ordinal)) why = why[(run.Length + 2)..]; // the run is named once
            throw new DataFormatException(run, $"cannot load the interactive model ({why}) (--interactive); {Expected}", e);
        }
        evaluation.Model!.Eval(); // once, before any scene opens: the segmenters only read the network
        return new InteractiveModel(evaluation, Path.GetFullPath(run), capacity, beforeFeatures);
    }

    /// <summary>Whether <paramref name="run"/> is a run folder whose checkpoint was trained with <c>interactive</c> or <c>interactive-fast</c>.</summary>
    public static bool IsInteractiveRun(string run)
    {
        if (!Directory.Exists(run) || new RunFolder(run).InferenceCheckpoint() is not { } checkpoint) return false;
        try
        {
            var (config, _) = Training.Engine.Checkpoint.ReadMetadata(checkpoint);
            return config.Method is "interactive" or "interactive-fast";
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ConfigException or System.Text.Json.JsonException)
        {
            return false; // not a readable checkpoint: not ours to judge here
        }
    }

    /// <summary>
    /// The segmenter of scene <paramref name="id"/>: the cached one, or a task computing its features now (started by the
    /// first caller, shared by the others). The scene becomes the most recently used; the least recently used beyond
    /// <see cref="Capacity"/> is dropped.
    /// </summary>
    public Task<IInteractiveSegmenter> Open(string id, Scene scene)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(scene);
        List<string> evicted = [];
        Task<IInteractiveSegmenter> task;
        lock (_lock)
        {
            if (_scenes.TryGetValue(id, out var entry) && !entry.Task.IsFaulted)
            {
                _recent.Remove(entry.Node);
                _recent.AddFirst(entry.Node);
                return entry.Task;
            }
            if (entry.Node is not null) _recent.Remove(entry.Node);
            task = Task.Run(() =>
            {
                _beforeFeatures?.Invoke(id);
                return _evaluation.OpenScene(scene);
            });
            _scenes[id] = (task, _recent.AddFirst(id));
            while (_recent.Count > Capacity)
            {
                var last = _recent.Last!.Value;
                _recent.RemoveLast();
                _scenes.Remove(last);
                evicted.Add(last);
            }
        }
        foreach (var e in evicted) Evicted?.Invoke(e);
        return task;
    }

    /// <summary>none (never opened or dropped), computing, ready or failed — for the page's status line.</summary>
    public string StateOf(string id)
    {
        lock (_lock)
        {
            if (!_scenes.TryGetValue(id, out var entry)) return "none";
            return entry.Task.IsCompletedSuccessfully ? "ready" : entry.Task.IsFaulted ? "failed" : "computing";
        }
    }

    /// <summary>The ids of the scenes held (most recently used first).</summary>
    public IReadOnlyList<string> Held
    {
        get
        {
            lock (_lock) return [.. _recent];
        }
    }

    /// <summary>
    /// Waits for the segmenter of <paramref name="id"/> (starting its features when needed); a failure of the
    /// computation is a 503 saying what to do.
    /// </summary>
    public async Task<IInteractiveSegmenter> SegmenterAsync(string id, Scene scene, CancellationToken cancel)
    {
        var task = Open(id, scene);
        try
        {
            return await task.WaitAsync(cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new ApiException(503, $"the interactive model could not prepare scene '{id}' ({ErrorText.OneLine(e.Message)}); switch refine to the fallback or try again");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _evaluation.Dispose();
}
