using Clickscape.Models.PartFusion;

namespace Clickscape.Models.Tests.PartFusion;

/// <summary>The shift of Eq. 7, mean-shift per predicted class, small clusters dropped, confidence from entropy.</summary>
public sealed class PartInstanceClusteringTests
{
    [Fact]
    public void Shift_IsEq7_PushingAwayFromTheRegionCentreByLambda()
    {
        float[] p = [1, 2, 3, 0, 0, 0];
        float[] oi = [0.5f, 0, 0, 0.2f, 0.2f, 0.2f];
        float[] os = [0.5f, -3, 0, 0.2f, 0.2f, 0.2f];
        var shifted = PartInstanceClustering.Shift(p, oi, os, 0.05);
        // o_I − o_S = (0, 3, 0): p + o_I + 0.05·(0, 1, 0)
        Assert.Equal(1.5f, shifted[0], 6);
        Assert.Equal(2.05f, shifted[1], 6);
        Assert.Equal(3f, shifted[2], 6);
        // o_I = o_S: no push
        Assert.Equal([0.2f, 0.2f, 0.2f], shifted[3..]);
        // λ = 0: the predicted instance centre alone
        Assert.Equal([1.5f, 2f, 3f], PartInstanceClustering.Shift(p, oi, os, 0)[..3]);
    }

    /// <summary>
    /// Two parts of one class whose predicted centres are 0.06 apart (inside one bandwidth of 0.1) and whose region centre
    /// lies between them: mean-shift merges them, the push of Eq. 7 (λ = 0.05 each way) separates them.
    /// </summary>
    [Fact]
    public void RegionCentrePush_SeparatesTwoClosePartsThatMeanShiftWouldMerge()
    {
        var rng = new Random(4);
        int perPart = 60;
        var positions = new List<float>();
        var oi = new List<float>();
        var os = new List<float>();
        for (int part = 0; part < 2; part++)
        {
            float centre = part == 0 ? -0.03f : 0.03f;
            for (int i = 0; i < perPart; i++)
            {
                float x = (float)(rng.NextDouble() - 0.5), y = (float)(rng.NextDouble() - 0.5), z = (float)(rng.NextDouble() - 0.5);
                positions.AddRange([x, y, z]);
                // offsets to the part centre (± tiny noise) and to the region centre (the origin)
                oi.AddRange([centre - x + (float)(rng.NextDouble() - 0.5) * 0.004f, -y, -z]);
                os.AddRange([-x, -y, -z]);
            }
        }
        int n = 2 * perPart;
        var probabilities = Enumerable.Repeat(new[] { 0.9f, 0.1f }, n).SelectMany(r => r).ToArray();
        var merged = PartInstanceClustering.Cluster(positions.ToArray(), probabilities, 2, oi.ToArray(), os.ToArray(), new PartClusteringOptions(0.1, 0));
        var split = PartInstanceClustering.Cluster(positions.ToArray(), probabilities, 2, oi.ToArray(), os.ToArray(), new PartClusteringOptions(0.1, 0.05));
        Assert.Single(merged);
        Assert.Equal(2, split.Count);
        Assert.All(split, s => Assert.Equal(perPart, s.Points.Length));
        Assert.Equal(Enumerable.Range(0, perPart), split.Single(s => s.Points.Contains(0)).Points.Order());
    }

    [Fact]
    public void Cluster_IsPerPredictedClass_DropsSmallClusters_AndRanksByEntropy()
    {
        // class 0: 30 points at (0,0,0), certain; class 1: 30 points at the same place, uncertain; class 1: 8 points far away
        var positions = new float[3 * 68];
        var probabilities = new float[2 * 68];
        for (int i = 0; i < 68; i++)
        {
            if (i >= 60) positions[3 * i] = 5f;
            (probabilities[2 * i], probabilities[2 * i + 1]) = i < 30 ? (0.99f, 0.01f) : (0.4f, 0.6f);
        }
        var zero = new float[3 * 68];
        var result = PartInstanceClustering.Cluster(positions, probabilities, 2, zero, zero, new PartClusteringOptions());
        Assert.Equal(2, result.Count); // the 8-point cluster (≤ 10) is dropped
        Assert.Equal(0, result[0].ClassIndex);
        Assert.Equal(Enumerable.Range(0, 30), result[0].Points);
        Assert.Equal(1, result[1].ClassIndex);
        Assert.Equal(Enumerable.Range(30, 30), result[1].Points);
        double entropy0 = -(0.99 * Math.Log(0.99) + 0.01 * Math.Log(0.01)), entropy1 = -(0.4 * Math.Log(0.4) + 0.6 * Math.Log(0.6));
        Assert.Equal(1 - entropy0, result[0].Confidence, 5);
        Assert.Equal(1 - entropy1, result[1].Confidence, 5);
    }
}
