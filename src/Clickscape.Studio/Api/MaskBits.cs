namespace Clickscape.Studio.Api;

/// <summary>A per-point mask packed eight points to a byte, least significant bit first (point i = bit i % 8 of byte i / 8).</summary>
public static class MaskBits
{
    /// <summary>Packs <paramref name="mask"/>.</summary>
    public static byte[] Pack(ReadOnlySpan<bool> mask)
    {
        var bytes = new byte[(mask.Length + 7) / 8];
        for (int i = 0; i < mask.Length; i++)
        {
            if (mask[i]) bytes[i >> 3] |= (byte)(1 << (i & 7));
        }
        return bytes;
    }

    /// <summary>Unpacks <paramref name="count"/> flags from <paramref name="bytes"/>.</summary>
    public static bool[] Unpack(ReadOnlySpan<byte> bytes, int count)
    {
        if (bytes.Length != (count + 7) / 8)
            throw new ArgumentException($"packed mask holds {bytes.Length} bytes, expected {(count + 7) / 8} for {count} points", nameof(bytes));
        var mask = new bool[count];
        for (int i = 0; i < count; i++) mask[i] = (bytes[i >> 3] & (1 << (i & 7))) != 0;
        return mask;
    }

    /// <summary>Number of set flags.</summary>
    public static int Count(ReadOnlySpan<bool> mask)
    {
        int n = 0;
        foreach (bool b in mask)
        {
            if (b) n++;
        }
        return n;
    }
}
