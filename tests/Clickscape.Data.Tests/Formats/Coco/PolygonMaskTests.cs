using Clickscape.Data.Formats.Coco;

namespace Clickscape.Data.Tests.Formats.Coco;

public sealed class PolygonMaskTests
{
    /// <summary>An integer box [x, y, w, h] as a polygon covers exactly w·h pixels at the right place
    /// (what pycocotools' rleFrBbox gives for integer boxes).</summary>
    [Theory]
    [InlineData(0, 0, 1, 1, 4, 4)]
    [InlineData(1, 2, 3, 4, 7, 9)]
    [InlineData(0, 0, 13, 5, 5, 13)]
    [InlineData(10, 3, 7, 2, 20, 31)]
    public void IntegerBox_CoversExactlyItsPixels(int x, int y, int w, int h, int height, int width)
    {
        double[] polygon = [x, y, x, y + h, x + w, y + h, x + w, y];
        var mask = PolygonMask.Rasterize(polygon, height, width).Decode();
        for (int py = 0; py < height; py++)
            for (int px = 0; px < width; px++)
                Assert.Equal(px >= x && px < x + w && py >= y && py < y + h ? 1 : 0, mask[py * width + px]);
        // orientation does not matter
        double[] reversed = [x, y, x + w, y, x + w, y + h, x, y + h];
        Assert.Equal(mask, PolygonMask.Rasterize(reversed, height, width).Decode());
    }

    /// <summary>
    /// pycocotools' <c>frPyObjects</c> reads a segmentation list whose first entry has 4 numbers as boxes
    /// [x, y, w, h]: an integer box covers w·h pixels, columns x..x+w−1 and rows y..y+h−1 — the same mask as
    /// the box's outline given as a polygon.
    /// </summary>
    [Fact]
    public void SegmentationList_FirstEntryOfFourNumbers_IsABoxList()
    {
        const int h = 10, w = 10;
        var expected = new byte[h * w];
        for (int y = 1; y <= 4; y++)
            for (int x = 1; x <= 4; x++) expected[y * w + x] = 1;
        var rle = PolygonMask.Rasterize([[1, 1, 4, 4]], h, w);
        Assert.Equal(16, rle.Area());
        Assert.Equal(MaskRle.Encode(expected, h, w).Counts, rle.Counts);
        Assert.Equal(MaskRle.Encode(expected, h, w).Counts, PolygonMask.Rasterize([[1, 1, 5, 1, 5, 5, 1, 5]], h, w).Counts);
        // Two boxes unite; a box list cannot hold a polygon.
        Assert.Equal(16 + 4, PolygonMask.Rasterize([[1, 1, 4, 4], [7, 7, 2, 2]], h, w).Area());
        Assert.Throws<ArgumentException>(() => PolygonMask.Rasterize([[1, 1, 4, 4], [1, 1, 5, 1, 5, 5]], h, w));
    }

    [Fact]
    public void BoxPartlyOutside_IsClipped()
    {
        double[] polygon = [-3, -2, -3, 4, 2, 4, 2, -2];
        var rle = PolygonMask.Rasterize(polygon, 6, 6);
        Assert.Equal(2 * 4, rle.Area());
        Assert.Equal(new double[] { 0, 0, 2, 4 }, rle.BoundingBox());
    }

    /// <summary>
    /// Random star-shaped polygons against the plain rule "pixel centre (x + 0.5, y + 0.5) inside the polygon"
    /// (even-odd ray casting in double precision): the two may only disagree on pixels whose centre is within
    /// a pixel of the boundary, because pycocotools decides those on its 5× grid.
    /// </summary>
    [Fact]
    public void RandomPolygons_AgreeWithCentreSampling_AwayFromTheBoundary()
    {
        var random = new Random(7);
        for (int trial = 0; trial < 30; trial++)
        {
            int height = 20 + random.Next(60), width = 20 + random.Next(60);
            int k = 3 + random.Next(12);
            double cx = random.NextDouble() * width, cy = random.NextDouble() * height;
            var polygon = new double[2 * k];
            for (int j = 0; j < k; j++)
            {
                double angle = 2 * Math.PI * (j + random.NextDouble() * 0.8) / k, radius = 3 + random.NextDouble() * 25;
                polygon[2 * j] = cx + radius * Math.Cos(angle);
                polygon[2 * j + 1] = cy + radius * Math.Sin(angle);
            }
            var mask = PolygonMask.Rasterize(polygon, height, width).Decode();
            int agree = 0, total = 0;
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    double px = x + 0.5, py = y + 0.5;
                    bool inside = Inside(polygon, px, py);
                    if ((mask[y * width + x] != 0) == inside)
                    {
                        agree++;
                    }
                    else
                    {
                        Assert.True(DistanceToBoundary(polygon, px, py) < 1.0,
                            $"trial {trial}: pixel ({x}, {y}) is {(inside ? "inside" : "outside")} by centre sampling but not in the mask, {DistanceToBoundary(polygon, px, py):F2} px from the boundary");
                    }
                    total++;
                }
            Assert.True(agree > 0.95 * total);
        }
    }

    /// <summary>
    /// The streamed rasterizer (samples not stored, samples left and right of the image skipped) gives exactly
    /// the runs of the stored-samples algorithm (<see cref="StoredSamplesReference"/>, pycocotools' steps as
    /// written) for polygons that reach up to one image size beyond the image on every side.
    /// </summary>
    [Fact]
    public void StreamedRasterizer_EqualsStoredSamplesReference()
    {
        var random = new Random(11);
        for (int trial = 0; trial < 600; trial++)
        {
            int height = 1 + random.Next(40), width = 1 + random.Next(40);
            if (trial % 4 == 1) height = 1 + random.Next(3); // flat images: steep edges are mostly outside
            if (trial % 4 == 2) width = 1 + random.Next(3);  // narrow images: steep edges cross few columns
            int k = 3 + random.Next(10);
            var polygon = new double[2 * k];
            for (int j = 0; j < k; j++)
            {
                polygon[2 * j] = -width + random.NextDouble() * 3 * width;
                polygon[2 * j + 1] = -height + random.NextDouble() * 3 * height;
                if (trial % 3 == 0) polygon[2 * j] = Math.Round(polygon[2 * j]);
            }
            Assert.Equal(StoredSamplesReference(polygon, height, width), PolygonMask.Rasterize(polygon, height, width).Counts);
        }
    }

    /// <summary>Attack: a vertex at −10¹² overflowed the 5× grid (Math.Abs of int.MinValue). Now the polygon is
    /// clipped: the triangle (−10¹², 5) (5, 0) (5, 10) covers columns 0..4 of a 10×10 image.</summary>
    [Fact]
    public void HugeNegativeCoordinate_IsClipped_NotAnOverflow()
    {
        var rle = PolygonMask.Rasterize([-1e12, 5, 5, 0, 5, 10], 10, 10);
        Assert.Equal(50, rle.Area());
        Assert.Equal(new double[] { 0, 0, 5, 10 }, rle.BoundingBox());
        Assert.Equal(50, PolygonMask.Rasterize([-3e9, 5, 5, 0, 5, 10], 10, 10).Area());
    }

    /// <summary>Attack: in a 1 × 2³¹−1 image a tall triangle has edges of 10¹⁰ samples on the 5× grid; the steep
    /// edges now cost the columns they cross, not their height.</summary>
    [Fact]
    public void TallPolygonInATallImage_CostsItsColumns_NotItsHeight()
    {
        const int height = int.MaxValue;
        var rle = PolygonMask.Rasterize([0.2, -1e9, 0.9, -1e9, 0.6, 3e9], height, 1);
        // Column 0 (centre x = 0.5) is inside from the top edge (above the image) down to where the left edge
        // (0.2, −10⁹)–(0.6, 3·10⁹) passes x = 0.5, at y = 2·10⁹.
        Assert.InRange(rle.Area(), 1_999_999_990, 2_000_000_010);
    }

    /// <summary>Attack: coordinates of 10³⁰⁰ made 23 GB of boundary samples. Clipped to the window, a triangle
    /// that holds the whole image covers it, within a few megabytes.</summary>
    [Fact]
    public void CoordinatesOf1e300_CoverTheImage_WithinAMemoryBound()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var rle = PolygonMask.Rasterize([1e300, 1e300, -1e300, 1e300, 0, -1e300], 100, 200);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(100 * 200, rle.Area());
        Assert.True(allocated < 8 << 20, $"{allocated} bytes allocated");
    }

    /// <summary>Attack: a 2·10⁹ × 2·10⁹ image overflowed height × width; sizes beyond 32-bit RLE counts are refused.</summary>
    [Fact]
    public void ImageBeyond32BitPixels_IsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => PolygonMask.Rasterize([0, 0, 1, 0, 1, 1], 2_000_000_000, 2_000_000_000));
        Assert.Contains("pixels", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MaskRle.Empty(2_000_000_000, 2_000_000_000));
        Assert.Throws<ArgumentException>(() => PolygonMask.Rasterize([0, 0, double.NaN, 0, 1, 1], 5, 5));
    }

    /// <summary>pycocotools rleFrPoly step by step, with every sample stored (the implementation before streaming).</summary>
    private static int[] StoredSamplesReference(double[] xy, int height, int width)
    {
        int k = xy.Length / 2;
        var vx = new int[k + 1];
        var vy = new int[k + 1];
        for (int j = 0; j < k; j++)
        {
            vx[j] = (int)(5 * xy[2 * j] + 0.5);
            vy[j] = (int)(5 * xy[2 * j + 1] + 0.5);
        }
        vx[k] = vx[0];
        vy[k] = vy[0];
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
        var toggles = new List<long>();
        for (int j = 1; j < u.Count; j++)
        {
            if (u[j] == u[j - 1]) continue;
            double xd = u[j] < u[j - 1] ? u[j] : u[j] - 1;
            xd = (xd + 0.5) / 5 - 0.5;
            if (Math.Floor(xd) != xd || xd < 0 || xd > width - 1) continue;
            double yd = Math.Min(v[j], v[j - 1]);
            yd = (yd + 0.5) / 5 - 0.5;
            yd = Math.Ceiling(Math.Clamp(yd, 0, height));
            toggles.Add((long)xd * height + (long)yd);
        }
        toggles.Add((long)height * width);
        toggles.Sort();
        var counts = new List<int>();
        long previous = 0;
        for (int j = 0; j < toggles.Count;)
        {
            long run = toggles[j] - previous;
            previous = toggles[j];
            j++;
            if (run > 0 || counts.Count == 0) counts.Add((int)run);
            else if (j < toggles.Count)
            {
                counts[^1] += (int)(toggles[j] - previous);
                previous = toggles[j];
                j++;
            }
        }
        return counts.ToArray();
    }

    private static bool Inside(double[] p, double x, double y)
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

    private static double DistanceToBoundary(double[] p, double x, double y)
    {
        double best = double.MaxValue;
        int k = p.Length / 2;
        for (int i = 0, j = k - 1; i < k; j = i++)
        {
            double ax = p[2 * j], ay = p[2 * j + 1], bx = p[2 * i], by = p[2 * i + 1];
            double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
            double t = len2 == 0 ? 0 : Math.Clamp(((x - ax) * dx + (y - ay) * dy) / len2, 0, 1);
            best = Math.Min(best, Math.Sqrt(Math.Pow(ax + t * dx - x, 2) + Math.Pow(ay + t * dy - y, 2)));
        }
        return best;
    }
}
