namespace Clickscape.Data.Formats.Png;

/// <summary>
/// PNG's five scanline filters (PNG spec §9: None, Sub, Up, Average, Paeth), forward (encoder) and inverse
/// (decoder) side by side. Every filter predicts a byte from <c>a</c> = the byte one pixel to the left,
/// <c>b</c> = the byte above, <c>c</c> = the byte above-left (0 outside the image); the filtered byte is the
/// difference modulo 256.
/// </summary>
public static class PngFilters
{
    /// <summary>Filter type byte: no prediction.</summary>
    public const byte None = 0;

    /// <summary>Filter type byte: predict from the left.</summary>
    public const byte Sub = 1;

    /// <summary>Filter type byte: predict from above.</summary>
    public const byte Up = 2;

    /// <summary>Filter type byte: predict from floor((left + above) / 2).</summary>
    public const byte Average = 3;

    /// <summary>Filter type byte: Paeth predictor.</summary>
    public const byte Paeth = 4;

    /// <summary>
    /// The Paeth predictor (Paeth 1991, PNG spec §9.4): of left, above and above-left, the one closest to
    /// left + above − above-left, ties broken in that order.
    /// </summary>
    public static byte PaethPredictor(byte a, byte b, byte c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }

    /// <summary>
    /// Forward: writes <paramref name="row"/> filtered with <paramref name="type"/> into <paramref name="output"/>
    /// (same length; without the type byte). <paramref name="previous"/> is the unfiltered row above (all zeros
    /// for the first row); <paramref name="bytesPerPixel"/> is at least 1.
    /// </summary>
    public static void Apply(byte type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel, Span<byte> output)
    {
        int n = row.Length, bpp = bytesPerPixel;
        switch (type)
        {
            case None:
                row.CopyTo(output);
                break;
            case Sub:
                for (int i = 0; i < n; i++) output[i] = (byte)(row[i] - (i >= bpp ? row[i - bpp] : 0));
                break;
            case Up:
                for (int i = 0; i < n; i++) output[i] = (byte)(row[i] - previous[i]);
                break;
            case Average:
                for (int i = 0; i < n; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0;
                    output[i] = (byte)(row[i] - ((a + previous[i]) >> 1));
                }
                break;
            case Paeth:
                for (int i = 0; i < n; i++)
                {
                    byte a = i >= bpp ? row[i - bpp] : (byte)0, c = i >= bpp ? previous[i - bpp] : (byte)0;
                    output[i] = (byte)(row[i] - PaethPredictor(a, previous[i], c));
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type), $"PNG filter type {type}: expected 0..4");
        }
    }

    /// <summary>
    /// Inverse of <see cref="Apply"/>, in place: turns the filtered bytes of <paramref name="row"/> back into
    /// samples, given the already reconstructed <paramref name="previous"/> row. Returns false for an unknown
    /// filter type (the decoder reports it with the file name).
    /// </summary>
    public static bool Reverse(byte type, Span<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel)
    {
        int n = row.Length, bpp = bytesPerPixel;
        switch (type)
        {
            case None:
                return true;
            case Sub:
                for (int i = bpp; i < n; i++) row[i] += row[i - bpp];
                return true;
            case Up:
                for (int i = 0; i < n; i++) row[i] += previous[i];
                return true;
            case Average:
                for (int i = 0; i < n; i++)
                {
                    int a = i >= bpp ? row[i - bpp] : 0;
                    row[i] += (byte)((a + previous[i]) >> 1);
                }
                return true;
            case Paeth:
                for (int i = 0; i < n; i++)
                {
                    byte a = i >= bpp ? row[i - bpp] : (byte)0, c = i >= bpp ? previous[i - bpp] : (byte)0;
                    row[i] += PaethPredictor(a, previous[i], c);
                }
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The filter the encoder uses for a row: the one whose output has the smallest sum of absolute values
    /// when bytes are read as signed (−128..127) — the "minimum sum of absolute differences" heuristic the
    /// PNG spec recommends (§12.8) and libpng uses by default for truecolour images. <paramref name="scratch"/>
    /// and <paramref name="best"/> are buffers of the row's length; on return <paramref name="best"/> holds the
    /// chosen filter's output, whose type byte is returned.
    /// </summary>
    public static byte ChooseAndApply(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, int bytesPerPixel, Span<byte> scratch, Span<byte> best)
    {
        long bestSum = long.MaxValue;
        byte bestType = None;
        for (byte type = None; type <= Paeth; type++)
        {
            Apply(type, row, previous, bytesPerPixel, scratch);
            long sum = 0;
            foreach (byte v in scratch) sum += Math.Abs((int)(sbyte)v);
            if (sum < bestSum)
            {
                bestSum = sum;
                bestType = type;
                scratch.CopyTo(best);
            }
        }
        return bestType;
    }
}
