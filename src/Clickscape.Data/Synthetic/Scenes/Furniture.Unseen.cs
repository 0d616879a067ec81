using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Synthetic.Scenes;

/// <summary>
/// Objects of NYU40 classes outside the 20 ScanNet benchmark classes, for the "unseen" evaluation of interactive
/// segmentation (Kontogianni et al., Tab. I/II: classes never trained on). Only placed with
/// <see cref="SceneGeneratorOptions.UnseenClasses"/>.
/// </summary>
public static partial class Furniture
{
    /// <summary>NYU40 ids of the unseen-class objects.</summary>
    public static class Unseen
    {
        /// <summary>towel</summary>
        public const int Towel = 27;
        /// <summary>box</summary>
        public const int Box = 29;
        /// <summary>lamp</summary>
        public const int Lamp = 35;
        /// <summary>bag</summary>
        public const int Bag = 37;
    }

    /// <summary>A table lamp standing at (x, y, z) of frame <paramref name="f"/>: a disc base, a stem and a cone shade.</summary>
    public static RoomObject Lamp(Frame f, float x, float y, float z, SynthRandom rng)
    {
        var o = new RoomObject(Unseen.Lamp, "lamp");
        float stem = rng.Uniform(0.2f, 0.4f), shade = rng.Uniform(0.1f, 0.18f);
        var metal = Palette.Metal(rng);
        o.Add("base", Cylinder(f, x, y, z, 0.07f, 0.07f, 0.02f, bottomCap: false), metal, Material.Metal);
        o.Add("stem", Cylinder(f, x, y, z + 0.02f, 0.012f, 0.012f, stem, bottomCap: false, topCap: false), metal, Material.Metal);
        o.Add("shade", Cylinder(f, x, y, z + 0.02f + stem - 0.04f, shade, shade * 0.6f, shade * 1.1f), Palette.Fabric(rng), Material.Fabric);
        return o;
    }

    /// <summary>A cardboard box on the floor at the origin of <paramref name="f"/>.</summary>
    public static RoomObject StorageBox(Frame f, SynthRandom rng)
    {
        var o = new RoomObject(Unseen.Box, "box");
        float hx = rng.Uniform(0.12f, 0.28f), hy = rng.Uniform(0.1f, 0.22f), hz = rng.Uniform(0.1f, 0.25f);
        o.Add("box", Box(f, 0, 0, hz, hx, hy, hz, BoxFaces.All & ~BoxFaces.NegZ), Palette.Jitter(new Vector3(0.62f, 0.48f, 0.3f), rng, 0.08f), Material.Paint);
        return o;
    }

    /// <summary>A bag on the floor at the origin of <paramref name="f"/>: a soft body and a handle.</summary>
    public static RoomObject Bag(Frame f, SynthRandom rng)
    {
        var o = new RoomObject(Unseen.Bag, "bag");
        float hx = rng.Uniform(0.14f, 0.22f), hy = rng.Uniform(0.07f, 0.12f), h = rng.Uniform(0.25f, 0.4f);
        var color = Palette.Vivid(rng);
        o.Add("body", Cylinder(f, 0, 0, 0, hx, hx * 0.8f, h, bottomCap: false), color, Material.Fabric);
        o.Add("handle", Box(f, 0, 0, h + 0.05f, hx * 0.5f, hy * 0.15f, 0.05f), Palette.Shade(color, 0.7f), Material.Fabric);
        return o;
    }

    /// <summary>A towel hanging flat on a wall: <paramref name="wall"/> is the wall frame (+Y into the room) at the towel's centre, floor level.</summary>
    public static RoomObject Towel(Frame wall, float z, SynthRandom rng)
    {
        var o = new RoomObject(Unseen.Towel, "towel");
        float hw = rng.Uniform(0.15f, 0.3f), hh = rng.Uniform(0.2f, 0.4f);
        o.Add("towel", Span(wall, -hw, hw, 0.01f, 0.035f, z - hh, z + hh, BoxFaces.All & ~BoxFaces.NegY), Palette.Fabric(rng), Material.Fabric);
        return o;
    }
}
