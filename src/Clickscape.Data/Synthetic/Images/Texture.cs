namespace Clickscape.Data.Synthetic.Images;

/// <summary>How a <see cref="Texture"/> mixes its two colours over the image plane.</summary>
public enum TextureKind
{
    /// <summary>Parallel bands at an angle.</summary>
    Stripes,

    /// <summary>A rotated checkerboard.</summary>
    Checker,

    /// <summary>Bilinear value noise on a coarse lattice (Perlin 1985 style, without gradients).</summary>
    Noise,

    /// <summary>A linear ramp between the two colours.</summary>
    Gradient,

    /// <summary>Round dots on a grid.</summary>
    Dots,
}

/// <summary>
/// A procedural texture: two colours mixed by a pattern evaluated at pixel centres relative to an origin,
/// so a texture moves with the object that wears it.
/// </summary>
public sealed class Texture
{
    private readonly double _cos, _sin;
    private readonly float[] _lattice;
    private const int LatticeSize = 16;

    /// <summary>Creates a texture; <paramref name="scale"/> is the pattern period in pixels.</summary>
    public Texture(TextureKind kind, (byte R, byte G, byte B) a, (byte R, byte G, byte B) b, double scale, double angle,
        double originX, double originY, int seed)
    {
        Kind = kind;
        A = a;
        B = b;
        Scale = Math.Max(1.5, scale);
        OriginX = originX;
        OriginY = originY;
        _cos = Math.Cos(angle);
        _sin = Math.Sin(angle);
        var random = new Random(seed);
        _lattice = new float[LatticeSize * LatticeSize];
        for (int i = 0; i < _lattice.Length; i++) _lattice[i] = random.NextSingle();
    }

    /// <summary>The pattern.</summary>
    public TextureKind Kind { get; }

    /// <summary>First colour.</summary>
    public (byte R, byte G, byte B) A { get; }

    /// <summary>Second colour.</summary>
    public (byte R, byte G, byte B) B { get; }

    /// <summary>Period in pixels.</summary>
    public double Scale { get; }

    /// <summary>Pattern origin x.</summary>
    public double OriginX { get; }

    /// <summary>Pattern origin y.</summary>
    public double OriginY { get; }

    /// <summary>A random texture with two contrasting colours.</summary>
    public static Texture Random(Random random, double originX, double originY, double minScale, double maxScale)
    {
        ArgumentNullException.ThrowIfNull(random);
        var kind = (TextureKind)random.Next(5);
        var a = RandomColour(random);
        (byte R, byte G, byte B) b;
        do b = RandomColour(random);
        while (Math.Abs(a.R - b.R) + Math.Abs(a.G - b.G) + Math.Abs(a.B - b.B) < 120);
        double scale = minScale + random.NextDouble() * (maxScale - minScale);
        return new Texture(kind, a, b, scale, random.NextDouble() * Math.PI, originX, originY, random.Next());
    }

    /// <summary>A random saturated-ish colour.</summary>
    public static (byte R, byte G, byte B) RandomColour(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return ((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256));
    }

    /// <summary>The colour at pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public (byte R, byte G, byte B) Sample(int x, int y)
    {
        double dx = x + 0.5 - OriginX, dy = y + 0.5 - OriginY;
        double u = (_cos * dx + _sin * dy) / Scale, v = (-_sin * dx + _cos * dy) / Scale;
        double t = Kind switch
        {
            TextureKind.Stripes => Frac(u) < 0.5 ? 0 : 1,
            TextureKind.Checker => ((int)Math.Floor(u) + (int)Math.Floor(v)) % 2 == 0 ? 0 : 1,
            TextureKind.Noise => ValueNoise(u, v),
            TextureKind.Gradient => Math.Clamp(0.5 + u / 6, 0, 1),
            _ => Square(Frac(u) - 0.5) + Square(Frac(v) - 0.5) < 0.09 ? 1 : 0,
        };
        return (Mix(A.R, B.R, t), Mix(A.G, B.G, t), Mix(A.B, B.B, t));
    }

    private static double Square(double v) => v * v;

    private static double Frac(double v) => v - Math.Floor(v);

    private static byte Mix(byte a, byte b, double t) => (byte)Math.Clamp(Math.Round(a + (b - a) * t), 0, 255);

    private double ValueNoise(double u, double v)
    {
        int iu = (int)Math.Floor(u), iv = (int)Math.Floor(v);
        double fu = u - iu, fv = v - iv;
        fu = fu * fu * (3 - 2 * fu); // smoothstep removes the lattice creases
        fv = fv * fv * (3 - 2 * fv);
        double L(int a, int b) => _lattice[(((a % LatticeSize) + LatticeSize) % LatticeSize) * LatticeSize + (((b % LatticeSize) + LatticeSize) % LatticeSize)];
        double top = L(iu, iv) + (L(iu + 1, iv) - L(iu, iv)) * fu;
        double bottom = L(iu, iv + 1) + (L(iu + 1, iv + 1) - L(iu, iv + 1)) * fu;
        return top + (bottom - top) * fv;
    }
}
