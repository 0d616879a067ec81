namespace Clickscape.Geometry.Segmentation;

/// <summary>
/// Stable LSD radix sort of float32 edge weights: the order is ascending weight, ties by ascending edge index.
/// Deterministic on every machine, unlike the unstable <c>std::sort</c> of the C++ tools (see
/// <see cref="FelzenszwalbSegmentation"/>).
/// </summary>
/// <remarks>
/// Each weight maps to an order-preserving unsigned key (positive floats: sign bit set; negative floats: all bits
/// flipped; −0 becomes +0 so it ties with +0 as in C++ comparisons; NaN sorts after +∞). The key and the index
/// are packed as <c>key &lt;&lt; 32 | index</c> and sorted on the key bits in three 11-bit passes, skipping
/// passes in which every key has the same digit (common for the high bits of weights in [0, 2]). Starting from
/// index order, stability gives the (weight, index) order.
/// </remarks>
public static class WeightRadixSort
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;

    /// <summary>Edge indices in ascending (weight, index) order.</summary>
    public static int[] Order(ReadOnlySpan<float> weights)
    {
        int m = weights.Length;
        var packed = new ulong[m];
        var scratch = new ulong[m];
        for (int i = 0; i < m; i++)
            packed[i] = (ulong)SortableKey(weights[i]) << 32 | (uint)i;

        Span<int> histogram = new int[3 * Buckets];
        for (int i = 0; i < m; i++)
        {
            uint key = (uint)(packed[i] >> 32);
            histogram[(int)(key & (Buckets - 1))]++;
            histogram[Buckets + (int)((key >> DigitBits) & (Buckets - 1))]++;
            histogram[2 * Buckets + (int)(key >> (2 * DigitBits))]++;
        }
        for (int pass = 0; pass < 3; pass++)
        {
            var counts = histogram.Slice(pass * Buckets, Buckets);
            int shift = 32 + pass * DigitBits;
            // A pass where every key has the same digit would copy the array unchanged.
            if (m == 0 || counts[(int)((packed[0] >> shift) & (Buckets - 1))] == m)
                continue;
            int offset = 0;
            for (int b = 0; b < Buckets; b++)
            {
                int c = counts[b];
                counts[b] = offset;
                offset += c;
            }
            for (int i = 0; i < m; i++)
            {
                ulong v = packed[i];
                scratch[counts[(int)((v >> shift) & (Buckets - 1))]++] = v;
            }
            (packed, scratch) = (scratch, packed);
        }
        var order = new int[m];
        for (int i = 0; i < m; i++)
            order[i] = (int)(uint)packed[i];
        return order;
    }

    /// <summary>An unsigned key whose order is the numeric order of <paramref name="w"/>.</summary>
    internal static uint SortableKey(float w)
    {
        if (w == 0f)
            w = 0f; // −0 ties with +0
        if (float.IsNaN(w))
            return uint.MaxValue;
        uint bits = BitConverter.SingleToUInt32Bits(w);
        return (bits & 0x8000_0000u) != 0 ? ~bits : bits | 0x8000_0000u;
    }
}
