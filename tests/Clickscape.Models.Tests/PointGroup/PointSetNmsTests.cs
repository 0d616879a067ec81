using Clickscape.Models.PointGroup;

namespace Clickscape.Models.Tests.PointGroup;

public sealed class PointSetNmsTests
{
    /// <summary>PointGroup's dense NMS: the full IoU matrix from set intersections, then greedy by descending score.</summary>
    private static int[] BruteForce(List<int[]> proposals, float[] scores, float threshold)
    {
        int m = proposals.Count;
        var iou = new double[m, m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < m; j++)
            {
                double inter = proposals[i].Intersect(proposals[j]).Count();
                double union = proposals[i].Length + proposals[j].Length - inter;
                iou[i, j] = union == 0 ? 0 : inter / union;
            }
        }
        var remaining = Enumerable.Range(0, m).OrderByDescending(i => scores[i]).ThenBy(i => i).ToList();
        var pick = new List<int>();
        while (remaining.Count > 0)
        {
            int i = remaining[0];
            pick.Add(i);
            remaining = [.. remaining.Skip(1).Where(j => !(iou[i, j] > threshold))];
        }
        return [.. pick];
    }

    [Theory]
    [InlineData(0, 10, 0.3f)]
    [InlineData(1, 10, 0.3f)]
    [InlineData(7, 40, 0.3f)]
    [InlineData(60, 200, 0.3f)]
    [InlineData(60, 200, 0.1f)]
    [InlineData(120, 500, 0.6f)]
    public void Equals_dense_greedy_nms_on_random_overlapping_sets(int m, int points, float threshold)
    {
        var rng = new Random(m * 31 + points);
        var proposals = new List<int[]>();
        for (int j = 0; j < m; j++)
        {
            // Intervals of random length (overlapping heavily) with a few random holes.
            int start = rng.Next(points), length = 1 + rng.Next(points / 4);
            proposals.Add([.. Enumerable.Range(start, Math.Min(length, points - start)).Where(_ => rng.Next(5) > 0)]);
        }
        // Some tied scores, so the tie rule is exercised.
        var scores = Enumerable.Range(0, m).Select(_ => rng.Next(10) / 10f).ToArray();
        Assert.Equal(BruteForce(proposals, scores, threshold), PointSetNms.Suppress(proposals, scores, threshold, points));
    }

    [Fact]
    public void Suppresses_only_above_the_threshold()
    {
        // IoU({0..9}, {0..4} ∪ {10..14}) = 5 / 15 = 1/3; IoU({0..9}, {0..5}) = 0.6.
        List<int[]> proposals = [[.. Enumerable.Range(0, 10)], [.. Enumerable.Range(0, 5), .. Enumerable.Range(10, 5)], [.. Enumerable.Range(0, 6)]];
        Assert.Equal([0, 1], PointSetNms.Suppress(proposals, [0.9f, 0.8f, 0.7f], 0.34f, 15));
        Assert.Equal([0], PointSetNms.Suppress(proposals, [0.9f, 0.8f, 0.7f], 0.33f, 15));
        // IoU exactly at the threshold (5 / 10 = 0.5) does not suppress.
        Assert.Equal([0, 2], PointSetNms.Suppress([[.. Enumerable.Range(0, 10)], [.. Enumerable.Range(0, 6)], [.. Enumerable.Range(0, 5)]], [0.9f, 0.8f, 0.7f], 0.5f, 15));
        // A suppressed proposal suppresses nothing: 2 is dropped by 0 (IoU 0.6), so it cannot drop 1 (IoU 5/11 > 0.4).
        Assert.Equal([0, 1], PointSetNms.Suppress(proposals, [0.9f, 0.5f, 0.7f], 0.4f, 15));
    }

    [Fact]
    public void Rejects_points_out_of_range_and_mismatched_scores()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PointSetNms.Suppress([[0, 5]], [1f], 0.3f, 5));
        Assert.Throws<ArgumentException>(() => PointSetNms.Suppress([[0]], [1f, 2f], 0.3f, 5));
    }
}
