namespace Clickscape.Data.Formats.Png;

/// <summary>
/// An 8-bit raster as PNG stores it: <see cref="Height"/> rows of <see cref="Width"/> pixels, each pixel
/// <see cref="Channels"/> interleaved bytes, rows top to bottom without padding.
/// </summary>
/// <remarks>
/// Channel counts follow PNG's colour types: 1 = grey, 2 = grey + alpha, 3 = RGB, 4 = RGBA. Palette images
/// are expanded to RGB (or RGBA when the palette has transparency) by <see cref="PngDecoder"/>.
/// </remarks>
public sealed class PngImage
{
    /// <summary>Creates a zeroed image.</summary>
    public PngImage(int width, int height, int channels)
        : this(width, height, channels, new byte[CheckedSize(width, height, channels)])
    {
    }

    /// <summary>Wraps <paramref name="pixels"/> (not copied).</summary>
    public PngImage(int width, int height, int channels, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        long size = CheckedSize(width, height, channels);
        if (pixels.Length != size)
            throw new ArgumentException($"PNG image {width}×{height}×{channels}: pixel buffer holds {pixels.Length} bytes, expected {size}");
        Width = width;
        Height = height;
        Channels = channels;
        Pixels = pixels;
    }

    /// <summary>Pixels per row.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Bytes per pixel: 1 grey, 2 grey + alpha, 3 RGB, 4 RGBA.</summary>
    public int Channels { get; }

    /// <summary>Row-major interleaved samples.</summary>
    public byte[] Pixels { get; }

    /// <summary>Bytes per row.</summary>
    public int Stride => Width * Channels;

    /// <summary>Sample <paramref name="c"/> of pixel (<paramref name="x"/>, <paramref name="y"/>).</summary>
    public byte this[int x, int y, int c]
    {
        get => Pixels[(y * Width + x) * Channels + c];
        set => Pixels[(y * Width + x) * Channels + c] = value;
    }

    /// <summary>Sets an RGB pixel (channels 0..2; the image must have at least 3 channels).</summary>
    public void SetRgb(int x, int y, byte r, byte g, byte b)
    {
        int o = (y * Width + x) * Channels;
        Pixels[o] = r;
        Pixels[o + 1] = g;
        Pixels[o + 2] = b;
    }

    private static int CheckedSize(int width, int height, int channels)
    {
        if (width <= 0 || height <= 0)
            throw new ArgumentException($"PNG image size {width}×{height}: expected positive width and height");
        if (channels is < 1 or > 4)
            throw new ArgumentException($"PNG image with {channels} channels: expected 1 (grey), 2 (grey+alpha), 3 (RGB) or 4 (RGBA)");
        long size = (long)width * height * channels;
        if (size > Array.MaxLength)
            throw new ArgumentException($"PNG image {width}×{height}×{channels} is too large ({size} bytes)");
        return (int)size;
    }
}
