using Clickscape.Data.Formats.Png;
using Clickscape.Data.IO;
using StbImageSharp;

namespace Clickscape.Data.Formats.Jpeg;

/// <summary>
/// JPEG (ITU-T T.81 / JFIF) decoding to an 8-bit RGB raster, by StbImageSharp (a managed C# port of Sean Barrett's
/// stb_image: baseline and progressive JPEG, YCbCr → RGB, chroma upsampling). Chosen over SkiaSharp because it is
/// pure managed code: no native Skia library to ship per platform, nothing to load at run time, the same bytes on
/// every machine. Not a hand-written decoder: the codec is the package's.
/// </summary>
public static class JpegDecoder
{
    /// <summary>Whether <paramref name="data"/> starts with the JPEG SOI marker FF D8 FF.</summary>
    public static bool IsJpeg(ReadOnlySpan<byte> data) => data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;

    /// <summary>Decodes the JPEG file at <paramref name="path"/> to RGB.</summary>
    public static PngImage Load(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "no such JPEG file");
        return Decode(File.ReadAllBytes(path), path);
    }

    /// <summary>Decodes JPEG bytes to RGB (grey images are expanded); <paramref name="name"/> names the source in errors.</summary>
    public static PngImage Decode(byte[] data, string name)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (!IsJpeg(data)) throw new DataFormatException(name, "not a JPEG file (expected the SOI marker FF D8 FF)");
        // stb_image decodes a cut-off stream without complaint (the missing blocks come out grey), so a file that was
        // cut short is caught here: entropy-coded data stuffs every FF with 00, so FF D9 occurs only as a marker.
        if (data.AsSpan().LastIndexOf([(byte)0xFF, (byte)0xD9]) < 2)
            throw new DataFormatException(name, "no end-of-image marker (FF D9): the JPEG file is truncated");
        ImageResult result;
        try
        {
            result = ImageResult.FromMemory(data, ColorComponents.RedGreenBlue);
        }
        catch (Exception e) when (e is InvalidOperationException or IndexOutOfRangeException or ArgumentException or NullReferenceException)
        {
            // stb_image reports a malformed or truncated stream by throwing from deep inside the decoder
            throw new DataFormatException(name, $"corrupt JPEG data ({e.Message.ReplaceLineEndings(" ")})", e);
        }
        if (result.Width <= 0 || result.Height <= 0 || result.Data.Length != (long)result.Width * result.Height * 3)
            throw new DataFormatException(name, $"JPEG decoded to {result.Width}×{result.Height} with {result.Data.Length} bytes; expected an RGB raster");
        return new PngImage(result.Width, result.Height, 3, result.Data);
    }
}
