using Clickscape.Geometry.Sampling;

namespace Clickscape.Geometry.Tests.Sampling;

public sealed class FarthestPointSamplingTests
{
    /// <summary>The definition, in double with full recomputation: next = argmax over the unchosen of min distance to the chosen (first index on ties).</summary>
    private static int[] Reference(float[] p, int[] subset, int count, int first)
    {
        var chosen = new List<int> { first };
        while (chosen.Count < count)
        {
            int best = -1;
            double bestD = -1;
            for (int i = 0; i < subset.Length; i++)
            {
                if (chosen.Contains(i)) continue;
                double d = chosen.Min(c =>
                {
                    double dx = p[3 * subset[i]] - p[3 * subset[c]], dy = p[3 * subset[i] + 1] - p[3 * subset[c] + 1], dz = p[3 * subset[i] + 2] - p[3 * subset[c] + 2];
                    return dx * dx + dy * dy + dz * dz;
                });
                if (d > bestD) { bestD = d; best = i; }
            }
            chosen.Add(best);
        }
        return chosen.Select(i => subset[i]).ToArray();
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(60, 17)]
    [InlineData(257, 64)]
    public void MatchesTheDefinition(int n, int count)
    {
        var rng = new Random(n);
        var positions = Enumerable.Range(0, 3 * (n + 5)).Select(_ => (float)rng.NextDouble()).ToArray();
        var subset = Enumerable.Range(0, n + 5).OrderBy(_ => rng.Next()).Take(n).ToArray();
        int first = rng.Next(n);
        Assert.Equal(Reference(positions, subset, count, first), FarthestPointSampling.Sample(positions, subset, count, first));
    }

    [Fact]
    public void CountAtLeastTheSubset_ReturnsItWhole()
    {
        var positions = new float[9];
        Assert.Equal([2, 0, 1], FarthestPointSampling.Sample(positions, [2, 0, 1], 5));
        Assert.Empty(FarthestPointSampling.Sample(positions, [2, 0, 1], 0));
    }
}
