using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Synthetic.Scenes;

public static partial class Furniture
{
    /// <summary>A cabinet: body, one or two doors or a stack of drawers on its front, handles. Its bottom is at
    /// <paramref name="z"/> (0 on the floor, higher for a wall cabinet).</summary>
    public static RoomObject Cabinet(Frame f, float width, float depth, float height, float z, SynthRandom rng, Vector3? body = null, int nyu40Id = Nyu40.Cabinet)
    {
        var o = new RoomObject(nyu40Id, nyu40Id == Nyu40.NightStand ? "night stand" : z > 0 ? "wall cabinet" : "cabinet");
        float hw = width / 2, hd = depth / 2;
        var color = body ?? (rng.Chance(0.5) ? Palette.Laminate(rng) : Palette.Wood(rng));
        var front = rng.Chance(0.5) ? color : Palette.Shade(color, rng.Uniform(0.75f, 1.15f));
        var handle = Palette.Metal(rng);
        o.Add("body", Span(f, -hw, hw, -hd, hd - 0.02f, z, z + height, z > 0 ? BoxFaces.All : BoxFaces.All & ~BoxFaces.NegZ), color, Material.Wood);
        bool drawers = rng.Chance(0.35);
        if (drawers)
        {
            int k = Math.Max(2, (int)(height / rng.Uniform(0.15f, 0.3f)));
            float dh = (height - 0.02f) / k;
            for (int i = 0; i < k; i++)
            {
                float z0 = z + 0.01f + i * dh;
                o.Add("drawer front", Span(f, -hw + 0.01f, hw - 0.01f, hd - 0.02f, hd, z0 + 0.004f, z0 + dh - 0.004f), front, Material.Paint);
                o.Add("handle", Span(f, -0.07f, 0.07f, hd, hd + 0.015f, z0 + dh * 0.6f, z0 + dh * 0.6f + 0.015f), handle, Material.Metal);
            }
        }
        else
        {
            int doors = width > 0.55f ? 2 : 1;
            float dw = (width - 0.02f) / doors;
            for (int i = 0; i < doors; i++)
            {
                float x0 = -hw + 0.01f + i * dw;
                o.Add("door", Span(f, x0 + 0.003f, x0 + dw - 0.003f, hd - 0.02f, hd, z + 0.01f, z + height - 0.01f), front, Material.Paint);
                float hx = doors == 2 ? (i == 0 ? x0 + dw - 0.05f : x0 + 0.05f) : x0 + dw - 0.05f;
                float hz = z > 0 ? z + 0.1f : z + height - 0.12f;
                o.Add("handle", Span(f, hx - 0.008f, hx + 0.008f, hd, hd + 0.02f, hz - 0.06f, hz + 0.06f), handle, Material.Metal);
            }
        }
        return o;
    }

    /// <summary>A bookshelf: sides, top, back, shelves, and rows of books of random colours and heights.</summary>
    public static RoomObject Bookshelf(Frame f, float width, float depth, float height, SynthRandom rng)
    {
        var o = new RoomObject(Nyu40.Bookshelf, "bookshelf");
        float hw = width / 2, hd = depth / 2, t = 0.02f;
        var wood = rng.Chance(0.6) ? Palette.Wood(rng) : Palette.Laminate(rng);
        o.Add("side", Span(f, -hw, -hw + t, -hd, hd, 0, height, BoxFaces.All & ~BoxFaces.NegZ), wood, Material.Wood);
        o.Add("side", Span(f, hw - t, hw, -hd, hd, 0, height, BoxFaces.All & ~BoxFaces.NegZ), wood, Material.Wood);
        o.Add("back", Span(f, -hw + t, hw - t, -hd, -hd + 0.01f, 0, height, BoxFaces.PosY), Palette.Shade(wood, 0.8f), Material.Wood);
        o.Add("top", Span(f, -hw, hw, -hd, hd, height - t, height), wood, Material.Wood);
        int shelves = Math.Max(2, (int)(height / rng.Uniform(0.3f, 0.4f)));
        float gap = (height - t) / shelves;
        for (int s = 0; s < shelves; s++)
        {
            float z = s * gap;
            o.Add("shelf", Span(f, -hw + t, hw - t, -hd + 0.01f, hd, z, z + t, s == 0 ? BoxFaces.PosZ | BoxFaces.PosY : BoxFaces.All), wood, Material.Wood);
            float x = -hw + t + rng.Uniform(0, 0.1f);
            while (x < hw - t - 0.05f)
            {
                if (rng.Chance(0.15))
                {
                    x += rng.Uniform(0.05f, 0.25f);
                    continue;
                }
                float bw = rng.Uniform(0.015f, 0.05f), bh = MathF.Min(gap - t - 0.02f, rng.Uniform(0.15f, 0.3f));
                if (x + bw > hw - t) break;
                o.Add("book", Span(f, x, x + bw, -hd + 0.02f, -hd + 0.02f + rng.Uniform(0.14f, MathF.Max(0.15f, depth - 0.04f)), z + t, z + t + bh, BoxFaces.All & ~BoxFaces.NegZ), Palette.Vivid(rng), Material.Plastic);
                x += bw + 0.002f;
            }
        }
        return o;
    }

    /// <summary>A refrigerator: body, one or two doors, vertical handles.</summary>
    public static RoomObject Refrigerator(Frame f, float width, float depth, float height, SynthRandom rng)
    {
        var o = new RoomObject(Nyu40.Refrigerator, "refrigerator");
        float hw = width / 2, hd = depth / 2;
        var color = rng.Pick(new[] { new Vector3(0.93f, 0.93f, 0.92f), new Vector3(0.62f, 0.63f, 0.65f), new Vector3(0.12f, 0.12f, 0.13f) });
        o.Add("body", Span(f, -hw, hw, -hd, hd - 0.03f, 0, height, BoxFaces.All & ~BoxFaces.NegZ), color, Material.Metal);
        float split = rng.Chance(0.7) ? height * rng.Uniform(0.6f, 0.7f) : height;
        o.Add("door", Span(f, -hw + 0.005f, hw - 0.005f, hd - 0.03f, hd, 0.02f, split - 0.005f), Palette.Shade(color, 0.97f), Material.Metal);
        if (split < height)
            o.Add("freezer door", Span(f, -hw + 0.005f, hw - 0.005f, hd - 0.03f, hd, split + 0.005f, height - 0.01f), Palette.Shade(color, 0.97f), Material.Metal);
        var handle = Palette.Metal(rng);
        o.Add("handle", Span(f, hw - 0.07f, hw - 0.05f, hd, hd + 0.04f, split - 0.45f, split - 0.1f), handle, Material.Metal);
        if (split < height)
            o.Add("handle", Span(f, hw - 0.07f, hw - 0.05f, hd, hd + 0.04f, split + 0.05f, split + 0.3f), handle, Material.Metal);
        return o;
    }

    /// <summary>A television standing on a surface at height <paramref name="z"/>.</summary>
    public static RoomObject Television(Frame f, float width, float z, SynthRandom rng)
    {
        var o = new RoomObject(Nyu40.Television, "television");
        float h = width * 0.58f;
        o.Add("stand", Span(f, -0.12f, 0.12f, -0.08f, 0.08f, z, z + 0.02f), Palette.Metal(rng), Material.Metal);
        o.Add("neck", Span(f, -0.03f, 0.03f, -0.03f, 0.0f, z + 0.02f, z + 0.1f), Palette.Metal(rng), Material.Metal);
        o.Add("screen", Span(f, -width / 2, width / 2, -0.04f, 0.0f, z + 0.08f, z + 0.08f + h), new Vector3(0.05f, 0.05f, 0.06f), Material.Glass);
        return o;
    }

    /// <summary>Other furniture: a trash bin, a stool, an ottoman, a coat rack or a laundry basket.</summary>
    public static RoomObject OtherFurniture(Frame f, SynthRandom rng, out float footprint)
    {
        int kind = rng.Int(0, 5);
        string[] names = ["trash bin", "stool", "ottoman", "coat rack", "laundry basket"];
        var o = new RoomObject(Nyu40.OtherFurniture, names[kind]);
        switch (kind)
        {
            case 0:
                float r = rng.Uniform(0.12f, 0.2f);
                o.Add("bin", Cylinder(f, 0, 0, 0, r * 0.85f, r, rng.Uniform(0.3f, 0.5f), bottomCap: false, topCap: false), Palette.Vivid(rng), Material.Plastic);
                o.Add("rim", Cylinder(f, 0, 0, 0.3f, r + 0.005f, r + 0.005f, 0.02f, false, false), Palette.Metal(rng), Material.Plastic);
                footprint = 2 * r;
                break;
            case 1:
                float sr = rng.Uniform(0.15f, 0.2f), sh = rng.Uniform(0.45f, 0.7f);
                o.Add("seat", Cylinder(f, 0, 0, sh - 0.04f, sr, sr, 0.04f), Palette.Wood(rng), Material.Wood);
                var legColor = Palette.Metal(rng);
                for (int k = 0; k < 4; k++)
                {
                    float a = MathF.PI / 4 + k * MathF.PI / 2;
                    o.Add("leg", Cylinder(f, 0.7f * sr * MathF.Cos(a), 0.7f * sr * MathF.Sin(a), 0, 0.015f, 0.015f, sh - 0.04f, false, false), legColor, Material.Metal);
                }
                footprint = 2 * sr;
                break;
            case 2:
                float w = rng.Uniform(0.4f, 0.7f);
                o.Add("cushion", Span(f, -w / 2, w / 2, -w / 2, w / 2, 0.05f, rng.Uniform(0.35f, 0.45f), BoxFaces.All & ~BoxFaces.NegZ), Palette.Fabric(rng), Material.Fabric);
                AddLegs(o, f, w / 2, w / 2, 0.04f, 0.05f, 0.03f, true, Palette.Wood(rng), Material.Wood);
                footprint = w;
                break;
            case 3:
                var c = rng.Chance(0.5) ? Palette.Wood(rng) : Palette.Metal(rng);
                o.Add("base", Cylinder(f, 0, 0, 0, 0.2f, 0.18f, 0.03f, false), c, Material.Metal);
                o.Add("pole", Cylinder(f, 0, 0, 0.03f, 0.02f, 0.02f, 1.7f, false), c, Material.Wood);
                for (int k = 0; k < 4; k++)
                    o.Add("hook", Box(Frame.Yaw(f.Point(0, 0, 1.65f), k * MathF.PI / 2), 0.08f, 0, 0, 0.08f, 0.012f, 0.012f), c, Material.Metal);
                footprint = 0.4f;
                break;
            default:
                float bw = rng.Uniform(0.35f, 0.5f);
                o.Add("basket", Span(f, -bw / 2, bw / 2, -0.18f, 0.18f, 0, rng.Uniform(0.4f, 0.6f), BoxFaces.All & ~BoxFaces.NegZ & ~BoxFaces.PosZ), Palette.Fabric(rng), Material.Fabric);
                o.Add("clothes", Span(f, -bw / 2 + 0.02f, bw / 2 - 0.02f, -0.16f, 0.16f, 0, 0.35f, BoxFaces.PosZ), Palette.Fabric(rng), Material.Fabric);
                footprint = MathF.Max(bw, 0.36f);
                break;
        }
        return o;
    }
}
