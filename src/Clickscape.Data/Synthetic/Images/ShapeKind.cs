namespace Clickscape.Data.Synthetic.Images;

/// <summary>The object classes of generated images; the COCO category id is the value.</summary>
public enum ShapeKind
{
    /// <summary>A filled ellipse close to a circle.</summary>
    Ball = 1,

    /// <summary>A rotated rectangle.</summary>
    Box = 2,

    /// <summary>A triangle with a wide base ("roof").</summary>
    Roof = 3,

    /// <summary>A five-pointed star.</summary>
    Star = 4,

    /// <summary>An annulus (the hole shows what is behind).</summary>
    Ring = 5,

    /// <summary>A smooth irregular blob (radius a sum of low harmonics).</summary>
    Blob = 6,

    /// <summary>A plus-shaped cross.</summary>
    Cross = 7,

    /// <summary>A disc with an off-centre disc cut out.</summary>
    Crescent = 8,
}

/// <summary>
/// One placed shape: its kind, centre, size (radius in pixels), rotation and the few shape parameters drawn
/// for it. <see cref="Contains"/> is the exact pixel rule used both for drawing and for the ground-truth masks:
/// a pixel (x, y) belongs to the shape when its centre (x + 0.5, y + 0.5) does.
/// </summary>
public sealed class PlacedShape
{
    private readonly double _cos, _sin;
    private readonly double[]? _polygon;

    /// <summary>Creates a shape; <paramref name="parameters"/> are kind-specific values in [0, 1).</summary>
    public PlacedShape(ShapeKind kind, double centreX, double centreY, double radius, double angle, double[] parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Kind = kind;
        CentreX = centreX;
        CentreY = centreY;
        Radius = radius;
        Angle = angle;
        Parameters = parameters;
        _cos = Math.Cos(angle);
        _sin = Math.Sin(angle);
        _polygon = kind switch
        {
            ShapeKind.Roof => [-1, 0.55, 1, 0.55, -0.6 + 1.2 * P(0), -0.85],
            ShapeKind.Star => StarPolygon(0.38 + 0.2 * P(0)),
            _ => null,
        };
    }

    /// <summary>The class.</summary>
    public ShapeKind Kind { get; }

    /// <summary>Centre x in pixels.</summary>
    public double CentreX { get; }

    /// <summary>Centre y in pixels.</summary>
    public double CentreY { get; }

    /// <summary>Outer radius in pixels: the shape lies inside the disc of this radius around the centre.</summary>
    public double Radius { get; }

    /// <summary>Rotation in radians.</summary>
    public double Angle { get; }

    /// <summary>Kind-specific parameters in [0, 1).</summary>
    public double[] Parameters { get; }

    private double P(int i) => i < Parameters.Length ? Parameters[i] : 0.5;

    /// <summary>Whether pixel (<paramref name="x"/>, <paramref name="y"/>) is covered (its centre is inside).</summary>
    public bool Contains(int x, int y)
    {
        double dx = x + 0.5 - CentreX, dy = y + 0.5 - CentreY;
        double u = (_cos * dx + _sin * dy) / Radius, v = (-_sin * dx + _cos * dy) / Radius;
        double r2 = u * u + v * v;
        if (r2 > 1) return false;
        switch (Kind)
        {
            case ShapeKind.Ball:
            {
                double aspect = 0.75 + 0.25 * P(0); // the ellipse's minor/major ratio
                return u * u + v * v / (aspect * aspect) <= 1;
            }
            case ShapeKind.Box:
            {
                double a = 0.45 + 0.25 * P(0), b = Math.Sqrt(Math.Max(0.05, 0.98 - a * a)) * (0.6 + 0.4 * P(1));
                return Math.Abs(u) <= a && Math.Abs(v) <= b;
            }
            case ShapeKind.Ring:
            {
                double inner = 0.4 + 0.25 * P(0);
                return r2 >= inner * inner;
            }
            case ShapeKind.Blob:
            {
                double theta = Math.Atan2(v, u);
                double r = 0.72 + 0.14 * Math.Sin(2 * theta + 6.283 * P(0)) + 0.09 * Math.Sin(3 * theta + 6.283 * P(1))
                    + 0.05 * Math.Sin(5 * theta + 6.283 * P(2));
                return r2 <= r * r;
            }
            case ShapeKind.Cross:
            {
                double arm = 0.22 + 0.14 * P(0);
                return (Math.Abs(u) <= arm && Math.Abs(v) <= 0.95) || (Math.Abs(v) <= arm && Math.Abs(u) <= 0.95);
            }
            case ShapeKind.Crescent:
            {
                double offset = 0.35 + 0.25 * P(0), cut = 0.75;
                double cu = u - offset;
                return cu * cu + v * v > cut * cut;
            }
            default:
                return InsidePolygon(_polygon!, u, v);
        }
    }

    /// <summary>The pixel box that can hold the shape, clipped to the image: x0, y0 inclusive, x1, y1 exclusive.</summary>
    public (int X0, int Y0, int X1, int Y1) PixelBounds(int width, int height) =>
        (Math.Clamp((int)Math.Floor(CentreX - Radius - 1), 0, width), Math.Clamp((int)Math.Floor(CentreY - Radius - 1), 0, height),
         Math.Clamp((int)Math.Ceiling(CentreX + Radius + 1), 0, width), Math.Clamp((int)Math.Ceiling(CentreY + Radius + 1), 0, height));

    private static double[] StarPolygon(double innerRatio)
    {
        var p = new double[20];
        for (int i = 0; i < 10; i++)
        {
            double r = i % 2 == 0 ? 0.98 : innerRatio, a = -Math.PI / 2 + i * Math.PI / 5;
            p[2 * i] = r * Math.Cos(a);
            p[2 * i + 1] = r * Math.Sin(a);
        }
        return p;
    }

    /// <summary>Even-odd ray casting (Jordan curve test).</summary>
    internal static bool InsidePolygon(double[] p, double x, double y)
    {
        bool inside = false;
        int k = p.Length / 2;
        for (int i = 0, j = k - 1; i < k; j = i++)
        {
            double xi = p[2 * i], yi = p[2 * i + 1], xj = p[2 * j], yj = p[2 * j + 1];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
        }
        return inside;
    }
}
