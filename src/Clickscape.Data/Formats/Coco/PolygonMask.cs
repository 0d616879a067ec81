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

    /// <summary>The mask of one polygon given as x0 y0 x1 y1 ….</summary>
    public static MaskRle Rasterize(ReadOnlySpan<double> xy, int height, int width)
    {
        if (xy.Length % 2 != 0) throw new ArgumentException($"polygon has {xy.Length} coordinates, expected x y pairs");
        int k = xy.Length / 2;
        if (k == 0 || height == 0 || width == 0) return MaskRle.Empty(height, width);

        // 1. Vertices on the 5× grid, closed.
        var vx = new int[k + 1];
        var vy = new int[k + 1];
        for (int j = 0; j < k; j++)
        {
            vx[j] = (int)(Scale * xy[2 * j] + 0.5);
            vy[j] = (int)(Scale * xy[2 * j + 1] + 0.5);
        }
        vx[k] = vx[0];
        vy[k] = vy[0];

        // 2. Dense boundary samples.
        var u = new List<int>();
        var v = new List<int>();
        for (int j = 0; j < k; j++)
        {
            int xs = vx[j], xe = vx[j + 1], ys = vy[j], ye = vy[j + 1];
            int dx = Math.Abs(xe - xs), dy = Math.Abs(ys - ye);
            bool flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip)
            {
                (xs, xe) = (xe, xs);
                (ys, ye) = (ye, ys);
            }
            if (dx >= dy)
            {
                double slope = dx == 0 ? 0 : (double)(ye - ys) / dx;
                for (int d = 0; d <= dx; d++)
                {
                    int t = flip ? dx - d : d;
                    u.Add(t + xs);
                    v.Add((int)(ys + slope * t + 0.5));
                }
            }
            else
            {
                double slope = (double)(xe - xs) / dy;
                for (int d = 0; d <= dy; d++)
                {
                    int t = flip ? dy - d : d;
                    v.Add(t + ys);
                    u.Add((int)(xs + slope * t + 0.5));
                }
            }
        }

        // 3. Crossings of pixel column centres, back on the pixel grid.
        var toggles = new List<long>();
        for (int j = 1; j < u.Count; j++)
        {
            if (u[j] == u[j - 1]) continue;
            double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
            xd = (xd + 0.5) / Scale - 0.5;
            if (Math.Floor(xd) != xd || xd < 0 || xd > width - 1) continue;
            double yd = Math.Min(v[j], v[j - 1]);
            yd = (yd + 0.5) / Scale - 0.5;
            yd = Math.Ceiling(Math.Clamp(yd, 0, height));
            toggles.Add((long)xd * height + (long)yd);
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
}
