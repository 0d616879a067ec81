namespace Clickscape.Models.MaskRefine;

/// <summary>A square crop window in input pixels: top-left corner and side (may extend past the image).</summary>
public readonly record struct CropWindow(double X0, double Y0, double Side);

/// <summary>
/// MaskRefineNet's input preparation (PointWSSIS; REFERENCE §7): the rough mask's box enlarged by a factor (U(1, 2) in
/// training, 2.0 at inference) and extended to contain the point, made square, then the RGB image, the point heatmap
/// (Gaussian of σ pixels at crop resolution, peak 1, in channel class + 1 of classes + 1) and the rough mask are
/// resampled bilinearly onto a <c>size × size</c> grid.
/// </summary>
public static class RefineCrop
{
    /// <summary>The crop around a rough mask [size²] (0/1 or probabilities; &gt; 0.5 counts) and its point.</summary>
    public static CropWindow Window(float[] roughMask, int size, double pointX, double pointY, double enlarge)
    {
        ArgumentNullException.ThrowIfNull(roughMask);
        int x0 = size, y0 = size, x1 = -1, y1 = -1;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                if (roughMask[y * size + x] > 0.5f)
                {
                    x0 = Math.Min(x0, x); x1 = Math.Max(x1, x); y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
                }
        double bx0 = Math.Min(x1 < 0 ? pointX : x0, pointX), by0 = Math.Min(y1 < 0 ? pointY : y0, pointY);
        double bx1 = Math.Max(x1 < 0 ? pointX : x1 + 1, pointX), by1 = Math.Max(y1 < 0 ? pointY : y1 + 1, pointY);
        double cx = (bx0 + bx1) / 2, cy = (by0 + by1) / 2;
        double side = Math.Max(8, Math.Max(bx1 - bx0, by1 - by0) * enlarge);
        return new CropWindow(cx - side / 2, cy - side / 2, side);
    }

    /// <summary>
    /// Fills one sample's input channels [InputChannels(classes), crop, crop] (row-major, appended to
    /// <paramref name="destination"/> at <paramref name="offset"/>): RGB from <paramref name="image"/> [3, size²],
    /// heatmap, rough mask; sources switched off in <paramref name="inputs"/> stay zero.
    /// </summary>
    public static void Fill(Span<float> destination, float[] image, float[] roughMask, int size, CropWindow window, double pointX, double pointY,
        int pointClass, int classes, int crop, double sigma, MaskRefineInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(roughMask);
        ArgumentNullException.ThrowIfNull(inputs);
        int plane = crop * crop, channels = MaskRefineNet.InputChannels(classes);
        if (destination.Length < channels * plane) throw new ArgumentException("refine crop: destination too small");
        destination[..(channels * plane)].Clear();
        double scale = window.Side / crop;
        double px = (pointX - window.X0) / scale, py = (pointY - window.Y0) / scale; // point in crop pixels
        for (int i = 0; i < crop; i++)
            for (int j = 0; j < crop; j++)
            {
                double sx = window.X0 + (j + 0.5) * scale - 0.5, sy = window.Y0 + (i + 0.5) * scale - 0.5;
                int o = i * crop + j;
                if (inputs.Image)
                    for (int c = 0; c < 3; c++) destination[c * plane + o] = Bilinear(image, c * size * size, size, sx, sy);
                if (inputs.Point)
                {
                    double d2 = (j + 0.5 - px) * (j + 0.5 - px) + (i + 0.5 - py) * (i + 0.5 - py);
                    if (d2 <= 9 * sigma * sigma) destination[(3 + pointClass + 1) * plane + o] = (float)Math.Exp(-d2 / (2 * sigma * sigma));
                }
                if (inputs.RoughMask) destination[(channels - 1) * plane + o] = Bilinear(roughMask, 0, size, sx, sy);
            }
    }

    /// <summary>Bilinear sample of plane [size²] at (x, y) pixel-centre coordinates, 0 outside.</summary>
    public static float Bilinear(float[] data, int offset, int size, double x, double y)
    {
        ArgumentNullException.ThrowIfNull(data);
        int x0 = (int)Math.Floor(x), y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        float V(int yy, int xx) => (uint)xx < (uint)size && (uint)yy < (uint)size ? data[offset + yy * size + xx] : 0f;
        return (float)((1 - fy) * ((1 - fx) * V(y0, x0) + fx * V(y0, x0 + 1)) + fy * ((1 - fx) * V(y0 + 1, x0) + fx * V(y0 + 1, x0 + 1)));
    }

    /// <summary>Pastes a crop's object probability [crop²] back onto the image grid [size²] (bilinear from crop
    /// coordinates); pixels outside the window stay 0.</summary>
    public static float[] PasteBack(ReadOnlySpan<float> cropProbability, int crop, CropWindow window, int size)
    {
        var result = new float[size * size];
        var buffer = cropProbability.ToArray();
        double scale = crop / window.Side;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                double cx = (x + 0.5 - window.X0) * scale - 0.5, cy = (y + 0.5 - window.Y0) * scale - 0.5;
                if (cx < -0.5 || cy < -0.5 || cx > crop - 0.5 || cy > crop - 0.5) continue;
                result[y * size + x] = Bilinear(buffer, 0, crop, Math.Clamp(cx, 0, crop - 1), Math.Clamp(cy, 0, crop - 1));
            }
        return result;
    }
}
