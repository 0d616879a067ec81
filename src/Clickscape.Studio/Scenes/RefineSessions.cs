using System.Collections.Concurrent;
using Clickscape.Geometry.Interactive;
using Clickscape.Studio.Review;
using Clickscape.Studio.Storage;

namespace Clickscape.Studio.Scenes;

/// <summary>The segmenter a refine session runs on: the trained network (<see cref="InteractiveModel"/>) or the model-free fallback.</summary>
public enum RefineSegmenter
{
    /// <summary>The model-free fallback: competing random walks on the segment graph (<see cref="SegmentRandomWalk"/>).</summary>
    Fallback,

    /// <summary>The trained interactive network of <c>serve --interactive RUN</c>.</summary>
    Model,
}

/// <summary>
/// The open <see cref="InteractiveSession"/> of every object being refined, rebuilt from the store after a restart (the
/// object's own click first, then its refine clicks, then the undone ones re-applied and undone again so that redo still
/// works), and again when the object is refined with the other <see cref="RefineSegmenter"/> or the model's features of
/// its scene were dropped. A reviewed object's session edits its predicted mask (<see cref="PriorMaskSegmenter"/>).
/// Every mask a session shows gets a number (<see cref="RefineState.MaskId"/>), unique within this server, so a page can
/// tell whether a diff applies to the mask it holds. Callers hold the scene's lock while they change a session and the
/// store together.
/// </summary>
public sealed class RefineSessions
{
    private readonly ConcurrentDictionary<(string Scene, int Object), RefineState> _sessions = new();
    private readonly ConcurrentDictionary<string, Lock> _locks = new(StringComparer.Ordinal);
    private long _lastMaskId;

    /// <summary>The lock that orders the changes of <paramref name="scene"/>.</summary>
    public Lock LockOf(string scene) => _locks.GetOrAdd(scene, _ => new Lock());

    /// <summary>
    /// The session of <paramref name="obj"/> on <paramref name="kind"/>, opening it from its stored clicks when there is
    /// none, or when the one there runs on another segmenter. <paramref name="segmenter"/> is the scene's segmenter of
    /// that kind (the model's, or the fallback's <see cref="LoadedScene.Walk"/>). Call under the scene's lock.
    /// </summary>
    public RefineState Get(string scene, StoredObject obj, LoadedScene loaded, RefineSegmenter kind, IInteractiveSegmenter segmenter)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(loaded);
        ArgumentNullException.ThrowIfNull(segmenter);
        var key = (scene, obj.Object);
        if (_sessions.TryGetValue(key, out var open) && open.Kind == kind && ReferenceEquals(open.Segmenter, segmenter)) return open;
        var clicks = new List<InteractiveClick> { new(obj.Point, true) };
        clicks.AddRange(obj.RefineClicks);
        clicks.AddRange(obj.RedoClicks.Reverse());
        // a reviewed object's clicks edit its predicted mask; a clicked object's clicks make one from nothing
        IInteractiveSegmenter effective = obj.Prior is { } prior
            ? new PriorMaskSegmenter(segmenter, Api.MaskBits.Unpack(prior, loaded.Scene.PointCount))
            : segmenter;
        var session = new InteractiveSession(effective, clicks);
        for (int i = 0; i < obj.RedoClicks.Count; i++) session.Undo();
        var state = new RefineState(session, kind, segmenter, NextMaskId());
        _sessions[key] = state;
        return state;
    }

    /// <summary>A new mask number.</summary>
    public long NextMaskId() => Interlocked.Increment(ref _lastMaskId);

    /// <summary>Forgets the session of a deleted object.</summary>
    public void Remove(string scene, int obj) => _sessions.TryRemove((scene, obj), out _);

    /// <summary>Forgets the sessions of <paramref name="scene"/> that run on <paramref name="kind"/> (its model features were dropped).</summary>
    public void RemoveScene(string scene, RefineSegmenter kind)
    {
        foreach (var (key, state) in _sessions)
        {
            if (key.Scene == scene && state.Kind == kind) _sessions.TryRemove(new KeyValuePair<(string, int), RefineState>(key, state));
        }
    }
}

/// <summary>An open refine session, the segmenter it runs on and the number of the mask it shows.</summary>
public sealed class RefineState(InteractiveSession session, RefineSegmenter kind, IInteractiveSegmenter segmenter, long maskId)
{
    /// <summary>The clicks and the mask.</summary>
    public InteractiveSession Session { get; } = session;

    /// <summary>Which segmenter the session runs on.</summary>
    public RefineSegmenter Kind { get; } = kind;

    /// <summary>The scene's segmenter of that kind (before any prior mask is put over it).</summary>
    public IInteractiveSegmenter Segmenter { get; } = segmenter;

    /// <summary>The number of the mask the session shows now; changed (under the scene's lock) with every new mask.</summary>
    public long MaskId { get; set; } = maskId;
}
