using Clickscape.Geometry.Segmentation;

namespace Clickscape.Geometry.Tests.Segmentation;

public class WeightRadixSortTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(257)]
    [InlineData(10_007)]
    public void Orders_by_weight_then_index_like_a_comparison_sort(int m)
    {
        var rng = new Random(m + 1);
        var w = new float[m];
        for (int i = 0; i < m; i++)
        {
            w[i] = rng.Next(6) switch
            {
                0 => rng.Next(5) / 4f,                 // many exact ties
                1 => -(float)rng.NextDouble() * 1e-6f, // slightly negative, as the Segmentator can produce
                2 => rng.Next(2) == 0 ? -0f : 0f,       // −0 ties with +0
                3 => (float)(rng.NextDouble() * 1e30),
                4 => -(float)(rng.NextDouble() * 3),
                _ => (float)rng.NextDouble(),
            };
        }
        var expected = Enumerable.Range(0, m).ToArray();
        Array.Sort(expected, (a, b) => w[a] != w[b] ? w[a].CompareTo(w[b]) : a.CompareTo(b));
        Assert.Equal(expected, WeightRadixSort.Order(w));
    }

    [Fact]
    public void NaN_sorts_last_and_infinities_at_the_ends()
    {
        float[] w = [float.NaN, 1, float.PositiveInfinity, float.NegativeInfinity, 0];
        Assert.Equal([3, 4, 1, 2, 0], WeightRadixSort.Order(w));
    }
}
