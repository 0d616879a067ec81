using Clickscape.Data.Formats.Jpeg;
using Clickscape.Data.Formats.Png;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats;

/// <summary>
/// Reads a photo or generated image as 8-bit RGB whatever its container: PNG (our decoder) or JPEG (StbImageSharp),
/// told apart by their signatures, not by the file name. Grey and alpha channels become RGB (alpha is dropped).
/// </summary>
public static class RasterFile
{
    private static ReadOnlySpan<byte> PngSignature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The RGB pixels of the image file at <paramref name="path"/>.</summary>
    public static PngImage LoadRgb(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "no such image file");
        var bytes = File.ReadAllBytes(path);
        if (JpegDecoder.IsJpeg(bytes)) return JpegDecoder.Decode(bytes, path);
        if (bytes.AsSpan().StartsWith(PngSignature)) return ToRgb(PngDecoder.Decode(bytes, path));
        throw new DataFormatException(path, "not a PNG or JPEG image (unknown signature)");
    }

    /// <summary>The image as 3-channel RGB (grey repeated, alpha dropped).</summary>
    public static PngImage ToRgb(PngImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Channels == 3) return image;
        var rgb = new PngImage(image.Width, image.Height, 3);
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
            {
                if (image.Channels >= 3) rgb.SetRgb(x, y, image[x, y, 0], image[x, y, 1], image[x, y, 2]);
                else rgb.SetRgb(x, y, image[x, y, 0], image[x, y, 0], image[x, y, 0]);
            }
        return rgb;
    }
}
