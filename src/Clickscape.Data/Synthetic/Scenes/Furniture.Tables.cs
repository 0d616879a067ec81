using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Synthetic.Scenes;

public static partial class Furniture
{
    /// <summary>A table: top (rectangular or round) on four legs or a pedestal.</summary>
    public static RoomObject Table(Frame f, float width, float depth, float height, SynthRandom rng, bool round = false)
    {
        var o = new RoomObject(Nyu40.Table, round ? "round table" : "table");
        float t = rng.Uniform(0.025f, 0.05f);
        var top = rng.Chance(0.6) ? Palette.Wood(rng) : Palette.Laminate(rng);
        var legs = rng.Chance(0.5) ? Palette.Metal(rng) : Palette.Shade(top, rng.Uniform(0.6f, 0.9f));
        if (round)
        {
            float r = 0.5f * MathF.Min(width, depth);
            o.Add("top", Cylinder(f, 0, 0, height - t, r, r, t), top, Material.Wood);
            o.Add("pedestal", Cylinder(f, 0, 0, 0.03f, 0.04f, 0.04f, height - t - 0.03f, false, false), legs, Material.Metal);
            o.Add("foot", Cylinder(f, 0, 0, 0, r * 0.5f, r * 0.45f, 0.03f, false, true), legs, Material.Metal);
            return o;
        }
        o.Add("top", Box(f, 0, 0, height - t / 2, width / 2, depth / 2, t / 2), top, rng.Chance(0.7) ? Material.Wood : Material.Plastic);
        AddLegs(o, f, width / 2, depth / 2, rng.Uniform(0.03f, 0.08f), height - t, rng.Uniform(0.04f, 0.07f), rng.Chance(0.4), legs, Material.Metal);
        if (rng.Chance(0.4))
            o.Add("apron", Span(f, -width / 2 + 0.06f, width / 2 - 0.06f, -depth / 2 + 0.06f, depth / 2 - 0.06f, height - t - 0.08f, height - t, BoxFaces.All & ~BoxFaces.PosZ), Palette.Shade(top, 0.8f), Material.Wood);
        return o;
    }

    /// <summary>A desk: top on side panels or legs, modesty panel at the back, maybe a drawer pedestal.</summary>
    public static RoomObject Desk(Frame f, float width, float depth, float height, SynthRandom rng)
    {
        var o = new RoomObject(Nyu40.Desk, "desk");
        float t = rng.Uniform(0.025f, 0.04f), hw = width / 2, hd = depth / 2;
        var top = rng.Chance(0.5) ? Palette.Laminate(rng) : Palette.Wood(rng);
        var body = rng.Chance(0.5) ? top : Palette.Laminate(rng);
        o.Add("top", Box(f, 0, 0, height - t / 2, hw, hd, t / 2), top, Material.Wood);
        if (rng.Chance(0.5))
        {
            o.Add("side panel", Span(f, -hw, -hw + 0.025f, -hd + 0.02f, hd - 0.02f, 0, height - t, BoxFaces.All & ~BoxFaces.NegZ), body, Material.Paint);
            o.Add("side panel", Span(f, hw - 0.025f, hw, -hd + 0.02f, hd - 0.02f, 0, height - t, BoxFaces.All & ~BoxFaces.NegZ), body, Material.Paint);
        }
        else
        {
            AddLegs(o, f, hw, hd, 0.04f, height - t, 0.05f, false, Palette.Metal(rng), Material.Metal);
        }
        o.Add("modesty panel", Span(f, -hw + 0.03f, hw - 0.03f, -hd + 0.03f, -hd + 0.05f, height * 0.35f, height - t), body, Material.Paint);
        if (rng.Chance(0.5) && width > 1.1f)
        {
            float side = rng.Chance(0.5) ? -1 : 1, pw = 0.4f, x = side * (hw - 0.03f - pw / 2);
            o.Add("drawer pedestal", Span(f, x - pw / 2, x + pw / 2, -hd + 0.06f, hd - 0.04f, 0, height - t, BoxFaces.All & ~BoxFaces.NegZ), body, Material.Paint);
            int drawers = rng.Int(2, 4);
            float dh = (height - t - 0.04f) / drawers;
            for (int k = 0; k < drawers; k++)
            {
                o.Add("drawer front", Span(f, x - pw / 2 + 0.01f, x + pw / 2 - 0.01f, hd - 0.04f, hd - 0.02f, 0.03f + k * dh, 0.03f + (k + 1) * dh - 0.01f), Palette.Shade(body, 0.92f), Material.Paint);
                o.Add("handle", Span(f, x - 0.06f, x + 0.06f, hd - 0.02f, hd, 0.03f + (k + 0.7f) * dh, 0.03f + (k + 0.7f) * dh + 0.015f), Palette.Metal(rng), Material.Metal);
            }
        }
        return o;
    }

    /// <summary>A counter top slab of the given size, its underside at <paramref name="z"/>, with a backsplash.</summary>
    public static RoomObject Counter(Frame f, float width, float depth, float z, SynthRandom rng, bool withBase)
    {
        var o = new RoomObject(Nyu40.Counter, "counter");
        float t = rng.Uniform(0.03f, 0.05f), hw = width / 2, hd = depth / 2;
        var stone = rng.Chance(0.5) ? Palette.Jitter(new Vector3(0.3f, 0.3f, 0.32f), rng, 0.1f) : Palette.Jitter(new Vector3(0.85f, 0.83f, 0.8f), rng, 0.06f);
        o.Add("top", Span(f, -hw, hw, -hd, hd + 0.02f, z, z + t), stone, Material.Plastic);
        if (rng.Chance(0.6))
            o.Add("backsplash", Span(f, -hw, hw, -hd, -hd + 0.015f, z + t, z + t + rng.Uniform(0.05f, 0.12f)), stone, Material.Plastic);
        if (withBase)
        {
            var body = Palette.Laminate(rng);
            o.Add("body", Span(f, -hw, hw, -hd, hd - 0.05f, 0.1f, z, BoxFaces.All & ~BoxFaces.NegZ), body, Material.Paint);
            o.Add("plinth", Span(f, -hw, hw, -hd, hd - 0.1f, 0, 0.1f, BoxFaces.All & ~BoxFaces.NegZ), Palette.Shade(body, 0.6f), Material.Paint);
        }
        return o;
    }

    /// <summary>A small thing standing on a surface at height <paramref name="z"/> (otherprop, or unannotated): box, bottle or monitor.</summary>
    public static RoomObject Clutter(Frame f, float x, float y, float z, SynthRandom rng)
    {
        int kind = rng.Int(0, 3);
        // ScanNet's annotators skip some small things: a third of the clutter stays unannotated (class 0, no instance).
        int label = rng.Chance(0.33) ? Geometry.Scenes.Scene.Unlabelled : Nyu40.OtherProp;
        var o = new RoomObject(label, kind == 0 ? "box" : kind == 1 ? "bottle" : "monitor");
        switch (kind)
        {
            case 0:
                o.Add("box", Box(f, x, y, z + 0.05f, rng.Uniform(0.05f, 0.15f), rng.Uniform(0.05f, 0.12f), rng.Uniform(0.02f, 0.06f), BoxFaces.All & ~BoxFaces.NegZ), Palette.Vivid(rng), Material.Plastic);
                break;
            case 1:
                float r = rng.Uniform(0.03f, 0.06f);
                o.Add("bottle", Cylinder(f, x, y, z, r, r * rng.Uniform(0.6f, 1f), rng.Uniform(0.1f, 0.3f), bottomCap: false), Palette.Vivid(rng), Material.Plastic);
                break;
            default:
                float w = rng.Uniform(0.22f, 0.32f), hgt = w * 0.6f;
                o.Add("stand", Box(f, x, y, z + 0.06f, 0.04f, 0.04f, 0.06f, BoxFaces.All & ~BoxFaces.NegZ), Palette.Metal(rng), Material.Metal);
                o.Add("screen", Box(f, x, y, z + 0.12f + hgt, w, 0.02f, hgt), new Vector3(0.08f, 0.08f, 0.09f), Material.Plastic);
                break;
        }
        return o;
    }
}
