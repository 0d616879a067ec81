namespace Clickscape.Evaluation.Coco;

/// <summary>
/// Rasterizes a COCO polygon to an RLE the way pycocotools does [pycocotools:common/maskApi.c <c>rleFrPoly</c>]:
/// vertices are scaled by 5 and rounded (<c>(int)(5·v + 0.5)</c>, truncation toward zero as in C), the closed
/// outline is traced densely with a DDA per edge, the points where the traced x changes are mapped back to
/// pixel columns (kept only when they land exactly on a column centre inside the image), their row is
/// rounded up, and the sorted boundary positions x·h + y become the run lengths. This reproduces pycocotools
/// pixel for pixel, including its treatment of edges and vertices on pixel boundaries.
/// </summary>
public static class PolygonRle
{
    /// <summary>The mask of one polygon <c>[x0, y0, x1, y1, …]</c> in an image of <paramref name="height"/>×<paramref name="width"/>.</summary>
    public static Rle FromPolygon(ReadOnlySpan<double> xy, int height, int width)
    {
        var k = xy.Length / 2;
        const double scale = 5;
        var x = new int[k + 1];
        var y = new int[k + 1];
        for (var j = 0; j < k; j++)
        {
            x[j] = (int)((scale * xy[j * 2]) + .5);
            y[j] = (int)((scale * xy[(j * 2) + 1]) + .5);
        }
        x[k] = x[0];
        y[k] = y[0];
        // Upsample: every integer step along each edge.
        var u = new List<int>();
        var v = new List<int>();
        for (var j = 0; j < k; j++)
        {
            int xs = x[j], xe = x[j + 1], ys = y[j], ye = y[j + 1];
            var dx = Math.Abs(xe - xs);
            var dy = Math.Abs(ys - ye);
            var flip = (dx >= dy && xs > xe) || (dx < dy && ys > ye);
            if (flip)
            {
                (xs, xe) = (xe, xs);
                (ys, ye) = (ye, ys);
            }
            var s = dx >= dy ? (double)(ye - ys) / dx : (double)(xe - xs) / dy;
            if (dx >= dy)
            {
                for (var d = 0; d <= dx; d++)
                {
                    var t = flip ? dx - d : d;
                    u.Add(t + xs);
                    v.Add((int)(ys + (s * t) + .5));
                }
            }
            else
            {
                for (var d = 0; d <= dy; d++)
                {
                    var t = flip ? dy - d : d;
                    v.Add(t + ys);
                    u.Add((int)(xs + (s * t) + .5));
                }
            }
        }
        // Points along the y-boundary, downsampled to pixel columns.
        var positions = new List<uint>();
        for (var j = 1; j < u.Count; j++)
        {
            if (u[j] == u[j - 1])
                continue;
            double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
            xd = ((xd + .5) / scale) - .5;
            if (Math.Floor(xd) != xd || xd < 0 || xd > width - 1)
                continue;
            double yd = v[j] < v[j - 1] ? v[j] : v[j - 1];
            yd = ((yd + .5) / scale) - .5;
            if (yd < 0)
                yd = 0;
            else if (yd > height)
                yd = height;
            yd = Math.Ceiling(yd);
            positions.Add((uint)(((int)xd * height) + (int)yd));
        }
        positions.Add((uint)(height * width));
        positions.Sort();
        // Differences, then merge zero-length runs into their neighbours.
        var a = positions.ToArray();
        uint previous = 0;
        for (var j = 0; j < a.Length; j++)
        {
            var t = a[j];
            a[j] -= previous;
            previous = t;
        }
        var b = new List<uint>(a.Length);
        var i = 0;
        b.Add(a[i++]);
        while (i < a.Length)
        {
            if (a[i] > 0)
            {
                b.Add(a[i++]);
            }
            else
            {
                i++;
                if (i < a.Length)
                    b[^1] += a[i++];
            }
        }
        return new Rle(height, width, [.. b]);
    }

    /// <summary>
    /// The mask of a COCO polygon list (<c>frPyObjects</c> + <c>merge</c>): the union of the polygons. As in
    /// pycocotools, when the first polygon has exactly 4 numbers every entry is read as a box [x, y, w, h].
    /// </summary>
    public static Rle FromPolygons(IReadOnlyList<double[]> polygons, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(polygons);
        if (polygons.Count == 0)
            throw new ArgumentException("empty polygon list");
        var boxes = polygons[0].Length == 4;
        var masks = new List<Rle>(polygons.Count);
        foreach (var p in polygons)
        {
            if (boxes)
            {
                if (p.Length != 4)
                    throw new ArgumentException("a box list must have 4 numbers per box");
                double x0 = p[0], y0 = p[1], x1 = p[0] + p[2], y1 = p[1] + p[3];
                masks.Add(FromPolygon([x0, y0, x0, y1, x1, y1, x1, y0], height, width));
            }
            else
            {
                if (p.Length < 6 || p.Length % 2 != 0)
                    throw new ArgumentException($"a polygon needs an even number (≥ 6) of coordinates, found {p.Length}");
                masks.Add(FromPolygon(p, height, width));
            }
        }
        return Rle.Union(masks);
    }
}
