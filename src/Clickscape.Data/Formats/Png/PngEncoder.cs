using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.Png;

/// <summary>
/// Writes 8-bit grey, grey + alpha, RGB and RGBA PNG files (PNG spec, W3C 2003): signature, IHDR, one IDAT
/// holding the zlib stream of all filtered rows, IEND. Non-interlaced.
/// </summary>
/// <remarks>
/// Each row gets the filter that minimises the sum of absolute signed filtered bytes
/// (<see cref="PngFilters.ChooseAndApply"/>), the spec's recommended heuristic; the choice only changes the
/// file size, never the decoded pixels.
/// </remarks>
public static class PngEncoder
{
    internal static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Writes <paramref name="image"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, PngImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        AtomicFile.Write(path, stream => Encode(image, stream));
    }

    /// <summary>The PNG file of <paramref name="image"/> as bytes.</summary>
    public static byte[] Encode(PngImage image)
    {
        using var memory = new MemoryStream();
        Encode(image, memory);
        return memory.ToArray();
    }

    /// <summary>Writes the PNG file of <paramref name="image"/> to <paramref name="output"/>.</summary>
    public static void Encode(PngImage image, Stream output)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(output);
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 8; // bit depth
        header[9] = ColourType(image.Channels);
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method 0 (the five adaptive filters)
        header[12] = 0; // no interlace
        WriteChunk(output, "IHDR", header);
        WriteChunk(output, "IDAT", CompressRows(image));
        WriteChunk(output, "IEND", []);
    }

    /// <summary>PNG colour type of an 8-bit image with <paramref name="channels"/> samples per pixel.</summary>
    internal static byte ColourType(int channels) => channels switch
    {
        1 => 0,
        2 => 4,
        3 => 2,
        4 => 6,
        _ => throw new ArgumentOutOfRangeException(nameof(channels), $"{channels} channels: expected 1..4"),
    };

    private static byte[] CompressRows(PngImage image)
    {
        int stride = image.Stride;
        var previous = new byte[stride];
        var scratch = new byte[stride];
        var best = new byte[stride + 1];
        using var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            for (int y = 0; y < image.Height; y++)
            {
                var row = image.Pixels.AsSpan(y * stride, stride);
                best[0] = PngFilters.ChooseAndApply(row, previous, image.Channels, scratch, best.AsSpan(1));
                zlib.Write(best);
                row.CopyTo(previous);
            }
        }
        return compressed.ToArray();
    }

    /// <summary>Writes one chunk: length, type, data, CRC of type + data.</summary>
    internal static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        Span<byte> typeBytes = stackalloc byte[4];
        Encoding.ASCII.GetBytes(type, typeBytes);
        output.Write(typeBytes);
        output.Write(data);
        uint crc = PngCrc32.Append(PngCrc32.Compute(typeBytes), data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }
}
