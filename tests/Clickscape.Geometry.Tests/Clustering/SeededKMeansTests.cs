using Clickscape.Geometry.Clustering;

namespace Clickscape.Geometry.Tests.Clustering;

public class SeededKMeansTests
{
    // Points 0, 1, 2, 10 with clicks on 1 (cluster 0) and 2 (cluster 1).
    // Step 1: centres 1, 2 → labels [0, 0, 1, 1] → centres 0.5, 6.
    // Step 2: point 2 is 1.5 from 0.5 and 4 from 6 → it would leave its own cluster → stop with step 1.
    [Fact]
    public void Stops_when_an_annotated_point_would_leave_its_cluster()
    {
        var r = SeededKMeans.Cluster([0f, 1f, 2f, 10f], 1, [1, 2]);
        Assert.Equal(KMeansStop.AnnotatedPointWouldMove, r.Stop);
        Assert.Equal([0, 0, 1, 1], r.Labels);
        Assert.Equal([0.5f, 6f], r.Centers);
        Assert.Equal(1, r.Iterations);
    }

    // Points 0, 1, 9, 10 with clicks on 0 and 10: step 1 → [0, 0, 1, 1], centres 0.5, 9.5; step 2 repeats.
    [Fact]
    public void Converges_when_the_assignment_repeats()
    {
        var r = SeededKMeans.Cluster([0f, 1f, 9f, 10f], 1, [0, 3]);
        Assert.Equal(KMeansStop.Converged, r.Stop);
        Assert.Equal([0, 0, 1, 1], r.Labels);
        Assert.Equal([0.5f, 9.5f], r.Centers);
    }

    [Fact]
    public void Duplicate_clicks_are_pinned_to_their_own_clusters()
    {
        var r = SeededKMeans.Cluster([0f, 0f, 5f], 1, [0, 1], maxIter: 1);
        Assert.Equal([0, 1, 0], r.Labels.Take(2).Append(r.Labels[2]).ToArray());
    }

    // Points 0 (click, cluster 0), 10 (click, cluster 1), 6 and 7 fixed to cluster 0, and a free point at 5.2.
    // Free: 6, 7 and 5.2 join cluster 1 (nearer 10 than 0) and stay (its centre 7.05 is 1.85 from 5.2).
    // Fixed: cluster 0's centre becomes 13/3 ≈ 4.33, so 5.2 moves to it; 6 and 7 stay there although nearer 10.
    [Fact]
    public void Fixed_points_keep_their_cluster_and_pull_its_centre()
    {
        float[] x = [0f, 10f, 6f, 7f, 5.2f];
        var free = SeededKMeans.Cluster(x, 1, [0, 1], new NegativeDistance());
        Assert.Equal([0, 1, 1, 1, 1], free.Labels);
        var pinned = SeededKMeans.Cluster(x, 1, [0, 1], new NegativeDistance(), fixedLabels: [0, 1, 0, 0, -1]);
        Assert.Equal([0, 1, 0, 0, 0], pinned.Labels);
        Assert.Equal((0f + 6f + 7f + 5.2f) / 4, pinned.Centers[0], 5);
        Assert.Equal(10f, pinned.Centers[1]);
    }

    [Fact]
    public void Fixed_labels_of_the_wrong_length_or_range_or_against_a_seed_throw()
    {
        float[] x = [0f, 10f, 6f];
        Assert.Throws<ArgumentException>(() => SeededKMeans.Cluster(x, 1, [0, 1], new NegativeDistance(), fixedLabels: [0, 1]));
        Assert.Throws<ArgumentException>(() => SeededKMeans.Cluster(x, 1, [0, 1], new NegativeDistance(), fixedLabels: [0, 1, 2]));
        Assert.Throws<ArgumentException>(() => SeededKMeans.Cluster(x, 1, [0, 1], new NegativeDistance(), fixedLabels: [1, 1, -1]));
    }

    [Theory]
    [InlineData(3, 3, 1)]
    [InlineData(257, 4, 3)]
    [InlineData(5000, 8, 19)]
    [InlineData(9000, 32, 7)]
    public void Euclidean_and_generic_paths_equal_a_double_precision_reference(int n, int k, int dims)
    {
        var rng = new Random(n + k);
        var centres = Enumerable.Range(0, k).Select(_ => Enumerable.Range(0, dims).Select(_ => rng.NextDouble() * 4).ToArray()).ToArray();
        var x = new float[n * dims];
        for (int i = 0; i < n; i++)
        {
            var c = centres[i % k];
            for (int d = 0; d < dims; d++)
                x[i * dims + d] = (float)(c[d] + (rng.NextDouble() - 0.5) * 1.5);
        }
        int[] seeds = [.. Enumerable.Range(0, k).Select(j => j + k * rng.Next(Math.Max(1, n / k - 1)))];
        var fast = SeededKMeans.Cluster(x, dims, seeds, threads: 2);
        var generic = SeededKMeans.Cluster(x, dims, seeds, new NegativeDistance(), threads: 1);
        var (labels, iterations, stop) = Reference(x, dims, seeds);
        Assert.Equal(labels, fast.Labels);
        Assert.Equal(labels, generic.Labels);
        Assert.Equal((iterations, stop), (fast.Iterations, fast.Stop));
        Assert.Equal(fast.Centers, generic.Centers);
    }

    private readonly struct NegativeDistance : IClusterSimilarity
    {
        public float Similarity(ReadOnlySpan<float> point, ReadOnlySpan<float> centre)
        {
            float s = 0;
            for (int i = 0; i < point.Length; i++)
                s += (point[i] - centre[i]) * (point[i] - centre[i]);
            return -s;
        }
    }

    // Plain Lloyd with the seeded-k-means rules, in double precision, assignment-repeat stopping only
    // (the tolerance 1e-4 × variance is far below the shifts of these data until labels repeat).
    private static (int[] Labels, int Iterations, KMeansStop Stop) Reference(float[] x, int dims, int[] seeds)
    {
        int n = x.Length / dims, k = seeds.Length;
        var centres = seeds.Select(s => Enumerable.Range(0, dims).Select(d => (double)x[s * dims + d]).ToArray()).ToArray();
        int[]? previous = null;
        for (int it = 1; it <= 300; it++)
        {
            var labels = new int[n];
            for (int i = 0; i < n; i++)
            {
                double best = double.MaxValue;
                for (int c = 0; c < k; c++)
                {
                    double s = 0;
                    for (int d = 0; d < dims; d++)
                        s += (x[i * dims + d] - centres[c][d]) * (x[i * dims + d] - centres[c][d]);
                    if (s < best) { best = s; labels[i] = c; }
                }
            }
            if (previous is not null && Enumerable.Range(0, k).Any(j => labels[seeds[j]] != j))
                return (previous, it - 1, KMeansStop.AnnotatedPointWouldMove);
            double shift = 0;
            for (int c = 0; c < k; c++)
            {
                var members = Enumerable.Range(0, n).Where(i => labels[i] == c).ToArray();
                for (int d = 0; d < dims; d++)
                {
                    double m = members.Average(i => (double)x[i * dims + d]);
                    shift += (m - centres[c][d]) * (m - centres[c][d]);
                    centres[c][d] = m;
                }
            }
            if (previous is not null && labels.SequenceEqual(previous))
                return (labels, it, KMeansStop.Converged);
            if (shift <= 1e-4 * MeanVariance(x, dims))
                return (labels, it, KMeansStop.Converged); // (the final re-assignment does not change these data)
            previous = labels;
        }
        return (previous!, 300, KMeansStop.MaxIterations);
    }

    private static double MeanVariance(float[] x, int dims)
    {
        int n = x.Length / dims;
        return Enumerable.Range(0, dims).Average(d =>
        {
            double mean = Enumerable.Range(0, n).Average(i => (double)x[i * dims + d]);
            return Enumerable.Range(0, n).Average(i => (x[i * dims + d] - mean) * (x[i * dims + d] - mean));
        });
    }

    [Fact]
    public void ClickSeg_similarity_is_equation_5()
    {
        // e = (0, 0) vs (1, 0): D_e² = 1; p = (0,0,0) vs (0,0,2): D_p² = 4; s = (1, 0) vs (1, 1): Q = 1/√2.
        var sim = new ClickSegSimilarity(0, 2, 2, 3, 5, 2, SigmaE: 1, SigmaP: 2);
        float s = sim.Similarity([0, 0, 0, 0, 0, 1, 0], [1, 0, 0, 0, 2, 1, 1]);
        Assert.Equal(1 / MathF.Sqrt(2) * MathF.Exp(-1 - 1), s, 1e-6f);
    }

    [Fact]
    public void Bad_input_throws()
    {
        Assert.Throws<ArgumentException>(() => SeededKMeans.Cluster([0f, 1f], 1, []));
        Assert.Throws<ArgumentException>(() => SeededKMeans.Cluster([0f, 1f], 1, [2]));
        Assert.Throws<ArgumentException>(() => SeededKMeans.Cluster([0f, 1f, 2f], 2, [0]));
    }
}
