using Clickscape.Geometry.Interactive;
using Clickscape.Models.Interactive;

namespace Clickscape.Models.Tests.Interactive;

public sealed class ClickCubesTests
{
    private static float[] RandomPoints(int n, int seed, float extent = 0.6f)
    {
        var random = new Random(seed);
        var p = new float[3 * n];
        for (int i = 0; i < p.Length; i++) p[i] = (float)(random.NextDouble() * extent);
        return p;
    }

    [Theory]
    [InlineData(1, 1, 0.05f)]
    [InlineData(7, 2, 0.05f)]
    [InlineData(2000, 3, 0.05f)]
    [InlineData(2000, 4, 0.13f)]
    public void Encode_MatchesEquation1ByBruteForce(int n, int seed, float halfEdge)
    {
        var p = RandomPoints(n, seed);
        var random = new Random(seed + 100);
        var clicks = Enumerable.Range(0, 6).Select(_ => new InteractiveClick(random.Next(n), random.Next(2) == 0)).ToList();
        var (tp, tn) = new ClickCubes(p, halfEdge).Encode(clicks);
        for (int i = 0; i < n; i++)
        {
            bool InCube(InteractiveClick c) =>
                MathF.Abs(p[3 * i] - p[3 * c.Point]) <= halfEdge && MathF.Abs(p[3 * i + 1] - p[3 * c.Point + 1]) <= halfEdge && MathF.Abs(p[3 * i + 2] - p[3 * c.Point + 2]) <= halfEdge;
            Assert.Equal(clicks.Any(c => c.Positive && InCube(c)) ? 1f : 0f, tp[i]);
            Assert.Equal(clicks.Any(c => !c.Positive && InCube(c)) ? 1f : 0f, tn[i]);
        }
        // some points are marked and some are not: the test would notice an encoder that marks everything or nothing
        if (n > 100) Assert.InRange(tp.Count(v => v == 1) + tn.Count(v => v == 1), 1, 2 * n - 1);
    }

    [Fact]
    public void Cube_IsAxisAligned_NotABall()
    {
        // (0.049, 0.049, 0.049) is inside the 5 cm cube around the origin but 8.5 cm away from it
        var p = new[] { 0f, 0f, 0f, 0.049f, 0.049f, 0.049f, 0.051f, 0f, 0f };
        Assert.Equal([0, 1], new ClickCubes(p).Region(0));
    }

    [Fact]
    public void Force_LaterClicksWinWhereCubesOverlap()
    {
        var p = new[] { 0f, 0f, 0f, 0.04f, 0f, 0f, 0.08f, 0f, 0f };
        var cubes = new ClickCubes(p);
        var mask = new bool[3];
        cubes.Force([new InteractiveClick(0, true), new InteractiveClick(2, false)], mask);
        Assert.Equal([true, false, false], mask); // point 1 is under both: the negative came last
        cubes.Force([new InteractiveClick(2, false), new InteractiveClick(0, true)], mask);
        Assert.Equal([true, true, false], mask);
    }

    [Fact]
    public void ClickOnAPointThatDoesNotExist_IsAnErrorNamingIt()
    {
        var cubes = new ClickCubes(RandomPoints(5, 1));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => cubes.Encode([new InteractiveClick(5, true)]));
        Assert.StartsWith("click on point 5, expected 0..4", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => cubes.Region(-1));
    }
}
