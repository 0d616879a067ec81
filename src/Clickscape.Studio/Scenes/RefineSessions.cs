using System.Collections.Concurrent;
using Clickscape.Geometry.Interactive;
using Clickscape.Studio.Api;
using Clickscape.Studio.Review;
using Clickscape.Studio.Storage;

namespace Clickscape.Studio.Scenes;

/// <summary>
/// The open <see cref="InteractiveSession"/> of every object being refined, rebuilt from the store after a
/// restart (the object's own click first, then its refine clicks, then the undone ones re-applied and undone
/// again so that redo still works). A reviewed object's session edits its predicted mask (<see cref="PriorMaskSegmenter"/>). Callers hold the scene's lock while they change a session and the store together.
/// </summary>
public sealed class RefineSessions
{
    private readonly ConcurrentDictionary<(string Scene, int Object), InteractiveSession> _sessions = new();
    private readonly ConcurrentDictionary<string, Lock> _locks = new(StringComparer.Ordinal);

    /// <summary>The lock that orders the changes of <paramref name="scene"/>.</summary>
    public Lock LockOf(string scene) => _locks.GetOrAdd(scene, _ => new Lock());

    /// <summary>The session of <paramref name="obj"/>, opening it from its stored clicks when needed.</summary>
    public InteractiveSession Get(string scene, StoredObject obj, LoadedScene loaded)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(loaded);
        return _sessions.GetOrAdd((scene, obj.Object), _ =>
        {
            var clicks = new List<InteractiveClick> { new(obj.Point, true) };
            clicks.AddRange(obj.RefineClicks);
            clicks.AddRange(obj.RedoClicks.Reverse());
            // a reviewed object's clicks edit its predicted mask; a clicked object's clicks make one from nothing
            IInteractiveSegmenter segmenter = obj.Prior is { } prior
                ? new PriorMaskSegmenter(loaded.Walk, MaskBits.Unpack(prior, loaded.Scene.PointCount))
                : loaded.Walk;
            var session = new InteractiveSession(segmenter, clicks);
            for (int i = 0; i < obj.RedoClicks.Count; i++) session.Undo();
            return session;
        });
    }

    /// <summary>Forgets the session of a deleted object.</summary>
    public void Remove(string scene, int obj) => _sessions.TryRemove((scene, obj), out _);
}
