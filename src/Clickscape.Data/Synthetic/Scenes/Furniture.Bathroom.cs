using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Synthetic.Scenes;

public static partial class Furniture
{
    private static Vector3 Porcelain(SynthRandom rng) => Palette.Jitter(new Vector3(0.95f, 0.95f, 0.94f), rng, 0.03f);

    /// <summary>A toilet with its tank against the wall (−Y): tank, bowl, seat, lid.</summary>
    public static RoomObject Toilet(Frame f, SynthRandom rng)
    {
        var o = new RoomObject(Nyu40.Toilet, "toilet");
        var white = Porcelain(rng);
        float tankW = rng.Uniform(0.19f, 0.23f), tankD = rng.Uniform(0.08f, 0.1f), seatZ = rng.Uniform(0.38f, 0.43f);
        o.Add("tank", Span(f, -tankW, tankW, -0.35f, -0.35f + 2 * tankD, seatZ, seatZ + rng.Uniform(0.3f, 0.4f)), white, Material.Ceramic);
        var bowl = f.Offset(0, -0.05f, 0);
        o.Add("bowl", Cylinder(bowl, 0, 0, 0, rng.Uniform(0.11f, 0.14f), rng.Uniform(0.17f, 0.2f), seatZ - 0.02f, bottomCap: false), white, Material.Ceramic);
        var seat = rng.Chance(0.5) ? white : Palette.Jitter(new Vector3(0.2f, 0.2f, 0.22f), rng, 0.05f);
        o.Add("seat", Cylinder(bowl, 0, 0, seatZ - 0.02f, 0.19f, 0.19f, 0.03f, bottomCap: false), seat, Material.Plastic);
        o.Add("pipe", Span(f, -0.04f, 0.04f, -0.35f, -0.21f, seatZ - 0.15f, seatZ), white, Material.Ceramic);
        return o;
    }

    /// <summary>A sink on a counter top at height <paramref name="z"/> (vessel bowl + faucet), or a pedestal sink
    /// standing on the floor when <paramref name="z"/> is 0.</summary>
    public static RoomObject Sink(Frame f, float z, SynthRandom rng)
    {
        var o = new RoomObject(Nyu40.Sink, z > 0 ? "sink" : "pedestal sink");
        var bowlColor = rng.Chance(0.7) ? Porcelain(rng) : Palette.Metal(rng);
        float bw = rng.Uniform(0.2f, 0.28f), bd = rng.Uniform(0.16f, 0.22f), bh = rng.Uniform(0.1f, 0.16f);
        float baseZ = z;
        if (z <= 0)
        {
            baseZ = rng.Uniform(0.68f, 0.78f);
            o.Add("pedestal", Cylinder(f, 0, 0, 0, 0.11f, 0.07f, baseZ, false, false), bowlColor, Material.Ceramic);
        }
        o.Add("basin", Span(f, -bw, bw, -bd, bd, baseZ, baseZ + bh, BoxFaces.All & ~BoxFaces.PosZ & (z > 0 ? ~BoxFaces.NegZ : BoxFaces.All)), bowlColor, Material.Ceramic);
        o.Add("rim", Span(f, -bw, bw, -bd, bd, baseZ + bh, baseZ + bh + 0.01f, BoxFaces.PosZ), Palette.Shade(bowlColor, 0.97f), Material.Ceramic);
        o.Add("bowl", Span(f, -bw + 0.03f, bw - 0.03f, -bd + 0.03f, bd - 0.03f, baseZ + bh + 0.011f, baseZ + bh + 0.012f, BoxFaces.PosZ), Palette.Shade(bowlColor, 0.8f), Material.Ceramic);
        var chrome = Palette.Metal(rng);
        o.Add("faucet", Cylinder(f, 0, -bd - 0.04f, baseZ, 0.015f, 0.015f, bh + 0.15f, false), chrome, Material.Metal);
        o.Add("spout", Span(f, -0.012f, 0.012f, -bd - 0.04f, -bd + 0.08f, baseZ + bh + 0.12f, baseZ + bh + 0.15f), chrome, Material.Metal);
        return o;
    }

    /// <summary>A bathtub along +X: outer shell, rim, inner bottom, faucet.</summary>
    public static RoomObject Bathtub(Frame f, float length, float width, SynthRandom rng)
    {
        var o = new RoomObject(Nyu40.Bathtub, "bathtub");
        var white = Porcelain(rng);
        float hl = length / 2, hw = width / 2, h = rng.Uniform(0.45f, 0.6f), wall = rng.Uniform(0.06f, 0.1f);
        var apron = rng.Chance(0.5) ? white : Palette.Jitter(new Vector3(0.85f, 0.85f, 0.83f), rng, 0.05f);
        o.Add("apron", Span(f, -hl, hl, hw - 0.01f, hw, 0, h - 0.02f, BoxFaces.PosY), apron, Material.Ceramic);
        o.Add("rim", Span(f, -hl, hl, -hw, -hw + wall, 0, h, BoxFaces.PosZ | BoxFaces.PosY), white, Material.Ceramic);
        o.Add("rim", Span(f, -hl, hl, hw - wall, hw, 0, h, BoxFaces.PosZ | BoxFaces.NegY), white, Material.Ceramic);
        o.Add("rim", Span(f, -hl, -hl + wall, -hw + wall, hw - wall, 0, h, BoxFaces.PosZ | BoxFaces.PosX), white, Material.Ceramic);
        o.Add("rim", Span(f, hl - wall, hl, -hw + wall, hw - wall, 0, h, BoxFaces.PosZ | BoxFaces.NegX), white, Material.Ceramic);
        o.Add("basin", Span(f, -hl + wall, hl - wall, -hw + wall, hw - wall, 0, 0.08f, BoxFaces.PosZ), Palette.Shade(white, 0.93f), Material.Ceramic);
        var chrome = Palette.Metal(rng);
        o.Add("faucet", Span(f, -hl + 0.01f, -hl + wall, -0.03f, 0.03f, h, h + 0.12f), chrome, Material.Metal);
        o.Add("spout", Span(f, -hl + wall - 0.01f, -hl + wall + 0.12f, -0.015f, 0.015f, h + 0.09f, h + 0.12f), chrome, Material.Metal);
        return o;
    }

    /// <summary>A shower curtain hanging along local X from <paramref name="x0"/> to <paramref name="x1"/> at
    /// y = <paramref name="y"/>, from a rod at <paramref name="top"/> down to <paramref name="bottom"/>.</summary>
    public static RoomObject ShowerCurtain(Frame f, float x0, float x1, float y, float bottom, float top, SynthRandom rng)
    {
        var o = new RoomObject(Nyu40.ShowerCurtain, "shower curtain");
        // The panel's +Z (its front) faces +Y of the floor frame: panel frame axes (X, Z, −Y)·(−1) flip.
        var panel = new Frame(f.Point(0, y, 0), -f.X, f.Z, f.Y);
        var folds = new PanelFolds(rng.Uniform(0.015f, 0.04f), rng.Uniform(0.1f, 0.2f), rng.Uniform(0, 6.28f));
        o.Add("curtain", new PanelPrimitive(panel, -x1, -x0, bottom, top - 0.02f, [], folds), rng.Chance(0.5) ? Palette.Vivid(rng) : Palette.Fabric(rng), Material.Fabric);
        var rodFrame = Frame.FromZ(f.Point(x0, y, top), f.X, f.Z);
        o.Add("rod", new FrustumPrimitive(rodFrame, 0.012f, 0.012f, x1 - x0, false, false), Palette.Metal(rng), Material.Metal);
        return o;
    }
}
