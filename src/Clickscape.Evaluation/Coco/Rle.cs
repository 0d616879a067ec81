namespace Clickscape.Evaluation.Coco;

/// <summary>
/// A binary mask in COCO run-length encoding [pycocotools:common/maskApi.c]: pixels in column-major order
/// (index = x·h + y), alternating run lengths starting with a run of zeros (possibly empty).
/// </summary>
public sealed class Rle
{
    /// <summary>Creates an RLE; counts must sum to h·w.</summary>
    public Rle(int height, int width, uint[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (height < 0 || width < 0)
            throw new ArgumentException($"mask size {height}×{width} is negative");
        ulong sum = 0;
        foreach (var c in counts)
            sum += c;
        if (sum != (ulong)height * (ulong)width)
            throw new ArgumentException($"RLE counts sum to {sum}, expected height·width = {(long)height * width}");
        Height = height;
        Width = width;
        Counts = counts;
    }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Run lengths (zeros first).</summary>
    public uint[] Counts { get; }

    /// <summary>Number of foreground pixels (<c>rleArea</c>).</summary>
    public long Area()
    {
        long a = 0;
        for (var i = 1; i < Counts.Length; i += 2)
            a += Counts[i];
        return a;
    }

    /// <summary>Encodes a column-major mask (nonzero = foreground), as <c>rleEncode</c>.</summary>
    public static Rle Encode(ReadOnlySpan<byte> columnMajor, int height, int width)
    {
        var counts = new List<uint>();
        byte previous = 0;
        uint run = 0;
        foreach (var b in columnMajor)
        {
            var v = b != 0 ? (byte)1 : (byte)0;
            if (v != previous)
            {
                counts.Add(run);
                run = 0;
                previous = v;
            }
            run++;
        }
        counts.Add(run);
        return new Rle(height, width, [.. counts]);
    }

    /// <summary>Decodes into a column-major 0/1 mask (<c>rleDecode</c>).</summary>
    public byte[] Decode()
    {
        var mask = new byte[Height * Width];
        var at = 0;
        byte v = 0;
        foreach (var c in Counts)
        {
            if (v != 0)
                mask.AsSpan(at, (int)c).Fill(1);
            at += (int)c;
            v ^= 1;
        }
        return mask;
    }

    /// <summary>Union of masks of one size (<c>rleMerge</c> with intersect = 0).</summary>
    public static Rle Union(IReadOnlyList<Rle> masks)
    {
        ArgumentNullException.ThrowIfNull(masks);
        if (masks.Count == 1)
            return masks[0];
        if (masks.Count == 0)
            throw new ArgumentException("no mask to merge");
        var h = masks[0].Height;
        var w = masks[0].Width;
        var merged = new byte[h * w];
        foreach (var m in masks)
        {
            if (m.Height != h || m.Width != w)
                throw new ArgumentException("masks to merge differ in size");
            var d = m.Decode();
            for (var i = 0; i < d.Length; i++)
                merged[i] |= d[i];
        }
        return Encode(merged, h, w);
    }

    /// <summary>Pixels in both masks, by walking the two run lists (as <c>rleIou</c>).</summary>
    public static long Intersection(Rle a, Rle b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        int ia = 0, ib = 0;
        long ra = a.Counts.Length > 0 ? a.Counts[0] : 0, rb = b.Counts.Length > 0 ? b.Counts[0] : 0;
        bool va = false, vb = false;
        long inter = 0;
        while (true)
        {
            // Skip exhausted (zero-length) runs.
            while (ra == 0 && ia + 1 < a.Counts.Length)
            {
                ra = a.Counts[++ia];
                va = !va;
            }
            while (rb == 0 && ib + 1 < b.Counts.Length)
            {
                rb = b.Counts[++ib];
                vb = !vb;
            }
            if (ra == 0 || rb == 0)
                return inter;
            var c = Math.Min(ra, rb);
            if (va && vb)
                inter += c;
            ra -= c;
            rb -= c;
        }
    }

    /// <summary>
    /// COCO mask IoU (<c>rleIou</c>): intersection / union, or intersection / area(detection) when the GT is a
    /// crowd region; 0 when the masks do not intersect; −1 when the sizes differ.
    /// </summary>
    public static double Iou(Rle detection, Rle groundTruth, bool crowd)
    {
        ArgumentNullException.ThrowIfNull(detection);
        ArgumentNullException.ThrowIfNull(groundTruth);
        if (detection.Height != groundTruth.Height || detection.Width != groundTruth.Width)
            return -1;
        var i = Intersection(detection, groundTruth);
        if (i == 0)
            return 0;
        var u = crowd ? detection.Area() : detection.Area() + groundTruth.Area() - i;
        return (double)(uint)i / (uint)u;
    }

    /// <summary>
    /// Decodes COCO's compressed counts string (<c>rleFrString</c>): LEB128-like, 5 bits per character
    /// (ASCII 48..111), bit 0x20 = more, sign from bit 0x10 of the last group; from the third count on, each
    /// value is stored as the difference to the count two places before.
    /// </summary>
    public static Rle FromString(string counts, int height, int width)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var values = new List<uint>();
        var p = 0;
        while (p < counts.Length)
        {
            long x = 0;
            var k = 0;
            var more = true;
            while (more)
            {
                if (p >= counts.Length)
                    throw new FormatException("compressed RLE string ends inside a value");
                var c = counts[p] - 48;
                if (c is < 0 or > 63)
                    throw new FormatException($"compressed RLE string has character '{counts[p]}' outside '0'..'o'");
                x |= (long)(c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0)
                    x |= -1L << (5 * k);
            }
            if (values.Count > 2)
                x += values[^2];
            values.Add((uint)x);
        }
        return new Rle(height, width, [.. values]);
    }

    /// <summary>Encodes the counts as COCO's compressed string (<c>rleToString</c>).</summary>
    public string ToCompressedString()
    {
        var s = new System.Text.StringBuilder();
        for (var i = 0; i < Counts.Length; i++)
        {
            long x = Counts[i];
            if (i > 2)
                x -= Counts[i - 2];
            var more = true;
            while (more)
            {
                var c = (int)(x & 0x1f);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more)
                    c |= 0x20;
                s.Append((char)(c + 48));
            }
        }
        return s.ToString();
    }
}
