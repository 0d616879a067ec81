using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Synthetic.Scenes;

public static partial class Furniture
{
    /// <summary>Typical footprint depth of a <see cref="Chair"/> (for pushing chairs under tables).</summary>
    public const float ChairDepth = 0.48f;

    /// <summary>A chair: seat, back and either four legs or an office star base with wheels; maybe armrests.</summary>
    public static RoomObject Chair(Frame f, SynthRandom rng, bool office)
    {
        var o = new RoomObject(Nyu40.Chair, office ? "office chair" : "chair");
        float hw = rng.Uniform(0.20f, 0.25f), hd = rng.Uniform(0.20f, 0.24f), seatZ = rng.Uniform(0.42f, 0.50f), t = rng.Uniform(0.03f, 0.07f);
        var seatColor = office ? Palette.Fabric(rng) : rng.Chance(0.5) ? Palette.Wood(rng) : Palette.Fabric(rng);
        var seatMaterial = office || rng.Chance(0.5) ? Material.Fabric : Material.Wood;
        var frameColor = office || rng.Chance(0.5) ? Palette.Metal(rng) : Palette.Wood(rng);
        o.Add("seat", Box(f, 0, 0, seatZ + t / 2, hw, hd, t / 2), seatColor, seatMaterial);
        float backH = rng.Uniform(0.32f, 0.55f), tilt = rng.Uniform(0.0f, 0.25f);
        var backFrame = f.Offset(0, -hd + 0.03f, seatZ + t).TiltAboutX(tilt);
        var backColor = rng.Chance(0.6) ? Palette.Shade(seatColor, rng.Uniform(0.75f, 1.2f)) : Palette.Fabric(rng);
        o.Add("back", Box(backFrame, 0, 0, backH / 2, hw * rng.Uniform(0.85f, 1f), 0.025f, backH / 2), backColor, seatMaterial);
        if (office)
        {
            float poleH = seatZ - 0.1f;
            o.Add("gas lift", Cylinder(f, 0, 0, 0.08f, 0.025f, 0.025f, poleH - 0.06f), frameColor, Material.Metal);
            int spokes = 5;
            float phase = rng.Uniform(0, 2 * MathF.PI);
            for (int k = 0; k < spokes; k++)
            {
                float a = phase + 2 * MathF.PI * k / spokes;
                var spoke = Frame.Yaw(f.Point(0, 0, 0.07f), MathF.Atan2(f.X.Y, f.X.X) + a);
                o.Add("spoke", Box(spoke, 0.15f, 0, 0, 0.15f, 0.02f, 0.015f), frameColor, Material.Plastic);
                o.Add("wheel", Cylinder(spoke, 0.29f, 0, -0.07f, 0.025f, 0.025f, 0.05f), Palette.Metal(rng), Material.Plastic);
            }
            o.Add("seat base", Box(f, 0, 0, seatZ - 0.04f, hw * 0.5f, hd * 0.5f, 0.03f), frameColor, Material.Metal);
            if (rng.Chance(0.6))
            {
                foreach (int s in new[] { -1, 1 })
                {
                    o.Add("armrest", Box(f, s * (hw + 0.03f), 0, seatZ + 0.2f, 0.025f, hd * 0.7f, 0.015f), frameColor, Material.Plastic);
                    o.Add("armrest post", Box(f, s * (hw + 0.03f), -0.03f, seatZ + 0.1f, 0.015f, 0.02f, 0.09f), frameColor, Material.Metal);
                }
            }
        }
        else
        {
            AddLegs(o, f, hw, hd, 0.025f, seatZ, rng.Uniform(0.025f, 0.045f), rng.Chance(0.4), frameColor, rng.Chance(0.5) ? Material.Metal : Material.Wood);
        }
        return o;
    }

    /// <summary>A sofa of width <paramref name="width"/>: base, seat cushions, back cushions, arms, feet.</summary>
    public static RoomObject Sofa(Frame f, float width, float depth, SynthRandom rng)
    {
        var o = new RoomObject(Nyu40.Sofa, "sofa");
        var fabric = Palette.Fabric(rng);
        var cushion = rng.Chance(0.5) ? fabric : Palette.Shade(fabric, rng.Uniform(0.8f, 1.25f));
        float hw = width / 2, hd = depth / 2, baseTop = rng.Uniform(0.28f, 0.36f), arm = rng.Uniform(0.10f, 0.18f), feet = 0.06f;
        o.Add("base", Span(f, -hw, hw, -hd, hd, feet, baseTop, BoxFaces.All), fabric, Material.Fabric);
        int seats = width > 1.7f ? 3 : 2;
        float inner = width - 2 * arm, seatW = inner / seats, backD = rng.Uniform(0.15f, 0.22f);
        for (int k = 0; k < seats; k++)
        {
            float x0 = -hw + arm + k * seatW;
            o.Add("seat cushion", Span(f, x0 + 0.005f, x0 + seatW - 0.005f, -hd + backD, hd - 0.02f, baseTop, baseTop + rng.Uniform(0.10f, 0.14f), BoxFaces.All & ~BoxFaces.NegZ), cushion, Material.Fabric);
        }
        float backTop = rng.Uniform(0.75f, 0.95f);
        o.Add("back", Span(f, -hw + arm, hw - arm, -hd, -hd + backD, baseTop, backTop, BoxFaces.All & ~BoxFaces.NegZ), fabric, Material.Fabric);
        float armTop = rng.Uniform(0.55f, 0.68f);
        o.Add("arm", Span(f, -hw, -hw + arm, -hd, hd, baseTop, armTop, BoxFaces.All & ~BoxFaces.NegZ), fabric, Material.Fabric);
        o.Add("arm", Span(f, hw - arm, hw, -hd, hd, baseTop, armTop, BoxFaces.All & ~BoxFaces.NegZ), fabric, Material.Fabric);
        AddLegs(o, f, hw, hd, 0.05f, feet, 0.04f, true, Palette.Wood(rng), Material.Wood);
        return o;
    }

    /// <summary>A bed with its foot towards +Y: frame, mattress, blanket, headboard against the wall.</summary>
    public static RoomObject Bed(Frame f, float width, float length, SynthRandom rng)
    {
        var o = new RoomObject(Nyu40.Bed, "bed");
        float hw = width / 2, hl = length / 2, frameTop = rng.Uniform(0.25f, 0.38f), mattress = rng.Uniform(0.16f, 0.24f);
        var wood = rng.Chance(0.6) ? Palette.Wood(rng) : Palette.Laminate(rng);
        o.Add("frame", Span(f, -hw, hw, -hl + 0.06f, hl, 0.05f, frameTop, BoxFaces.All & ~BoxFaces.NegZ), wood, Material.Wood);
        o.Add("mattress", Span(f, -hw + 0.02f, hw - 0.02f, -hl + 0.08f, hl - 0.02f, frameTop, frameTop + mattress, BoxFaces.All & ~BoxFaces.NegZ), Palette.Jitter(new Vector3(0.9f, 0.9f, 0.88f), rng, 0.05f), Material.Fabric);
        float top = frameTop + mattress;
        float blanketStart = rng.Uniform(-0.1f, 0.3f) * length;
        o.Add("blanket", Span(f, -hw - 0.01f, hw + 0.01f, blanketStart, hl + 0.01f, top - 0.12f, top + 0.03f, BoxFaces.All & ~BoxFaces.NegZ), Palette.Fabric(rng), Material.Fabric);
        o.Add("headboard", Span(f, -hw - 0.02f, hw + 0.02f, -hl, -hl + 0.06f, 0, top + rng.Uniform(0.35f, 0.7f), BoxFaces.All & ~BoxFaces.NegZ), Palette.Shade(wood, 0.85f), Material.Wood);
        AddLegs(o, f, hw, hl, 0.05f, 0.05f, 0.05f, false, wood, Material.Wood);
        return o;
    }

    /// <summary>A pillow lying on a bed at local (x, y) and height <paramref name="z"/>.</summary>
    public static RoomObject Pillow(Frame f, float x, float y, float z, SynthRandom rng)
    {
        var o = new RoomObject(Nyu40.Pillow, "pillow");
        o.Add("pillow", Box(f, x, y, z + 0.06f, rng.Uniform(0.24f, 0.33f), rng.Uniform(0.16f, 0.22f), 0.06f, BoxFaces.All & ~BoxFaces.NegZ), Palette.Fabric(rng), Material.Fabric);
        return o;
    }
}
