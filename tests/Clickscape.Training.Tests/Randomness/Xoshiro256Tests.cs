using Clickscape.Training.Randomness;

namespace Clickscape.Training.Tests.Randomness;

public sealed class Xoshiro256Tests
{
    [Fact]
    public void RestoredState_ContinuesTheSameSequence_IncludingAPendingNormal()
    {
        var a = new Xoshiro256(42);
        for (int i = 0; i < 10; i++) a.NextUInt64();
        a.NextNormal(); // leaves the second Box–Muller value pending
        var b = Xoshiro256.FromState(a.State);
        for (int i = 0; i < 100; i++)
        {
            Assert.Equal(a.NextNormal(), b.NextNormal());
            Assert.Equal(a.NextUInt64(), b.NextUInt64());
        }
    }

    [Fact]
    public void Streams_AreFunctionsOfTheirKey()
    {
        Assert.Equal(Xoshiro256.ForStream(1, 2, 3).NextUInt64(), Xoshiro256.ForStream(1, 2, 3).NextUInt64());
        var firsts = new HashSet<ulong>();
        for (ulong a = 0; a < 20; a++)
            for (ulong b = 0; b < 20; b++)
                Assert.True(firsts.Add(Xoshiro256.ForStream(7, a, b).NextUInt64()), $"streams ({a}, {b}) collide");
        Assert.NotEqual(Xoshiro256.ForStream(1, 2, 3).NextUInt64(), Xoshiro256.ForStream(2, 2, 3).NextUInt64());
    }

    [Fact]
    public void NextInt_IsUniformOverItsRange()
    {
        var g = new Xoshiro256(3);
        var counts = new int[7];
        const int draws = 70_000;
        for (int i = 0; i < draws; i++) counts[g.NextInt(7)]++;
        double chi2 = counts.Sum(c => Math.Pow(c - draws / 7.0, 2) / (draws / 7.0));
        Assert.True(chi2 < 22.5, $"chi² {chi2:F1} with 6 degrees of freedom (p < 0.001 above 22.5)");
    }

    [Fact]
    public void NextNormal_HasUnitVariance()
    {
        var g = new Xoshiro256(9);
        var x = Enumerable.Range(0, 40_000).Select(_ => g.NextNormal()).ToArray();
        double mean = x.Average(), variance = x.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.03, 0.03);
        Assert.InRange(variance, 0.96, 1.04);
    }

    [Fact]
    public void Shuffle_IsAPermutation()
    {
        var items = Enumerable.Range(0, 50).ToArray();
        new Xoshiro256(1).Shuffle(items.AsSpan());
        Assert.Equal(Enumerable.Range(0, 50), items.Order());
        Assert.NotEqual(Enumerable.Range(0, 50), items);
    }

    [Fact]
    public void MalformedState_IsAFormatError() => Assert.Throws<FormatException>(() => Xoshiro256.FromState("12:zz"));
}
