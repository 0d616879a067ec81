using Clickscape.Models.Solo;

namespace Clickscape.Models.Tests.Solo;

public sealed class SoloTargetsTests
{
    private static readonly SoloOptions Options = new() { Classes = 4, InputSize = 64, Grids = [16, 8, 4], ScaleRanges = [(0, 0.25), (0.1875, 0.5), (0.375, 10)] };

    private static byte[] Square(int x0, int y0, int side)
    {
        var m = new byte[64 * 64];
        for (int y = y0; y < y0 + side; y++)
            for (int x = x0; x < x0 + side; x++) m[y * 64 + x] = 1;
        return m;
    }

    [Fact]
    public void SmallObject_IsPositiveOnTheFineLevelAroundItsCentreOnly()
    {
        // 8×8 square at (20..27, 30..37): scale 8/64 = 0.125 → level 0 only; centre (24, 34) → cell (8, 6) of 16
        var t = SoloTargets.Assign(Options, [new SoloInstance(2, Square(20, 30, 8))]);
        Assert.NotEmpty(t[0].PositiveCells);
        Assert.Empty(t[1].PositiveCells);
        Assert.Empty(t[2].PositiveCells);
        Assert.Contains(8 * 16 + 6, t[0].PositiveCells);
        Assert.All(t[0].PositiveCells, c => Assert.Equal(2, t[0].CellClass[c]));
        Assert.All(t[0].PositiveCells, c => Assert.InRange(Math.Abs(c / 16 - 8) + Math.Abs(c % 16 - 6), 0, 2));
        Assert.Equal(0, SoloTargets.LevelOfScale(Options, Square(20, 30, 8)));
    }

    [Fact]
    public void MidScaleObject_BelongsToBothOverlappingLevels_AndSmallerOverridesLarger()
    {
        // 14 px: scale 0.219 is in [0, 0.25) and [0.1875, 0.5)
        var t = SoloTargets.Assign(Options, [new SoloInstance(0, Square(10, 10, 14))]);
        Assert.NotEmpty(t[0].PositiveCells);
        Assert.NotEmpty(t[1].PositiveCells);
        // a big and a small object with the same centre: the small one owns the shared centre cell
        var both = SoloTargets.Assign(Options, [new SoloInstance(1, Square(18, 18, 28)), new SoloInstance(3, Square(28, 28, 8))]);
        int centre = SoloTargets.CellOf(32, 32, 64, 8);
        Assert.DoesNotContain(3, both[1].CellClass); // the 8 px object is not on level 1
        Assert.Equal(1, both[1].CellClass[centre]);
        Assert.Equal(3, both[0].CellClass[SoloTargets.CellOf(32, 32, 64, 16)]);
    }

    [Fact]
    public void Downsample_IsTheCoveredFraction()
    {
        var small = SoloTargets.Downsample(Square(2, 0, 4), 64, 4);
        Assert.Equal(0.5f, small[0]);
        Assert.Equal(0.5f, small[1]);
        Assert.Equal(0f, small[2]);
    }
}
