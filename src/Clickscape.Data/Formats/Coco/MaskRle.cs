namespace Clickscape.Data.Formats.Coco;

/// <summary>
/// A binary mask in COCO's run-length encoding (pycocotools <c>maskApi</c>): the mask is read in column-major
/// order (down the first column, then the second, …) and stored as alternating run lengths, starting with a
/// run of zeros (which may be empty). The runs add up to <see cref="Height"/> × <see cref="Width"/>.
/// </summary>
/// <remarks>
/// Masks elsewhere in Clickscape are row-major (index y·W + x); <see cref="Encode"/> and <see cref="Decode"/>
/// convert. <see cref="ToCompressedString"/> / <see cref="FromCompressedString"/> are COCO's text form of the
/// counts (the "compressed RLE" of annotation files and result files).
/// </remarks>
public sealed class MaskRle : IEquatable<MaskRle>
{
    /// <summary>Creates a mask from run lengths; they must be non-negative and add up to height × width.</summary>
    public MaskRle(int height, int width, int[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (height < 0 || width < 0) throw new ArgumentException($"RLE size [{height}, {width}]: expected non-negative height and width");
        long sum = 0;
        foreach (int c in counts)
        {
            if (c < 0) throw new ArgumentException($"RLE counts hold a negative run length ({c})");
            sum += c;
        }
        if (sum != (long)height * width)
            throw new ArgumentException($"RLE counts add up to {sum} pixels, expected height × width = {height} × {width} = {(long)height * width}");
        Height = height;
        Width = width;
        Counts = counts;
    }

    /// <summary>Rows of the mask.</summary>
    public int Height { get; }

    /// <summary>Columns of the mask.</summary>
    public int Width { get; }

    /// <summary>Run lengths in column-major order, zeros first.</summary>
    public int[] Counts { get; }

    /// <summary>Encodes a row-major mask (non-zero = inside) of <paramref name="height"/> × <paramref name="width"/>.</summary>
    public static MaskRle Encode(ReadOnlySpan<byte> rowMajor, int height, int width)
    {
        if (rowMajor.Length != height * width)
            throw new ArgumentException($"mask holds {rowMajor.Length} pixels, expected {height} × {width}");
        var counts = new List<int>();
        bool current = false;
        int run = 0;
        for (int x = 0; x < width; x++)
        {
            for (int y = 0; y < height; y++)
            {
                bool v = rowMajor[y * width + x] != 0;
                if (v != current)
                {
                    counts.Add(run);
                    run = 0;
                    current = v;
                }
                run++;
            }
        }
        counts.Add(run);
        return new MaskRle(height, width, counts.ToArray());
    }

    /// <summary>An all-zero mask.</summary>
    public static MaskRle Empty(int height, int width)
    {
        if (height < 0 || width < 0 || (long)height * width > int.MaxValue)
            throw new ArgumentException($"RLE size [{height}, {width}]: expected non-negative sides and at most {int.MaxValue} pixels");
        return new(height, width, [height * width]);
    }

    /// <summary>The mask as row-major bytes, 1 inside and 0 outside.</summary>
    public byte[] Decode()
    {
        var mask = new byte[Height * Width];
        int position = 0; // column-major index
        for (int i = 0; i < Counts.Length; i++)
        {
            int end = position + Counts[i];
            if ((i & 1) == 1)
            {
                for (int p = position; p < end; p++)
                {
                    int x = p / Height, y = p - x * Height;
                    mask[y * Width + x] = 1;
                }
            }
            position = end;
        }
        return mask;
    }

    /// <summary>Number of pixels inside (pycocotools <c>rleArea</c>).</summary>
    public long Area()
    {
        long area = 0;
        for (int i = 1; i < Counts.Length; i += 2) area += Counts[i];
        return area;
    }

    /// <summary>
    /// The tight box [x, y, width, height] of the pixels inside in pixel units, all zeros for an empty mask
    /// (pycocotools <c>rleToBbox</c>: a run that wraps over a column boundary spans the full height).
    /// </summary>
    public double[] BoundingBox()
    {
        if (Height == 0 || Area() == 0) return [0, 0, 0, 0];
        int xs = Width, ys = Height, xe = 0, ye = 0;
        long position = 0;
        for (int i = 0; i < Counts.Length; i++)
        {
            long start = position;
            position += Counts[i];
            if ((i & 1) == 0 || Counts[i] == 0) continue;
            long last = position - 1;
            int x0 = (int)(start / Height), y0 = (int)(start % Height);
            int x1 = (int)(last / Height), y1 = (int)(last % Height);
            xs = Math.Min(xs, x0);
            xe = Math.Max(xe, x1);
            if (x0 != x1)
            {
                ys = 0;
                ye = Height - 1;
            }
            else
            {
                ys = Math.Min(ys, y0);
                ye = Math.Max(ye, y1);
            }
        }
        return [xs, ys, xe - xs + 1, ye - ys + 1];
    }

    /// <summary>
    /// Pixel-wise union of masks of one size (pycocotools <c>merge</c> with intersect = false), computed on the
    /// runs (a sweep over the run boundaries of all masks), so memory follows the number of runs, not the pixels.
    /// </summary>
    public static MaskRle Union(IReadOnlyList<MaskRle> masks, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(masks);
        if (masks.Count == 1) return masks[0];
        long total = (long)height * width;
        // Every foreground run [start, end) as +1 at start and −1 at end; the union is where the depth is > 0.
        var events = new List<(long At, int Delta)>();
        foreach (var m in masks)
        {
            if (m.Height != height || m.Width != width)
                throw new ArgumentException($"cannot merge a {m.Height}×{m.Width} mask into {height}×{width}");
            long position = 0;
            for (int i = 0; i < m.Counts.Length; i++)
            {
                long end = position + m.Counts[i];
                if ((i & 1) == 1 && end > position)
                {
                    events.Add((position, 1));
                    events.Add((end, -1));
                }
                position = end;
            }
        }
        events.Sort((a, b) => a.At.CompareTo(b.At));
        var counts = new List<int>();
        long runStart = 0; // start of the current run of the current kind
        int depth = 0;
        for (int e = 0; e < events.Count;)
        {
            long at = events[e].At;
            bool before = depth > 0;
            while (e < events.Count && events[e].At == at) depth += events[e++].Delta;
            bool after = depth > 0;
            if (before == after) continue;
            counts.Add((int)(at - runStart));
            runStart = at;
        }
        counts.Add((int)(total - runStart));
        if (counts.Count > 1 && counts[^1] == 0) counts.RemoveAt(counts.Count - 1); // as Encode: no empty last run
        return new MaskRle(height, width, counts.ToArray());
    }

    /// <summary>
    /// COCO's text form of the counts (pycocotools <c>rleToString</c>): from the fourth count on, each count is
    /// stored as the difference to the count two before it (runs of the same kind tend to be alike); each value
    /// is then written like signed LEB128 but in 5-bit groups, least significant first, one character per group
    /// (the group plus 0x20 when more groups follow, plus 48 to land in the printable ASCII range 48..111). The
    /// last group's bit 0x10 is the sign.
    /// </summary>
    public string ToCompressedString()
    {
        var s = new System.Text.StringBuilder(Counts.Length * 2);
        for (int i = 0; i < Counts.Length; i++)
        {
            long x = Counts[i];
            if (i > 2) x -= Counts[i - 2];
            bool more = true;
            while (more)
            {
                int c = (int)(x & 0x1f);
                x >>= 5; // arithmetic shift keeps the sign
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) c |= 0x20;
                s.Append((char)(c + 48));
            }
        }
        return s.ToString();
    }

    /// <summary>Parses the text form of <see cref="ToCompressedString"/> (pycocotools <c>rleFrString</c>).
    /// Throws <see cref="FormatException"/> for characters outside 48..111, an unfinished value or counts that
    /// do not add up to height × width.</summary>
    public static MaskRle FromCompressedString(string text, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(text);
        var counts = new List<int>();
        int p = 0;
        while (p < text.Length)
        {
            long x = 0;
            int k = 0;
            bool more = true;
            while (more)
            {
                if (p >= text.Length) throw new FormatException("compressed RLE string ends inside a value");
                int c = text[p] - 48;
                if (c is < 0 or > 63) throw new FormatException($"compressed RLE string has character '{text[p]}' at {p}, expected ASCII 48..111");
                if (k >= 7) throw new FormatException($"compressed RLE string has a value longer than 7 characters at {p}");
                x |= (long)(c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) x |= -1L << (5 * k);
            }
            if (counts.Count > 2) x += counts[^2];
            if (x is < 0 or > int.MaxValue) throw new FormatException($"compressed RLE string decodes to run length {x} (count {counts.Count}), expected 0..{int.MaxValue}");
            counts.Add((int)x);
        }
        try
        {
            return new MaskRle(height, width, counts.ToArray());
        }
        catch (ArgumentException e)
        {
            throw new FormatException(e.Message, e);
        }
    }

    /// <inheritdoc/>
    public bool Equals(MaskRle? other) =>
        other is not null && other.Height == Height && other.Width == Width && other.Counts.AsSpan().SequenceEqual(Counts);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as MaskRle);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Height, Width, Counts.Length, Counts.Length > 1 ? Counts[1] : 0);
}
