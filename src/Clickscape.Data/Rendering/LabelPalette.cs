using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Rendering;

/// <summary>
/// Colours for label ids: the scene's class table when it has the class, otherwise a fixed colour derived from
/// the id by hashing, so the same id always gets the same colour in every picture.
/// </summary>
public static class LabelPalette
{
    /// <summary>Colour of unlabelled points (semantic 0).</summary>
    public static readonly (byte R, byte G, byte B) Unlabelled = (40, 40, 40);

    /// <summary>Colour of points in no instance (instance 0).</summary>
    public static readonly (byte R, byte G, byte B) NoInstance = (150, 150, 150);

    /// <summary>The colour of semantic label <paramref name="id"/>.</summary>
    public static (byte R, byte G, byte B) Semantic(int id, ClassTable? classes)
    {
        if (id == Scene.Unlabelled) return Unlabelled;
        if (classes?.Find(id) is { } c) return (c.R, c.G, c.B);
        return Hashed(id, 0x5EED);
    }

    /// <summary>The colour of instance <paramref name="id"/>.</summary>
    public static (byte R, byte G, byte B) Instance(int id) => id == Scene.NoInstance ? NoInstance : Hashed(id, 0x1D);

    /// <summary>
    /// A saturated, bright colour from an id: the id is mixed (SplitMix64 finaliser) into a hue in [0, 1),
    /// saturation 0.55–0.95 and value 0.7–1.0, then converted from HSV. Neighbouring ids get unrelated hues.
    /// </summary>
    public static (byte R, byte G, byte B) Hashed(int id, ulong salt)
    {
        ulong z = (ulong)(uint)id + salt * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        double hue = (z & 0xFFFF) / 65536.0;
        double saturation = 0.55 + 0.4 * ((z >> 16) & 0xFF) / 255.0;
        double value = 0.7 + 0.3 * ((z >> 24) & 0xFF) / 255.0;
        return FromHsv(hue, saturation, value);
    }

    private static (byte R, byte G, byte B) FromHsv(double h, double s, double v)
    {
        double sector = h * 6;
        int i = (int)Math.Floor(sector) % 6;
        double f = sector - Math.Floor(sector);
        double p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        var (r, g, b) = i switch
        {
            0 => (v, t, p),
            1 => (q, v, p),
            2 => (p, v, t),
            3 => (p, q, v),
            4 => (t, p, v),
            _ => (v, p, q),
        };
        return ((byte)Math.Round(r * 255), (byte)Math.Round(g * 255), (byte)Math.Round(b * 255));
    }
}
