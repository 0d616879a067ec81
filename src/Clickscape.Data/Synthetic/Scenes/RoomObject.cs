using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Synthetic.Scenes;

/// <summary>How a part's colour varies over its surface (the texture a scan's colours pick up).</summary>
public enum Material
{
    /// <summary>Smooth paint: walls, painted furniture.</summary>
    Paint,
    /// <summary>Wood grain stripes.</summary>
    Wood,
    /// <summary>Fine fabric noise: upholstery, bedding, curtains.</summary>
    Fabric,
    /// <summary>Metal: low noise, darker.</summary>
    Metal,
    /// <summary>Plastic: uniform.</summary>
    Plastic,
    /// <summary>Ceramic: white and smooth.</summary>
    Ceramic,
    /// <summary>Glass: dark, noisy (scanners see little of it).</summary>
    Glass,
    /// <summary>Floor tiles with grout lines.</summary>
    Tiles,
    /// <summary>Wooden floor planks.</summary>
    Planks,
    /// <summary>Carpet: strong fine noise.</summary>
    Carpet,
}

/// <summary>One part of an object: a surface with its own colour and material (a chair's seat, back, legs).</summary>
/// <param name="Name">Part name, e.g. "seat".</param>
/// <param name="Shape">The surface.</param>
/// <param name="Albedo">Base colour, linear 0..1 per channel.</param>
/// <param name="Material">How the colour varies over the surface.</param>
public sealed record ObjectPart(string Name, Primitive Shape, Vector3 Albedo, Material Material);

/// <summary>One annotated instance of a room: a wall, the floor, or a piece of furniture made of parts.</summary>
public sealed class RoomObject
{
    /// <summary>Creates an object of NYU40 class <paramref name="nyu40Id"/>.</summary>
    public RoomObject(int nyu40Id, string name)
    {
        Nyu40Id = nyu40Id;
        Name = name;
    }

    /// <summary>NYU40 class id (wall 1, floor 2, cabinet 3, …).</summary>
    public int Nyu40Id { get; }

    /// <summary>What the object is, e.g. "office chair" (finer than its class).</summary>
    public string Name { get; }

    /// <summary>The parts.</summary>
    public List<ObjectPart> Parts { get; } = [];

    /// <summary>Adds a part and returns this object (for chaining).</summary>
    public RoomObject Add(string name, Primitive shape, Vector3 albedo, Material material)
    {
        Parts.Add(new ObjectPart(name, shape, albedo, material));
        return this;
    }

    /// <summary>Highest z of any part.</summary>
    public float Top => Parts.Count == 0 ? 0 : Parts.Max(p => p.Shape.Top);
}
