using Clickscape.Data.Formats.Png;

namespace Clickscape.Data.Tests.Formats.Png;

public sealed class PngFiltersTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(1, 7)]
    [InlineData(2, 10)]
    [InlineData(3, 771)]
    [InlineData(4, 8)]
    [InlineData(8, 24)]
    public void ReverseUndoesApply_ForEveryFilter(int bpp, int length)
    {
        var random = new Random(bpp * 1000 + length);
        var previous = new byte[length];
        var row = new byte[length];
        random.NextBytes(previous);
        random.NextBytes(row);
        var filtered = new byte[length];
        for (byte type = 0; type <= 4; type++)
        {
            PngFilters.Apply(type, row, previous, bpp, filtered);
            var restored = (byte[])filtered.Clone();
            Assert.True(PngFilters.Reverse(type, restored, previous, bpp));
            Assert.Equal(row, restored);
        }
        Assert.False(PngFilters.Reverse(5, filtered, previous, bpp));
    }

    /// <summary>Filtered bytes against the spec's formulas written out for one byte (PNG spec §9.2).</summary>
    [Fact]
    public void Apply_MatchesSpecFormulas()
    {
        byte[] previous = [10, 200, 30, 40];
        byte[] row = [5, 100, 250, 7];
        var output = new byte[4];
        // bpp 2: byte 2 has left = row[0] = 5, above = 30, above-left = previous[0] = 10.
        PngFilters.Apply(PngFilters.Sub, row, previous, 2, output);
        Assert.Equal((byte)(250 - 5), output[2]);
        PngFilters.Apply(PngFilters.Up, row, previous, 2, output);
        Assert.Equal((byte)(250 - 30), output[2]);
        PngFilters.Apply(PngFilters.Average, row, previous, 2, output);
        Assert.Equal((byte)(250 - (5 + 30) / 2), output[2]);
        PngFilters.Apply(PngFilters.Paeth, row, previous, 2, output);
        // p = 5 + 30 − 10 = 25; |p−a| = 20, |p−b| = 5, |p−c| = 15 → b = 30.
        Assert.Equal((byte)(250 - 30), output[2]);
    }

    [Fact]
    public void Paeth_PicksClosestOfLeftAboveAboveLeft()
    {
        Assert.Equal(7, PngFilters.PaethPredictor(7, 7, 7));
        Assert.Equal(15, PngFilters.PaethPredictor(10, 20, 15)); // p = 15 → above-left exactly
        Assert.Equal(10, PngFilters.PaethPredictor(20, 10, 30)); // p = 0 → above (10) is closest
        Assert.Equal(10, PngFilters.PaethPredictor(10, 10, 0)); // tie left/above → left
        Assert.Equal(200, PngFilters.PaethPredictor(200, 3, 1)); // p = 202 → left
    }
}
