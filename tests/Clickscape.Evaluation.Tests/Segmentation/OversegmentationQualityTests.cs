using Clickscape.Evaluation.Segmentation;

namespace Clickscape.Evaluation.Tests.Segmentation;

public class OversegmentationQualityTests
{
    // Brute force: purity by dictionaries, neighbours by sorting every point by (float32 d², index), recall by
    // scanning every segment-boundary point.
    private static OversegmentationQualityResult Reference(float[] p, int[] seg, int[] ins, int neighbors, float tolerance)
    {
        int n = seg.Length;
        long labelled = ins.Count(i => i > 0);
        long best = Enumerable.Range(0, n).Where(i => ins[i] > 0).GroupBy(i => seg[i])
            .Sum(g => (long)g.GroupBy(i => ins[i]).Max(h => h.Count()));
        float D2(int a, int b)
        {
            float dx = p[3 * a] - p[3 * b], dy = p[3 * a + 1] - p[3 * b + 1], dz = p[3 * a + 2] - p[3 * b + 2];
            return dx * dx + dy * dy + dz * dz;
        }
        var near = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).OrderBy(j => D2(i, j)).ThenBy(j => j)
            .Take(Math.Min(neighbors + 1, n)).Where(j => j != i).ToArray()).ToArray();
        var gt = Enumerable.Range(0, n).Where(i => ins[i] > 0 && near[i].Any(j => ins[j] > 0 && ins[j] != ins[i])).ToArray();
        var sb = Enumerable.Range(0, n).Where(i => near[i].Any(j => seg[j] != seg[i])).ToArray();
        long recalled = gt.Count(i => sb.Any(j => D2(i, j) <= tolerance * tolerance));
        return new OversegmentationQualityResult(seg.Distinct().Count(), labelled == 0 ? double.NaN : (double)best / labelled,
            gt.Length == 0 ? double.NaN : (double)recalled / gt.Length, labelled, gt.Length, recalled);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(7, 3)]
    [InlineData(31, 4)]
    [InlineData(64, 5)]
    public void Matches_a_brute_force_reference_on_random_clouds(int n, int seed)
    {
        var rng = new Random(seed);
        for (int trial = 0; trial < 10; trial++)
        {
            var p = Enumerable.Range(0, 3 * n).Select(_ => (float)rng.NextDouble()).ToArray();
            // Segments and instances spatially coherent (by x) plus noise, with every kind of unlabelled id.
            int[] unlabelled = [0, -1, -100];
            var seg = Enumerable.Range(0, n).Select(i => rng.Next(4) == 0 ? rng.Next(-2, 6) : (int)(p[3 * i] * 4)).ToArray();
            var ins = Enumerable.Range(0, n).Select(i => rng.Next(5) == 0 ? unlabelled[rng.Next(3)] : 1 + (int)(p[3 * i] * 3) + (rng.Next(6) == 0 ? 10 : 0)).ToArray();
            int k = 1 + rng.Next(6);
            float tolerance = (float)rng.NextDouble() * 0.3f;
            var expected = Reference(p, seg, ins, k, tolerance);
            var actual = new OversegmentationQuality(k, tolerance).Evaluate(p, seg, ins);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Hand_computed_line()
    {
        // Eight points on a line 1 apart. Instances 1 1 1 2 2 2 0 0 (the last two unlabelled);
        // segments A A A A B B B B: A holds three of instance 1 and one of 2, B two of 2 and the two unlabelled.
        var p = Enumerable.Range(0, 8).SelectMany(i => new[] { (float)i, 0, 0 }).ToArray();
        int[] ins = [1, 1, 1, 2, 2, 2, 0, 0];
        int[] seg = [5, 5, 5, 5, 9, 9, 9, 9];
        // Purity: (3 + 2) / 6 labelled. With 1 neighbour (ties by index: the left one for inner points) the only GT
        // boundary point is 3 (its neighbour 2 is instance 1) and the only segment boundary point is 4 (its
        // neighbour 3 is in A); 3 lies 1 from 4, so it is recalled within a tolerance of 1.
        var q = new OversegmentationQuality(1, 1f).Evaluate(p, seg, ins);
        Assert.Equal(2, q.Segments);
        Assert.Equal(5.0 / 6, q.Purity, 12);
        Assert.Equal(6, q.LabelledPoints);
        Assert.Equal(1, q.BoundaryPoints);
        Assert.Equal(1.0, q.BoundaryRecall);
        // A tolerance below 1 misses it.
        Assert.Equal(0.0, new OversegmentationQuality(1, 0.5f).Evaluate(p, seg, ins).BoundaryRecall);
    }

    [Fact]
    public void Unlabelled_points_neither_vote_nor_count()
    {
        // One segment: four unlabelled points and two of instance 3 → purity 1 (the unlabelled majority does not vote).
        var p = new float[18];
        var q = new OversegmentationQuality().Evaluate(p, [1, 1, 1, 1, 1, 1], [0, -100, -1, 0, 3, 3]);
        Assert.Equal(1.0, q.Purity);
        Assert.Equal(2, q.LabelledPoints);
        Assert.True(double.IsNaN(new OversegmentationQuality().Evaluate(p, [1, 1, 1, 1, 1, 1], [0, 0, 0, 0, 0, 0]).Purity));
    }

    [Fact]
    public void Mismatched_lengths_and_bad_parameters_throw()
    {
        Assert.Throws<ArgumentException>(() => new OversegmentationQuality().Evaluate(new float[6], [1, 2], [1]));
        Assert.Throws<ArgumentException>(() => new OversegmentationQuality().Evaluate(new float[5], [1, 2], [1, 2]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OversegmentationQuality(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OversegmentationQuality(8, float.NaN));
    }
}
