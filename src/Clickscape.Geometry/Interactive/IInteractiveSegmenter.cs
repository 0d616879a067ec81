namespace Clickscape.Geometry.Interactive;

/// <summary>
/// Turns the clicks on one object of one scene into a foreground mask over every point of the scene. An
/// implementation holds only what does not depend on the clicks (a segment graph, cached features), is
/// immutable after construction and safe to call from many threads at once; <see cref="InteractiveSession"/>
/// holds the clicks.
/// </summary>
public interface IInteractiveSegmenter
{
    /// <summary>Number of points of the scene the masks cover.</summary>
    int PointCount { get; }

    /// <summary>
    /// The foreground mask (one flag per point) for <paramref name="clicks"/> in the order they were made; the
    /// points under each click's region are forced to its label, later clicks over earlier ones.
    /// </summary>
    bool[] Predict(IReadOnlyList<InteractiveClick> clicks);
}
