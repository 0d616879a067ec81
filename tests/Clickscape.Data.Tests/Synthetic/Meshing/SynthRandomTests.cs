using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Tests.Synthetic.Meshing;

public sealed class SynthRandomTests
{
    [Fact]
    public void SameSeedSameStreamAndForksAreIndependentOfDraws()
    {
        var a = new SynthRandom(42);
        var b = new SynthRandom(42);
        for (int i = 0; i < 100; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
        var fork1 = a.Fork(7).NextUInt64();
        var fork2 = a.Fork(7).NextUInt64();
        Assert.Equal(fork1, fork2);
        Assert.NotEqual(a.Fork(8).NextUInt64(), fork1);
        Assert.NotEqual(new SynthRandom(43).NextUInt64(), new SynthRandom(42).NextUInt64());
    }

    [Fact]
    public void UniformIntAndGaussianHaveTheirMoments()
    {
        var rng = new SynthRandom(3);
        const int n = 200_000;
        double sum = 0, sumSq = 0, uniformSum = 0;
        var counts = new int[7];
        for (int i = 0; i < n; i++)
        {
            double g = rng.Gaussian();
            sum += g;
            sumSq += g * g;
            float u = rng.Uniform(-2, 5);
            Assert.InRange(u, -2f, 5f);
            uniformSum += u;
            counts[rng.Int(0, 7)]++;
        }
        Assert.Equal(0, sum / n, 0.01);
        Assert.Equal(1, sumSq / n, 0.02);
        Assert.Equal(1.5, uniformSum / n, 0.02);
        Assert.All(counts, c => Assert.InRange(c, n / 7 * 0.97, n / 7 * 1.03));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.Int(3, 3));
    }
}
