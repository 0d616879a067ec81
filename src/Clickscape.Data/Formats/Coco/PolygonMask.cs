namespace Clickscape.Data.Formats.Coco;

/// <summary>
/// Rasterizes a COCO polygon (x0 y0 x1 y1 … in pixel coordinates: pixel (i, j) covers [i, i + 1) × [j, j + 1), as COCO's
/// annotation tools use them) into a <see cref="MaskRle"/>, reproducing the pixel decisions of pycocotools
/// <c>rleFrPoly</c> so that areas and IoUs agree with the official evaluation.
/// </summary>
/// <remarks>
/// The approach of pycocotools, followed step by step (the code here is our own):
/// <list type="number">
/// <item>Upsample by 5: every vertex becomes the integer (int)(5·v + 0.5) — C's cast, truncating toward zero.</item>
/// <item>Walk every edge (the last vertex connects to the first) with a DDA along its major axis, one sample
/// per upsampled unit; the minor coordinate is rounded the same way, (int)(start + slope·t + 0.5). Edges are
/// always stepped from their lower major coordinate, so an edge and its reverse give the same samples.</item>
/// <item>Wherever consecutive samples change x, the crossing lies on the column boundary between them: take
/// the smaller of the two x, map it back to pixels with (x + 0.5)/5 − 0.5
/// and keep it only if that is an integer column inside 0..W−1; its y is the smaller y of the two samples,
/// mapped the same way, clamped to 0..H and rounded up.</item>
/// <item>Each kept crossing toggles the mask at column-major position x·H + y; sorting the positions and
/// taking differences gives the run lengths, with zero-length runs (two toggles at one place) merged.</item>
/// </list>
/// The effect: a pixel is inside when its centre lies inside the polygon, with ties decided by the rounding
/// of the 5× grid. Several polygons of one object are united (pycocotools <c>frPyObjects</c> + <c>merge</c>).
/// </remarks>
public static class PolygonMask
{
    /// <summary>Numbers of a box [x, y, w, h]: a segmentation list whose first entry has this many is a box list.</summary>
    public const int BoxLength = 4;

    private const double Scale = 5;

    /// <summary>
    /// The mask of a COCO segmentation list in an image of <paramref name="height"/> × <paramref name="width"/>:
    /// the union of the polygons (pycocotools <c>frPyObjects</c> + <c>merge</c>). As in <c>frPyObjects</c>, when the
    /// first entry has exactly 4 numbers every entry is a box [x, y, w, h] (<see cref="RasterizeBox"/>), not a
    /// two-point polygon. An empty list gives an empty mask (pycocotools fails on it with an IndexError).
    /// </summary>
    public static MaskRle Rasterize(IReadOnlyList<double[]> polygons, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        if (polygons.Count == 0) return MaskRle.Empty(height, width);
        bool boxes = polygons[0].Length == BoxLength;
        var masks = new MaskRle[polygons.Count];
        for (int i = 0; i < masks.Length; i++)
        {
            var p = polygons[i];
            if (!boxes)
            {
                masks[i] = Rasterize(p, height, width);
                continue;
            }
            if (p.Length != BoxLength)
                throw new ArgumentException($"segmentation entry {i} has {p.Length} numbers, but the first has 4, which makes a box list [x, y, w, h]");
            masks[i] = RasterizeBox(p[0], p[1], p[2], p[3], height, width);
        }
        return MaskRle.Union(masks, height, width);
    }

    /// <summary>The mask of the box [x, y, w, h] (pycocotools <c>rleFrBbox</c>: the polygon (x, y) (x, y + h)
    /// (x + w, y + h) (x + w, y) rasterized as any polygon).</summary>
    public static MaskRle RasterizeBox(double x, double y, double w, double h, int height, int width) =>
        Rasterize([x, y, x, y + h, x + w, y + h, x + w, y], height, width);

    /// <summary>
    /// The mask of one polygon given as x0 y0 x1 y1 …. Work and memory are bounded by the image, not by the
    /// coordinates: a polygon reaching further than one image size beyond the image is first clipped to that
    /// window (Sutherland–Hodgman; the pixels of the image keep their inside/outside parity, only the 5×-grid
    /// rounding of the clipped edges can differ from pycocotools, which overflows on such input), samples are
    /// processed as they are made instead of being stored, and samples that cannot cross a column of the image
    /// are skipped (left or right of the image, or between two changes of the column on a steep edge). The work
    /// is then about the number of columns each edge crosses, whatever the image's height.
    /// </summary>
    public static MaskRle Rasterize(ReadOnlySpan<double> xy, int height, int width)
    {
        if (xy.Length % 2 != 0) throw new ArgumentException($"polygon has {xy.Length} coordinates, expected x y pairs");
        CheckSize(height, width);
        foreach (double c in xy)
        {
            if (!double.IsFinite(c)) throw new ArgumentException($"polygon coordinate {c} is not a finite number");
        }
        int k = xy.Length / 2;
        if (k == 0 || height == 0 || width == 0) return MaskRle.Empty(height, width);
        if (OutsideWindow(xy, height, width)) xy = ClipToWindow(xy, height, width);
        k = xy.Length / 2;
        if (k == 0) return MaskRle.Empty(height, width);

        // 1. Vertices on the 5× grid, closed (long: the window reaches 3 image sizes, 5× that can pass 2^31).
        var vx = new long[k + 1];
        var vy = new long[k + 1];
        for (int j = 0; j < k; j++)
        {
            vx[j] = (long)(Scale * xy[2 * j] + 0.5);
            vy[j] = (long)(Scale * xy[2 * j + 1] + 0.5);
        }
        vx[k] = vx[0];
        vy[k] = vy[0];

        // 2.–3. Dense boundary samples in order, each pair of consecutive samples checked for a crossing of a
        // pixel column centre. Samples of x-major edges left or right of the image are skipped: the pairs
        // around a skipped stretch lie outside the columns 0..W−1 and give no crossing either.
        var toggles = new List<long>();
        long lo = 0, hi = (long)Scale * width;
        bool first = true;
        long pu = 0, pv = 0;
        void Sample(long u, long v)
        {
            if (!first && u != pu)
            {
                double xd = u < pu ? u : u - 1;
                xd = (xd + 0.5) / Scale - 0.5;
                if (Math.Floor(xd) == xd && xd >= 0 && xd <= width - 1)
                {
                    double yd = Math.Min(v, pv);
                    yd = (yd + 0.5) / Scale - 0.5;
                    yd = Math.Ceiling(Math.Clamp(yd, 0, height));
                    toggles.Add((long)xd * height + (long)yd);
                }
            }
            first = false;
            pu = u;
            pv = v;
        }
        for (int j = 0; j < k; j++)
        {
            long xs = vx[j], xe = vx[j + 1], ys = vy[j], ye = vy[j + 1];
            long dx = Math.Abs(xe - xs), dy = Math.Abs(ys - ye);
            bool flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip)
            {
                (xs, xe) = (xe, xs);
                (ys, ye) = (ye, ys);
            }
            if (dx >= dy)
            {
                double slope = dx == 0 ? 0 : (double)(ye - ys) / dx;
                // Only t with u = xs + t inside [lo, hi] can cross a column of the image; the end samples are
                // kept so that the sequence stays continuous from edge to edge (a repeated sample is harmless).
                long tMin = Math.Clamp(lo - xs, 0, dx), tMax = Math.Clamp(hi - xs, 0, dx);
                long Y(long t) => (long)(ys + slope * t + 0.5);
                if (!flip)
                {
                    Sample(xs, Y(0));
                    for (long t = tMin; t <= tMax; t++) Sample(t + xs, Y(t));
                    Sample(dx + xs, Y(dx));
                }
                else
                {
                    Sample(dx + xs, Y(dx));
                    for (long t = tMax; t >= tMin; t--) Sample(t + xs, Y(t));
                    Sample(xs, Y(0));
                }
            }
            else
            {
                // A y-major edge: u moves by at most one per sample, so only the samples on either side of a
                // change of u can cross a column; between changes every pair has one u and gives nothing. The
                // changes are found by bisection (u is monotone in t), and only those within the image's
                // columns [lo − 1, hi + 1]: the work follows the columns crossed, not the edge's height.
                double slope = (double)(xe - xs) / dy;
                long U(long t) => (long)(xs + slope * t + 0.5);
                bool rising = U(dy) >= U(0);
                long tA = FirstTrue(t => rising ? U(t) >= lo - 1 : U(t) <= hi + 1, 0, dy);
                long tB = FirstTrue(t => rising ? U(t) > hi + 1 : U(t) < lo - 1, 0, dy) - 1;
                var changes = new List<long>();
                for (long t = tA; t < tB;)
                {
                    long at = t;
                    long c = FirstTrue(x => U(x) != U(at), t + 1, tB);
                    if (c > tB) break;
                    changes.Add(c);
                    t = c;
                }
                if (!flip)
                {
                    Sample(U(0), ys);
                    foreach (long c in changes)
                    {
                        Sample(U(c - 1), c - 1 + ys);
                        Sample(U(c), c + ys);
                    }
                    Sample(U(dy), dy + ys);
                }
                else
                {
                    Sample(U(dy), dy + ys);
                    for (int i = changes.Count - 1; i >= 0; i--)
                    {
                        Sample(U(changes[i]), changes[i] + ys);
                        Sample(U(changes[i] - 1), changes[i] - 1 + ys);
                    }
                    Sample(U(0), ys);
                }
            }
        }

        // 4. Toggles → run lengths; zero-length runs cancel and merge.
        toggles.Add((long)height * width);
        toggles.Sort();
        var counts = new List<int>(toggles.Count);
        long previous = 0;
        for (int j = 0; j < toggles.Count;)
        {
            long run = toggles[j] - previous;
            previous = toggles[j];
            j++;
            if (run > 0 || counts.Count == 0)
            {
                counts.Add((int)run);
            }
            else if (j < toggles.Count)
            {
                counts[^1] += (int)(toggles[j] - previous);
                previous = toggles[j];
                j++;
            }
        }
        return new MaskRle(height, width, counts.ToArray());
    }

    /// <summary>The smallest t in [<paramref name="a"/>, <paramref name="b"/>] where the monotone (false, then true) <paramref name="predicate"/> holds; b + 1 when none.</summary>
    private static long FirstTrue(Func<long, bool> predicate, long a, long b)
    {
        long lo = a, hi = b + 1;
        while (lo < hi)
        {
            long mid = lo + ((hi - lo) >> 1);
            if (predicate(mid)) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }

    /// <summary>Throws unless <paramref name="height"/> × <paramref name="width"/> is a size COCO's 32-bit RLE counts can hold.</summary>
    internal static void CheckSize(int height, int width)
    {
        if (height < 0 || width < 0) throw new ArgumentException($"image size {height}×{width}: expected non-negative height and width");
        if ((long)height * width > int.MaxValue)
            throw new ArgumentException($"image size {height}×{width} has {(long)height * width} pixels, more than the {int.MaxValue} that RLE counts hold");
    }

    /// <summary>Whether a vertex lies further than one image size (the larger side) beyond the image.</summary>
    private static bool OutsideWindow(ReadOnlySpan<double> xy, int height, int width)
    {
        double m = Math.Max(height, width);
        for (int j = 0; j < xy.Length; j += 2)
        {
            if (xy[j] < -m || xy[j] > width + m || xy[j + 1] < -m || xy[j + 1] > height + m) return true;
        }
        return false;
    }

    /// <summary>
    /// Sutherland–Hodgman clipping of the polygon to the window [−m, W + m] × [−m, H + m] (m the larger side):
    /// inside the window the polygon is unchanged, so every pixel keeps its parity; outside it runs along the window.
    /// </summary>
    private static double[] ClipToWindow(ReadOnlySpan<double> xy, int height, int width)
    {
        double m = Math.Max(height, width);
        var points = new List<(double X, double Y)>(xy.Length / 2);
        for (int j = 0; j < xy.Length; j += 2) points.Add((xy[j], xy[j + 1]));
        points = Clip(points, p => p.X >= -m, (a, b) => AtX(a, b, -m));
        points = Clip(points, p => p.X <= width + m, (a, b) => AtX(a, b, width + m));
        points = Clip(points, p => p.Y >= -m, (a, b) => AtY(a, b, -m));
        points = Clip(points, p => p.Y <= height + m, (a, b) => AtY(a, b, height + m));
        var result = new double[2 * points.Count];
        for (int j = 0; j < points.Count; j++)
        {
            result[2 * j] = points[j].X;
            result[2 * j + 1] = points[j].Y;
        }
        return result;

        static (double, double) AtX((double X, double Y) a, (double X, double Y) b, double x) => (x, a.Y + (b.Y - a.Y) * ((x - a.X) / (b.X - a.X)));
        static (double, double) AtY((double X, double Y) a, (double X, double Y) b, double y) => (a.X + (b.X - a.X) * ((y - a.Y) / (b.Y - a.Y)), y);
    }

    private static List<(double X, double Y)> Clip(List<(double X, double Y)> polygon, Func<(double X, double Y), bool> inside,
        Func<(double X, double Y), (double X, double Y), (double X, double Y)> cut)
    {
        var output = new List<(double X, double Y)>(polygon.Count + 4);
        for (int i = 0; i < polygon.Count; i++)
        {
            var current = polygon[i];
            var previous = polygon[(i + polygon.Count - 1) % polygon.Count];
            bool cin = inside(current), pin = inside(previous);
            if (cin)
            {
                if (!pin) output.Add(cut(previous, current));
                output.Add(current);
            }
            else if (pin)
            {
                output.Add(cut(previous, current));
            }
        }
        return output;
    }
}
