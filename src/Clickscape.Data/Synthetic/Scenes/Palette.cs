using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Synthetic.Scenes;

/// <summary>Base colours (linear 0..1) the furniture draws from: wood tones, fabrics, metals, paints.</summary>
public static class Palette
{
    private static readonly Vector3[] Woods =
    [
        new(0.55f, 0.38f, 0.22f), new(0.70f, 0.52f, 0.33f), new(0.40f, 0.26f, 0.15f), new(0.82f, 0.68f, 0.48f),
        new(0.30f, 0.20f, 0.13f), new(0.62f, 0.45f, 0.30f),
    ];

    private static readonly Vector3[] Fabrics =
    [
        new(0.25f, 0.30f, 0.45f), new(0.55f, 0.20f, 0.18f), new(0.35f, 0.45f, 0.30f), new(0.60f, 0.58f, 0.52f),
        new(0.20f, 0.20f, 0.22f), new(0.70f, 0.55f, 0.35f), new(0.45f, 0.30f, 0.50f), new(0.15f, 0.35f, 0.40f),
        new(0.80f, 0.75f, 0.65f), new(0.50f, 0.50f, 0.55f),
    ];

    private static readonly Vector3[] Metals =
    [
        new(0.60f, 0.62f, 0.65f), new(0.15f, 0.15f, 0.16f), new(0.45f, 0.45f, 0.47f), new(0.75f, 0.75f, 0.72f),
    ];

    private static readonly Vector3[] Paints =
    [
        new(0.90f, 0.89f, 0.85f), new(0.85f, 0.82f, 0.74f), new(0.78f, 0.84f, 0.86f), new(0.88f, 0.80f, 0.70f),
        new(0.70f, 0.76f, 0.68f), new(0.93f, 0.93f, 0.93f), new(0.80f, 0.78f, 0.80f),
    ];

    private static readonly Vector3[] Laminates =
    [
        new(0.92f, 0.92f, 0.90f), new(0.25f, 0.25f, 0.27f), new(0.55f, 0.57f, 0.60f), new(0.70f, 0.60f, 0.45f),
        new(0.35f, 0.40f, 0.50f),
    ];

    /// <summary>A wood tone.</summary>
    public static Vector3 Wood(SynthRandom rng) => Jitter(rng.Pick(Woods), rng, 0.05f);

    /// <summary>An upholstery or textile colour.</summary>
    public static Vector3 Fabric(SynthRandom rng) => Jitter(rng.Pick(Fabrics), rng, 0.06f);

    /// <summary>A metal colour.</summary>
    public static Vector3 Metal(SynthRandom rng) => Jitter(rng.Pick(Metals), rng, 0.03f);

    /// <summary>A wall paint.</summary>
    public static Vector3 Paint(SynthRandom rng) => Jitter(rng.Pick(Paints), rng, 0.03f);

    /// <summary>A laminate / painted-board colour for cabinets and desks.</summary>
    public static Vector3 Laminate(SynthRandom rng) => Jitter(rng.Pick(Laminates), rng, 0.04f);

    /// <summary>A saturated random colour (books, pictures, small things).</summary>
    public static Vector3 Vivid(SynthRandom rng)
    {
        float hue = rng.Uniform(0, 6), s = rng.Uniform(0.4f, 0.9f), v = rng.Uniform(0.3f, 0.9f);
        int k = (int)hue;
        float f = hue - k, p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));
        return k switch
        {
            0 => new(v, t, p),
            1 => new(q, v, p),
            2 => new(p, v, t),
            3 => new(p, q, v),
            4 => new(t, p, v),
            _ => new(v, p, q),
        };
    }

    /// <summary><paramref name="c"/> with each channel moved by up to ±<paramref name="amount"/>.</summary>
    public static Vector3 Jitter(Vector3 c, SynthRandom rng, float amount) =>
        Vector3.Clamp(c + new Vector3(rng.Uniform(-amount, amount), rng.Uniform(-amount, amount), rng.Uniform(-amount, amount)), Vector3.Zero, Vector3.One);

    /// <summary><paramref name="c"/> scaled by <paramref name="factor"/> (lighter or darker shade of a colour).</summary>
    public static Vector3 Shade(Vector3 c, float factor) => Vector3.Clamp(c * factor, Vector3.Zero, Vector3.One);
}
