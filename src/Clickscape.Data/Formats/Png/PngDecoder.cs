using System.Buffers.Binary;
using System.IO.Compression;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.Png;

/// <summary>
/// Reads PNG files (PNG spec, W3C 2003) into 8-bit <see cref="PngImage"/>s: every colour type (grey, RGB,
/// palette, grey + alpha, RGBA), every bit depth (1, 2, 4, 8, 16), the five filters, any number of IDAT chunks,
/// non-interlaced and Adam7-interlaced.
/// </summary>
/// <remarks>
/// Conversions: palette → RGB, or RGBA when a tRNS chunk gives the palette alpha; grey below 8 bits is scaled
/// to 0..255 (v·255 / (2^depth − 1)); 16-bit samples keep their high byte. tRNS colour keys of grey/RGB images
/// and all other ancillary chunks (gamma, text, …) are ignored. Every CRC and length is checked; anything
/// wrong — truncation, bad CRC, an unknown critical chunk, a broken zlib stream, too little or too much image
/// data — is a <see cref="DataFormatException"/> naming the file.
/// </remarks>
public static class PngDecoder
{
    /// <summary>Reads the PNG file at <paramref name="path"/>.</summary>
    public static PngImage Load(string path)
    {
        byte[] data;
        try
        {
            data = InputFile.ReadAllBytes(path);
        }
        catch (FileNotFoundException e)
        {
            throw new DataFormatException(path, "no such PNG file", e);
        }
        return Decode(data, path);
    }

    /// <summary>Decodes PNG bytes; <paramref name="name"/> is the file name used in error messages.</summary>
    public static PngImage Decode(ReadOnlySpan<byte> data, string name)
    {
        if (data.Length < 8 || !data[..8].SequenceEqual(PngEncoder.Signature))
            throw new DataFormatException(name, "not a PNG file (missing the 8-byte PNG signature)");

        Header? header = null;
        byte[]? palette = null;
        byte[]? paletteAlpha = null;
        using var idat = new MemoryStream();
        bool ended = false;
        int pos = 8;
        while (!ended)
        {
            if (data.Length - pos < 12)
                throw new DataFormatException(name, $"truncated at byte {pos}: expected a chunk (length, type, data, CRC) and an IEND chunk");
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            if (length > int.MaxValue || length > data.Length - pos - 12)
                throw new DataFormatException(name, $"chunk at byte {pos} claims {length} data bytes but the file has only {data.Length - pos - 12} left");
            var typeBytes = data.Slice(pos + 4, 4);
            foreach (byte t in typeBytes)
            {
                if (!char.IsAsciiLetter((char)t))
                    throw new DataFormatException(name, $"chunk at byte {pos} has an invalid type (expected 4 ASCII letters)");
            }
            string type = System.Text.Encoding.ASCII.GetString(typeBytes);
            var body = data.Slice(pos + 8, (int)length);
            uint stored = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 8 + (int)length)..]);
            uint actual = PngCrc32.Append(PngCrc32.Compute(typeBytes), body);
            if (stored != actual)
                throw new DataFormatException(name, $"chunk {type} at byte {pos}: CRC mismatch (stored {stored:x8}, computed {actual:x8}); the file is corrupt");
            if (header is null && type != "IHDR")
                throw new DataFormatException(name, $"first chunk is {type}, expected IHDR");
            switch (type)
            {
                case "IHDR":
                    if (header is not null) throw new DataFormatException(name, "second IHDR chunk");
                    header = Header.Parse(body, name);
                    break;
                case "PLTE":
                    if (length % 3 != 0 || length == 0 || length > 768)
                        throw new DataFormatException(name, $"PLTE chunk of {length} bytes: expected 3 bytes per entry, 1..256 entries");
                    palette = body.ToArray();
                    break;
                case "tRNS":
                    if (header!.ColourType == 3) paletteAlpha = body.ToArray();
                    break;
                case "IDAT":
                    idat.Write(body);
                    break;
                case "IEND":
                    ended = true;
                    break;
                default:
                    if (char.IsAsciiLetterUpper(type[0]))
                        throw new DataFormatException(name, $"unknown critical chunk {type}; cannot decode");
                    break; // ancillary: safe to ignore
            }
            pos += 12 + (int)length;
        }

        var h = header!;
        if (h.ColourType == 3)
        {
            if (palette is null) throw new DataFormatException(name, "palette image without a PLTE chunk");
            if (paletteAlpha is not null && paletteAlpha.Length > palette.Length / 3)
                throw new DataFormatException(name, $"tRNS chunk has {paletteAlpha.Length} entries for a palette of {palette.Length / 3}");
        }
        if (idat.Length == 0) throw new DataFormatException(name, "no IDAT chunk (no image data)");

        byte[] raw = Inflate(idat, h.RawSize(), name);
        int outChannels = h.ColourType == 3 ? (paletteAlpha is null ? 3 : 4) : h.Channels;
        var image = new PngImage(h.Width, h.Height, outChannels);
        if (h.Interlace == 0)
        {
            int used = DecodePass(raw, 0, h, h.Width, h.Height, image, 0, 0, 1, 1, palette, paletteAlpha, name);
            _ = used;
        }
        else
        {
            int offset = 0;
            foreach (var (x0, y0, dx, dy) in Adam7)
            {
                int pw = (h.Width - x0 + dx - 1) / dx, ph = (h.Height - y0 + dy - 1) / dy;
                if (pw <= 0 || ph <= 0) continue;
                offset = DecodePass(raw, offset, h, pw, ph, image, x0, y0, dx, dy, palette, paletteAlpha, name);
            }
        }
        return image;
    }

    /// <summary>Adam7 passes: first column, first row, column step, row step (PNG spec §8.2).</summary>
    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    private static byte[] Inflate(MemoryStream idat, long expected, string name)
    {
        // Deflate cannot expand more than ~1032:1; a header asking for far more than the compressed data can
        // hold is a lie, caught before allocating the raw buffer.
        if (expected > idat.Length * 1100 + 4096 || expected > Array.MaxLength)
            throw new DataFormatException(name, $"IHDR size needs {expected} bytes of image data but the IDAT chunks hold only {idat.Length} compressed bytes");
        var raw = new byte[expected];
        idat.Position = 0;
        try
        {
            using var zlib = new ZLibStream(idat, CompressionMode.Decompress, leaveOpen: true);
            int total = 0;
            while (total < raw.Length)
            {
                int n = zlib.Read(raw, total, raw.Length - total);
                if (n == 0) break;
                total += n;
            }
            if (total < raw.Length)
                throw new DataFormatException(name, $"image data truncated: {total} of {raw.Length} bytes after decompression");
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(name, $"corrupt zlib stream in IDAT ({e.Message.ReplaceLineEndings(" ")})", e);
        }
        return raw;
    }

    /// <summary>Unfilters one (sub-)image of <paramref name="pw"/>×<paramref name="ph"/> pixels starting at
    /// <paramref name="offset"/> in the raw stream and scatters it into <paramref name="image"/>. Returns the
    /// offset after the pass.</summary>
    private static int DecodePass(byte[] raw, int offset, Header h, int pw, int ph, PngImage image, int x0, int y0, int dx, int dy,
        byte[]? palette, byte[]? paletteAlpha, string name)
    {
        int rowBytes = h.RowBytes(pw);
        int bpp = Math.Max(1, h.Channels * h.BitDepth / 8);
        var previous = new byte[rowBytes];
        var row = new byte[rowBytes];
        int outC = image.Channels;
        int maxValue = (1 << h.BitDepth) - 1;
        int paletteEntries = palette is null ? 0 : palette.Length / 3;
        for (int y = 0; y < ph; y++)
        {
            byte filter = raw[offset];
            raw.AsSpan(offset + 1, rowBytes).CopyTo(row);
            offset += rowBytes + 1;
            if (!PngFilters.Reverse(filter, row, previous, bpp))
                throw new DataFormatException(name, $"row {y} has filter type {filter}, expected 0..4");
            int iy = y0 + y * dy;
            for (int x = 0; x < pw; x++)
            {
                int ix = x0 + x * dx;
                int o = (iy * image.Width + ix) * outC;
                if (h.ColourType == 3)
                {
                    int index = Sample(row, x, 0, 1, h.BitDepth);
                    if (index >= paletteEntries)
                        throw new DataFormatException(name, $"pixel ({ix}, {iy}) uses palette entry {index} but the palette has {paletteEntries}");
                    image.Pixels[o] = palette![3 * index];
                    image.Pixels[o + 1] = palette[3 * index + 1];
                    image.Pixels[o + 2] = palette[3 * index + 2];
                    if (outC == 4) image.Pixels[o + 3] = index < paletteAlpha!.Length ? paletteAlpha[index] : (byte)255;
                }
                else
                {
                    for (int c = 0; c < h.Channels; c++)
                    {
                        int v = Sample(row, x, c, h.Channels, h.BitDepth);
                        image.Pixels[o + c] = h.BitDepth switch
                        {
                            8 => (byte)v,
                            16 => (byte)(v >> 8),
                            _ => (byte)(v * 255 / maxValue),
                        };
                    }
                }
            }
            (previous, row) = (row, previous);
        }
        return offset;
    }

    /// <summary>Sample <paramref name="c"/> of pixel <paramref name="x"/> in an unfiltered row, as an integer of
    /// <paramref name="depth"/> bits (sub-byte samples are packed most significant bits first).</summary>
    private static int Sample(byte[] row, int x, int c, int channels, int depth)
    {
        switch (depth)
        {
            case 8:
                return row[x * channels + c];
            case 16:
                int i = 2 * (x * channels + c);
                return (row[i] << 8) | row[i + 1];
            default:
                int bit = x * depth; // sub-byte depths only occur with one channel
                int shift = 8 - depth - (bit & 7);
                return (row[bit >> 3] >> shift) & ((1 << depth) - 1);
        }
    }

    private sealed record Header(int Width, int Height, int BitDepth, int ColourType, int Interlace)
    {
        public int Channels => ColourType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };

        public int RowBytes(int width) => (int)(((long)width * Channels * BitDepth + 7) / 8);

        /// <summary>Bytes of filtered image data (type bytes included) the zlib stream must hold.</summary>
        public long RawSize()
        {
            if (Interlace == 0) return (long)Height * (RowBytes(Width) + 1);
            long total = 0;
            foreach (var (x0, y0, dx, dy) in Adam7)
            {
                long pw = (Width - x0 + dx - 1) / dx, ph = (Height - y0 + dy - 1) / dy;
                if (pw > 0 && ph > 0) total += ph * (RowBytes((int)pw) + 1);
            }
            return total;
        }

        public static Header Parse(ReadOnlySpan<byte> body, string name)
        {
            if (body.Length != 13) throw new DataFormatException(name, $"IHDR chunk has {body.Length} bytes, expected 13");
            uint w = BinaryPrimitives.ReadUInt32BigEndian(body), h = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
            if (w == 0 || h == 0 || w > int.MaxValue || h > int.MaxValue)
                throw new DataFormatException(name, $"image size {w}×{h}: expected 1..2^31−1 in each dimension");
            int depth = body[8], colour = body[9];
            bool ok = colour switch
            {
                0 => depth is 1 or 2 or 4 or 8 or 16,
                3 => depth is 1 or 2 or 4 or 8,
                2 or 4 or 6 => depth is 8 or 16,
                _ => false,
            };
            if (!ok) throw new DataFormatException(name, $"colour type {colour} with bit depth {depth} is not a valid PNG combination");
            if (body[10] != 0) throw new DataFormatException(name, $"compression method {body[10]}, expected 0 (deflate)");
            if (body[11] != 0) throw new DataFormatException(name, $"filter method {body[11]}, expected 0");
            if (body[12] > 1) throw new DataFormatException(name, $"interlace method {body[12]}, expected 0 (none) or 1 (Adam7)");
            if ((long)w * h > Array.MaxLength / 4)
                throw new DataFormatException(name, $"image size {w}×{h} is too large to decode");
            return new Header((int)w, (int)h, depth, colour, body[12]);
        }
    }
}
