using Clickscape.Studio.Api;

namespace Clickscape.Studio.Tests.Api;

/// <summary>The refine diff format against a plain reference: the flipped indices, grouped into runs of consecutive ones.</summary>
public class MaskDiffTests
{
    // The reference: every index where the masks differ, then consecutive indices joined.
    private static List<(int, int)> ReferenceRuns(bool[] a, bool[] b)
    {
        var flipped = Enumerable.Range(0, a.Length).Where(i => a[i] != b[i]).ToList();
        var runs = new List<(int Start, int Count)>();
        foreach (int i in flipped)
        {
            if (runs.Count > 0 && runs[^1].Start + runs[^1].Count == i) runs[^1] = (runs[^1].Start, runs[^1].Count + 1);
            else runs.Add((i, 1));
        }
        return [.. runs.Select(r => (r.Start, r.Count))];
    }

    [Theory]
    [InlineData(0, 0.5, 0.0)]
    [InlineData(1, 0.5, 0.5)]
    [InlineData(7, 0.5, 0.3)]
    [InlineData(8, 0.1, 0.9)]
    [InlineData(257, 0.3, 0.05)]
    [InlineData(1000, 0.5, 0.5)]
    [InlineData(4099, 0.2, 0.01)]
    public void Round_trip_matches_the_reference(int n, double density, double change)
    {
        var random = new Random(n * 31 + (int)(100 * change));
        var before = Enumerable.Range(0, n).Select(_ => random.NextDouble() < density).ToArray();
        // changes come in blocks, as a moving object boundary makes them, and as single points
        var after = (bool[])before.Clone();
        for (int i = 0; i < n; i++)
        {
            if (random.NextDouble() >= change) continue;
            int len = random.Next(1, 20);
            for (int j = i; j < Math.Min(n, i + len); j++) after[j] = !before[j];
            i += len;
        }
        var runs = MaskDiff.Runs(before, after);
        Assert.Equal(ReferenceRuns(before, after), runs);
        var wire = MaskDiff.Encode(before, after);
        Assert.Equal(8 * runs.Count, wire.Length);
        Assert.Equal(runs, MaskDiff.Decode(wire, n));
        var applied = (bool[])before.Clone();
        MaskDiff.Apply(applied, wire);
        Assert.Equal(after, applied);
        // and back: the same diff undoes itself
        MaskDiff.Apply(applied, wire);
        Assert.Equal(before, applied);
    }

    [Fact]
    public void Wire_form_is_little_endian_start_count_pairs()
    {
        var before = new bool[300];
        var after = new bool[300];
        after[0] = after[1] = after[2] = true;
        after[260] = true;
        var wire = MaskDiff.Encode(before, after);
        Assert.Equal(new byte[] { 0, 0, 0, 0, 3, 0, 0, 0, 4, 1, 0, 0, 1, 0, 0, 0 }, wire);
        Assert.Empty(MaskDiff.Encode(before, before));
    }

    [Fact]
    public void Malformed_diffs_are_refused_with_the_reason()
    {
        static byte[] Pairs(params uint[] values) => [.. values.SelectMany(BitConverter.GetBytes)];
        var mask = new bool[100];
        Assert.Contains("multiple of 8", Assert.Throws<ArgumentException>(() => MaskDiff.Apply(mask, new byte[5])).Message);
        foreach (var bad in new[] { Pairs(3, 0), Pairs(5, 2, 6, 1), Pairs(5, 2, 7, 1), Pairs(10, 2, 4, 1), Pairs(99, 2), Pairs(uint.MaxValue, 2) })
            Assert.Contains("out of order or beyond", Assert.Throws<ArgumentException>(() => MaskDiff.Apply(mask, bad)).Message);
        MaskDiff.Apply(mask, Pairs(5, 2, 8, 1, 98, 2));
        Assert.Equal([5, 6, 8, 98, 99], Enumerable.Range(0, 100).Where(i => mask[i]));
        Assert.Throws<ArgumentException>(() => MaskDiff.Runs(new bool[3], new bool[4]));
    }

    [Fact]
    public void A_diff_is_sent_only_when_smaller_than_the_packed_mask()
    {
        Assert.True(MaskDiff.IsSmallerThanMask(0, 1));
        Assert.True(MaskDiff.IsSmallerThanMask(18_749, 150_000 * 8)); // 149 992 bytes < 150 000
        Assert.False(MaskDiff.IsSmallerThanMask(18_750, 150_000 * 8));
        Assert.False(MaskDiff.IsSmallerThanMask(3, 64)); // 24 bytes vs 8
    }
}
