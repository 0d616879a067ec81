using System.Numerics;

namespace Clickscape.Data.Synthetic.Scenes;

/// <summary>
/// A planned room: its box, every annotated object (walls and floor first, then furniture) and where the virtual
/// scanner stood. Nothing is tessellated yet; <see cref="ScanSimulator"/> turns a layout into a scanned mesh.
/// </summary>
public sealed class RoomLayout
{
    /// <summary>Creates a layout.</summary>
    public RoomLayout(RoomKind kind, float width, float depth, float height, IReadOnlyList<RoomObject> objects,
        IReadOnlyList<Vector3> cameras, IReadOnlyList<Vector3> lights)
    {
        Kind = kind;
        Width = width;
        Depth = depth;
        Height = height;
        Objects = objects;
        Cameras = cameras;
        Lights = lights;
    }

    /// <summary>What kind of room.</summary>
    public RoomKind Kind { get; }

    /// <summary>Extent along x (metres); the floor is [0, Width] × [0, Depth] at z = 0.</summary>
    public float Width { get; }

    /// <summary>Extent along y (metres).</summary>
    public float Depth { get; }

    /// <summary>Wall height (metres).</summary>
    public float Height { get; }

    /// <summary>Annotated objects; instance id of object i is i + 1 before unseen objects are dropped.</summary>
    public IReadOnlyList<RoomObject> Objects { get; }

    /// <summary>Positions the virtual scanner saw the room from.</summary>
    public IReadOnlyList<Vector3> Cameras { get; }

    /// <summary>Point lights (for the shading of colours).</summary>
    public IReadOnlyList<Vector3> Lights { get; }
}
