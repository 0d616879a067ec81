using Clickscape.Data.Formats.Png;

namespace Clickscape.Data.Synthetic.Images;

/// <summary>One annotated object of a generated image: class, shape and the mask of its visible pixels.</summary>
public sealed record SyntheticObject(ShapeKind Kind, PlacedShape Shape, byte[] VisibleMask, int VisibleArea);

/// <summary>A generated RGB image with its objects, back to front.</summary>
public sealed record SyntheticImage(PngImage Image, IReadOnlyList<SyntheticObject> Objects);

/// <summary>
/// Generates images of overlapping textured objects of the eight <see cref="ShapeKind"/> classes on a cluttered
/// textured background, with exact instance masks of what stays visible after occlusion.
/// </summary>
/// <remarks>
/// Recipe, per image (all draws from one seeded <see cref="Random"/>, so an image depends only on its seed):
/// <list type="number">
/// <item>Background: a low-contrast texture, then 12–40 clutter strokes and quads (not objects, never
/// annotated) so that "not background-coloured" does not mean "object".</item>
/// <item>3–8 objects with random class, texture, rotation and size (radius 6–32 % of the short side),
/// centres anywhere in the image so objects overlap and get cut by the border; drawn back to front,
/// each pixel owned by the last object covering it (hard edges: a pixel belongs to a shape when its centre
/// does, so the masks are exact).</item>
/// <item>Objects left with fewer than <see cref="MinVisibleArea"/> visible pixels are removed and the image
/// is drawn again, so every visible fragment of an object in the picture is annotated.</item>
/// <item>Lighting: a smooth multiplicative gradient and ±6 per-channel pixel noise over everything (changes
/// colours, never ownership).</item>
/// </list>
/// </remarks>
public static class ImageSynthesizer
{
    /// <summary>Objects with fewer visible pixels than this are dropped.</summary>
    public const int MinVisibleArea = 40;

    /// <summary>Generates the image of <paramref name="seed"/>.</summary>
    public static SyntheticImage Generate(int seed, int width = 256, int height = 256)
    {
        if (width < 16 || height < 16) throw new ArgumentException($"image size {width}×{height}: expected at least 16×16");
        var random = new Random(seed);
        int shortSide = Math.Min(width, height);

        // Background and clutter.
        var background = Texture.Random(random, width / 2.0, height / 2.0, shortSide / 24.0, shortSide / 5.0);
        var clutter = new List<(PlacedClutter Shape, Texture Texture)>();
        int clutterCount = 12 + random.Next(29);
        for (int i = 0; i < clutterCount; i++)
        {
            var c = PlacedClutter.Random(random, width, height);
            clutter.Add((c, Texture.Random(random, c.OriginX, c.OriginY, 2, 10)));
        }

        // Objects.
        var shapes = new List<(PlacedShape Shape, Texture Texture)>();
        int objectCount = 3 + random.Next(6);
        for (int i = 0; i < objectCount; i++)
        {
            var kind = (ShapeKind)(1 + random.Next(8));
            double radius = shortSide * (0.06 + 0.26 * random.NextDouble());
            double cx = random.NextDouble() * width, cy = random.NextDouble() * height;
            var parameters = new[] { random.NextDouble(), random.NextDouble(), random.NextDouble() };
            var shape = new PlacedShape(kind, cx, cy, radius, random.NextDouble() * 2 * Math.PI, parameters);
            shapes.Add((shape, Texture.Random(random, cx, cy, Math.Max(2, radius / 8), Math.Max(3, radius / 2))));
        }
        double lightAngle = random.NextDouble() * 2 * Math.PI, lightStrength = 0.1 + 0.2 * random.NextDouble();
        int noiseSeed = random.Next();

        // Draw, dropping objects that end up (almost) hidden, until every object left is visible enough.
        int[] owner;
        int[] areas;
        while (true)
        {
            owner = OwnerMap(shapes.ConvertAll(s => s.Shape), width, height);
            areas = new int[shapes.Count + 1];
            foreach (int o in owner) areas[o]++;
            var keep = new List<(PlacedShape, Texture)>();
            for (int i = 0; i < shapes.Count; i++)
                if (areas[i + 1] >= MinVisibleArea) keep.Add(shapes[i]);
            if (keep.Count == shapes.Count) break;
            shapes = keep;
        }

        var image = new PngImage(width, height, 3);
        var noise = new Random(noiseSeed);
        double lx = Math.Cos(lightAngle) / width, ly = Math.Sin(lightAngle) / height;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int o = owner[y * width + x];
                (byte R, byte G, byte B) colour;
                if (o > 0)
                {
                    colour = shapes[o - 1].Texture.Sample(x, y);
                }
                else
                {
                    colour = background.Sample(x, y);
                    colour = ((byte)(96 + colour.R / 2), (byte)(96 + colour.G / 2), (byte)(96 + colour.B / 2)); // low contrast
                    for (int c = clutter.Count - 1; c >= 0; c--)
                    {
                        if (clutter[c].Shape.Contains(x, y))
                        {
                            colour = clutter[c].Texture.Sample(x, y);
                            break;
                        }
                    }
                }
                double light = 1 + lightStrength * (2 * ((x - width / 2.0) * lx + (y - height / 2.0) * ly));
                image.SetRgb(x, y, Shade(colour.R, light, noise), Shade(colour.G, light, noise), Shade(colour.B, light, noise));
            }
        }

        var objects = new List<SyntheticObject>(shapes.Count);
        for (int i = 0; i < shapes.Count; i++)
        {
            var mask = new byte[width * height];
            for (int p = 0; p < mask.Length; p++) mask[p] = owner[p] == i + 1 ? (byte)1 : (byte)0;
            objects.Add(new SyntheticObject(shapes[i].Shape.Kind, shapes[i].Shape, mask, areas[i + 1]));
        }
        return new SyntheticImage(image, objects);
    }

    /// <summary>For each pixel, 1 + the index of the last (front-most) shape covering it, or 0 for background.</summary>
    public static int[] OwnerMap(IReadOnlyList<PlacedShape> shapes, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        var owner = new int[width * height];
        for (int i = 0; i < shapes.Count; i++)
        {
            var (x0, y0, x1, y1) = shapes[i].PixelBounds(width, height);
            for (int y = y0; y < y1; y++)
                for (int x = x0; x < x1; x++)
                    if (shapes[i].Contains(x, y)) owner[y * width + x] = i + 1;
        }
        return owner;
    }

    private static byte Shade(byte value, double light, Random noise) =>
        (byte)Math.Clamp((int)Math.Round(value * light) + noise.Next(-6, 7), 0, 255);
}

/// <summary>Background clutter: a thick line segment or a small quadrilateral.</summary>
internal sealed class PlacedClutter
{
    private readonly double[] _polygon;

    private PlacedClutter(double[] polygon)
    {
        _polygon = polygon;
        OriginX = polygon[0];
        OriginY = polygon[1];
    }

    public double OriginX { get; }

    public double OriginY { get; }

    public static PlacedClutter Random(Random random, int width, int height)
    {
        double x = random.NextDouble() * width, y = random.NextDouble() * height;
        double size = Math.Min(width, height) * (0.03 + 0.12 * random.NextDouble());
        if (random.Next(2) == 0)
        {
            // a stroke: a long thin rectangle
            double a = random.NextDouble() * Math.PI, len = size * 2.5, thick = 1 + random.NextDouble() * 3;
            double ux = Math.Cos(a), uy = Math.Sin(a), nx = -uy * thick / 2, ny = ux * thick / 2;
            return new PlacedClutter([x + nx, y + ny, x + ux * len + nx, y + uy * len + ny, x + ux * len - nx, y + uy * len - ny, x - nx, y - ny]);
        }
        var p = new double[8];
        for (int i = 0; i < 4; i++)
        {
            double a = (i + 0.7 * random.NextDouble()) * Math.PI / 2, r = size * (0.5 + random.NextDouble());
            p[2 * i] = x + r * Math.Cos(a);
            p[2 * i + 1] = y + r * Math.Sin(a);
        }
        return new PlacedClutter(p);
    }

    public bool Contains(int x, int y) => PlacedShape.InsidePolygon(_polygon, x + 0.5, y + 0.5);
}
