using System.Buffers.Binary;

namespace Clickscape.Studio.Api;

/// <summary>
/// What changed between two per-point masks, as Studio sends it after a refine click instead of the whole mask: the
/// points whose flag flipped, as maximal runs of consecutive point indices, ascending. On the wire a diff is a list of
/// little-endian uint32 pairs (start, count), 8 bytes a run (base64 in the JSON answer); applying it flips
/// <c>mask[start .. start + count)</c> for every pair. Runs never overlap or touch (there is at least one unchanged
/// point between two runs), so the encoding of a change is unique; an empty diff is zero bytes.
/// </summary>
/// <remarks>
/// Masks of neighbouring points change together (an object's points are mostly stored together), so a click that
/// moves a boundary costs a few runs, where the packed mask (<see cref="MaskBits"/>) costs N / 8 bytes whatever
/// changed. A diff with more than N / 64 runs is larger than the packed mask: <see cref="IsSmallerThanMask"/> lets a
/// server send the mask instead.
/// </remarks>
public static class MaskDiff
{
    /// <summary>The runs (start, count) of points where <paramref name="before"/> and <paramref name="after"/> differ.</summary>
    public static List<(int Start, int Count)> Runs(ReadOnlySpan<bool> before, ReadOnlySpan<bool> after)
    {
        if (before.Length != after.Length)
            throw new ArgumentException($"masks of {before.Length} and {after.Length} points: a diff needs masks of the same scene", nameof(after));
        var runs = new List<(int, int)>();
        int i = 0, n = before.Length;
        while (i < n)
        {
            if (before[i] == after[i])
            {
                i++;
                continue;
            }
            int start = i;
            while (i < n && before[i] != after[i]) i++;
            runs.Add((start, i - start));
        }
        return runs;
    }

    /// <summary>The wire form of the diff from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<bool> before, ReadOnlySpan<bool> after) => Encode(Runs(before, after));

    /// <summary>The wire form of <paramref name="runs"/> (ascending, non-touching, as <see cref="Runs"/> gives them).</summary>
    public static byte[] Encode(IReadOnlyList<(int Start, int Count)> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var bytes = new byte[8 * runs.Count];
        for (int r = 0; r < runs.Count; r++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8 * r), (uint)runs[r].Start);
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8 * r + 4), (uint)runs[r].Count);
        }
        return bytes;
    }

    /// <summary>The runs of a wire-form diff over <paramref name="points"/> points; a malformed one is an <see cref="ArgumentException"/> saying why.</summary>
    public static List<(int Start, int Count)> Decode(ReadOnlySpan<byte> diff, int points)
    {
        if (diff.Length % 8 != 0) throw new ArgumentException($"mask diff holds {diff.Length} bytes, expected (start, count) uint32 pairs (a multiple of 8)", nameof(diff));
        var runs = new List<(int, int)>(diff.Length / 8);
        long end = -1; // one past the previous run; the next must start after a gap
        for (int o = 0; o < diff.Length; o += 8)
        {
            uint start = BinaryPrimitives.ReadUInt32LittleEndian(diff[o..]), count = BinaryPrimitives.ReadUInt32LittleEndian(diff[(o + 4)..]);
            if (count == 0 || start <= end || (long)start + count > points)
                throw new ArgumentException($"mask diff run {o / 8} ({start}, {count}) is empty, out of order or beyond the {points} points", nameof(diff));
            runs.Add(((int)start, (int)count));
            end = (long)start + count;
        }
        return runs;
    }

    /// <summary>Applies a wire-form diff to <paramref name="mask"/> in place (what the page does).</summary>
    public static void Apply(Span<bool> mask, ReadOnlySpan<byte> diff)
    {
        foreach (var (start, count) in Decode(diff, mask.Length))
        {
            foreach (ref bool b in mask.Slice(start, count)) b = !b;
        }
    }

    /// <summary>Whether a diff of <paramref name="runs"/> runs is smaller than the packed mask of <paramref name="points"/> points.</summary>
    public static bool IsSmallerThanMask(int runs, int points) => 8L * runs < (points + 7) / 8;
}
