using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Synthetic.Scenes;

public static partial class Furniture
{
    // Wall-mounted builders take a wall frame: origin on the wall surface at floor level, +X along the wall,
    // +Y into the room, +Z up. The wall surface is y = 0; the wall has a hole where doors and windows are.

    /// <summary>A door filling a hole [−w/2, w/2] × [0, h] of the wall: recessed leaf (maybe ajar), casing, handle.</summary>
    public static RoomObject Door(Frame wall, float width, float height, SynthRandom rng)
    {
        var o = new RoomObject(Nyu40.Door, "door");
        float hw = width / 2, recess = rng.Uniform(0.03f, 0.1f);
        var leaf = rng.Chance(0.5) ? Palette.Wood(rng) : Palette.Laminate(rng);
        var casing = rng.Chance(0.5) ? Palette.Jitter(new Vector3(0.92f, 0.92f, 0.9f), rng, 0.03f) : Palette.Shade(leaf, 0.85f);
        float open = rng.Chance(0.3) ? rng.Uniform(0.3f, 1.3f) : 0; // ajar: turned into the room about the hinge
        var hinge = Frame.Yaw(wall.Point(-hw, -recess, 0), MathF.Atan2(wall.X.Y, wall.X.X) + open);
        o.Add("leaf", Span(hinge, 0.005f, width - 0.005f, -0.02f, 0.02f, 0.005f, height - 0.005f), leaf, Material.Wood);
        o.Add("handle", Span(hinge, width - 0.1f, width - 0.06f, 0.02f, 0.07f, 1.0f, 1.03f), Palette.Metal(rng), Material.Metal);
        float c = rng.Uniform(0.05f, 0.09f);
        o.Add("casing", Span(wall, -hw - c, -hw, 0, 0.015f, 0, height + c, BoxFaces.All & ~BoxFaces.NegY & ~BoxFaces.NegZ), casing, Material.Paint);
        o.Add("casing", Span(wall, hw, hw + c, 0, 0.015f, 0, height + c, BoxFaces.All & ~BoxFaces.NegY & ~BoxFaces.NegZ), casing, Material.Paint);
        o.Add("casing", Span(wall, -hw, hw, 0, 0.015f, height, height + c, BoxFaces.All & ~BoxFaces.NegY), casing, Material.Paint);
        o.Add("jamb", Span(wall, -hw, -hw + 0.01f, -recess - 0.04f, 0, 0, height, BoxFaces.PosX), casing, Material.Paint);
        o.Add("jamb", Span(wall, hw - 0.01f, hw, -recess - 0.04f, 0, 0, height, BoxFaces.NegX), casing, Material.Paint);
        o.Add("jamb", Span(wall, -hw, hw, -recess - 0.04f, 0, height - 0.01f, height, BoxFaces.NegZ), casing, Material.Paint);
        return o;
    }

    /// <summary>A window in the hole [−w/2, w/2] × [sill, sill + h]: glass pane recessed, frame, mullion, sill.</summary>
    public static RoomObject Window(Frame wall, float width, float sill, float height, SynthRandom rng)
    {
        var o = new RoomObject(Nyu40.Window, "window");
        float hw = width / 2, recess = rng.Uniform(0.08f, 0.2f), fr = rng.Uniform(0.04f, 0.07f);
        var frame = rng.Chance(0.7) ? Palette.Jitter(new Vector3(0.93f, 0.93f, 0.92f), rng, 0.03f) : Palette.Wood(rng);
        var glass = Palette.Jitter(new Vector3(0.35f, 0.45f, 0.55f), rng, 0.1f);
        var pane = new Frame(wall.Point(0, -recess, 0), -wall.X, wall.Z, wall.Y);
        o.Add("glass", new PanelPrimitive(pane, -hw, hw, sill, sill + height, []), glass, Material.Glass);
        o.Add("frame", Span(wall, -hw, hw, -recess, -recess + 0.04f, sill, sill + fr), frame, Material.Paint);
        o.Add("frame", Span(wall, -hw, hw, -recess, -recess + 0.04f, sill + height - fr, sill + height), frame, Material.Paint);
        o.Add("frame", Span(wall, -hw, -hw + fr, -recess, -recess + 0.04f, sill + fr, sill + height - fr), frame, Material.Paint);
        o.Add("frame", Span(wall, hw - fr, hw, -recess, -recess + 0.04f, sill + fr, sill + height - fr), frame, Material.Paint);
        if (width > 0.8f)
            o.Add("mullion", Span(wall, -fr / 2, fr / 2, -recess, -recess + 0.04f, sill + fr, sill + height - fr), frame, Material.Paint);
        o.Add("reveal", Span(wall, -hw, hw, -recess, 0, sill - 0.01f, sill, BoxFaces.PosZ), frame, Material.Paint);
        o.Add("reveal", Span(wall, -hw, hw, -recess, 0, sill + height, sill + height + 0.01f, BoxFaces.NegZ), frame, Material.Paint);
        o.Add("reveal", Span(wall, -hw - 0.01f, -hw, -recess, 0, sill, sill + height, BoxFaces.PosX), frame, Material.Paint);
        o.Add("reveal", Span(wall, hw, hw + 0.01f, -recess, 0, sill, sill + height, BoxFaces.NegX), frame, Material.Paint);
        o.Add("sill", Span(wall, -hw - 0.05f, hw + 0.05f, 0, rng.Uniform(0.04f, 0.12f), sill - 0.03f, sill, BoxFaces.All & ~BoxFaces.NegY), frame, Material.Paint);
        return o;
    }

    /// <summary>A picture on the wall centred at height <paramref name="z"/>: frame and canvas.</summary>
    public static RoomObject Picture(Frame wall, float width, float height, float z, SynthRandom rng)
    {
        var o = new RoomObject(Nyu40.Picture, "picture");
        float hw = width / 2, hh = height / 2, t = rng.Uniform(0.015f, 0.04f), b = rng.Uniform(0.01f, 0.05f);
        var frame = rng.Chance(0.5) ? Palette.Wood(rng) : Palette.Metal(rng);
        o.Add("frame", Span(wall, -hw, hw, 0, t, z - hh, z + hh, BoxFaces.All & ~BoxFaces.NegY), frame, Material.Wood);
        o.Add("canvas", Span(wall, -hw + b, hw - b, t, t + 0.002f, z - hh + b, z + hh - b, BoxFaces.PosY), Palette.Vivid(rng), Material.Fabric);
        if (rng.Chance(0.5))
            o.Add("motif", Span(wall, -hw * rng.Uniform(0.2f, 0.6f), hw * rng.Uniform(0.2f, 0.6f), t + 0.002f, t + 0.003f, z - hh * rng.Uniform(0.2f, 0.6f), z + hh * rng.Uniform(0.2f, 0.6f), BoxFaces.PosY), Palette.Vivid(rng), Material.Fabric);
        return o;
    }

    /// <summary>A curtain hanging in folds in front of the wall over [x0, x1], from <paramref name="top"/> to
    /// <paramref name="bottom"/>, with its rod.</summary>
    public static RoomObject Curtain(Frame wall, float x0, float x1, float bottom, float top, SynthRandom rng, Vector3 color)
    {
        var o = new RoomObject(Nyu40.Curtain, "curtain");
        float off = rng.Uniform(0.07f, 0.12f);
        var panel = new Frame(wall.Point(0, off, 0), -wall.X, wall.Z, wall.Y);
        var folds = new PanelFolds(rng.Uniform(0.02f, 0.05f), rng.Uniform(0.12f, 0.25f), rng.Uniform(0, 6.28f));
        o.Add("cloth", new PanelPrimitive(panel, -x1, -x0, bottom, top, [], folds), color, Material.Fabric);
        var rod = Frame.FromZ(wall.Point(x0, off, top + 0.03f), wall.X, wall.Z);
        o.Add("rod", new FrustumPrimitive(rod, 0.012f, 0.012f, x1 - x0, false, false), Palette.Metal(rng), Material.Metal);
        return o;
    }
}
