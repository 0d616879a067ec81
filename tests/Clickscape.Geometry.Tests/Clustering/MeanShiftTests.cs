using Clickscape.Geometry.Clustering;

namespace Clickscape.Geometry.Tests.Clustering;

public class MeanShiftTests
{
    // 1-D, bw = 1: bins round(x) = 0,0,0,5,5 → seeds 0 and 5. Seed 0 sees {0, 0.1, 0.2} → mean 0.1, which sees
    // the same set → shift 0 → stop with intensity 3. Seed 5 → 5.05, intensity 2. Sorted by intensity.
    [Fact]
    public void Hand_computed_one_dimensional_case()
    {
        var r = MeanShift.Cluster([0f, 0.1f, 0.2f, 5f, 5.1f], 1, 1.0);
        Assert.Equal(2, r.ClusterCount);
        Assert.Equal((0.0 + 0.1f + 0.2f) / 3, r.Centers[0], 12);
        Assert.Equal((5.0 + 5.1f) / 2, r.Centers[1], 12);
        Assert.Equal([3, 2], r.Intensities);
        Assert.Equal([0, 0, 0, 1, 1], r.Labels);
    }

    // Two modes 0.6 apart with bw 1: both seeds (bins 0 and 1 → positions 0 and 1) climb; seed 1 sees all
    // points {0, 0, 0.6} within 1 of 1? |1 − 0| = 1 ≤ 1 yes → mean 0.2 → sees all → 0.2: both seeds reach 0.2
    // and the de-duplication keeps one centre.
    [Fact]
    public void Near_duplicate_modes_are_merged()
    {
        var r = MeanShift.Cluster([0f, 0f, 0.6f], 1, 1.0);
        Assert.Equal(1, r.ClusterCount);
        Assert.Equal(0.2, r.Centers[0], 6);
        Assert.Equal([0, 0, 0], r.Labels);
    }

    [Theory]
    [InlineData(1, 301, 0.3, true, 1)]
    [InlineData(2, 500, 0.15, true, 1)]
    [InlineData(3, 2000, 0.1, true, 1)]
    [InlineData(3, 700, 0.2, true, 3)]
    [InlineData(3, 257, 0.25, false, 1)]
    [InlineData(5, 600, 0.6, true, 1)]
    public void Equals_a_brute_force_transcription_of_scikit_learn(int dims, int n, double bw, bool binSeeding, int minBinFreq)
    {
        var rng = new Random(n * dims);
        var x = new float[n * dims];
        var centres = Enumerable.Range(0, 6).Select(_ => Enumerable.Range(0, dims).Select(_ => rng.NextDouble() * 2).ToArray()).ToArray();
        for (int i = 0; i < n; i++)
        {
            var c = centres[rng.Next(centres.Length)];
            for (int d = 0; d < dims; d++)
                x[i * dims + d] = (float)(c[d] + (rng.NextDouble() - 0.5) * 0.3);
        }
        var r = MeanShift.Cluster(x, dims, bw, binSeeding, minBinFreq, threads: 2);
        var (centers, labels) = Reference(x, dims, bw, binSeeding, minBinFreq);
        Assert.Equal(centers.Count, r.ClusterCount);
        for (int c = 0; c < centers.Count; c++)
        {
            for (int d = 0; d < dims; d++)
                Assert.Equal(centers[c][d], r.Centers[c * dims + d], 9);
        }
        Assert.Equal(labels, r.Labels);
    }

    // scikit-learn 1.2's MeanShift.fit written out plainly: brute-force neighbourhoods summed in index order.
    private static (List<double[]> Centers, int[] Labels) Reference(float[] xf, int dims, double bw, bool binSeeding, int minBinFreq)
    {
        int n = xf.Length / dims;
        var x = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, dims).Select(d => (double)xf[i * dims + d]).ToArray()).ToArray();
        double Dist2(double[] a, double[] b) { double s = 0; for (int d = 0; d < dims; d++) s += (a[d] - b[d]) * (a[d] - b[d]); return s; }
        List<double[]> seeds;
        if (binSeeding)
        {
            var bins = new List<(string Key, double[] Bin, int Count)>();
            foreach (var p in x)
            {
                var bin = p.Select(v => Math.Round(v / bw, MidpointRounding.ToEven) + 0.0).ToArray();
                var key = string.Join(",", bin);
                int at = bins.FindIndex(b => b.Key == key);
                if (at < 0) bins.Add((key, bin, 1));
                else bins[at] = (key, bin, bins[at].Count + 1);
            }
            var keep = bins.Where(b => b.Count >= minBinFreq).ToList();
            seeds = keep.Count == n ? [.. x] : [.. keep.Select(b => b.Bin.Select(v => (double)((float)v * (float)bw)).ToArray())];
        }
        else
        {
            seeds = [.. x];
        }
        var modes = new List<(double[] Mode, int Intensity)>();
        foreach (var seed in seeds)
        {
            var mean = seed;
            int completed = 0, within;
            while (true)
            {
                var nb = x.Where(p => Dist2(p, mean) <= bw * bw).ToArray();
                within = nb.Length;
                if (within == 0) break;
                var old = mean;
                mean = Enumerable.Range(0, dims).Select(d => nb.Sum(p => p[d]) / within).ToArray();
                if (Math.Sqrt(Dist2(mean, old)) < 1e-3 * bw || completed == 300) break;
                completed++;
            }
            if (within > 0) modes.Add((mean, within));
        }
        var sorted = modes.OrderByDescending(m => m.Intensity).ThenByDescending(m => m.Mode, Comparer<double[]>.Create((a, b) =>
        {
            for (int d = 0; d < dims; d++) { int c = a[d].CompareTo(b[d]); if (c != 0) return c; }
            return 0;
        })).ToList();
        var kept = new List<double[]>();
        foreach (var (mode, _) in sorted)
        {
            if (kept.All(k => Dist2(k, mode) > bw * bw))
                kept.Add(mode);
        }
        var labels = x.Select(p =>
        {
            int best = 0;
            for (int c = 1; c < kept.Count; c++)
                if (Dist2(p, kept[c]) < Dist2(p, kept[best])) best = c;
            return best;
        }).ToArray();
        return (kept, labels);
    }

    [Fact]
    public void Bad_input_throws()
    {
        Assert.Throws<ArgumentException>(() => MeanShift.Cluster(new float[5], 3, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => MeanShift.Cluster(new float[6], 3, 0));
        Assert.Throws<ArgumentException>(() => MeanShift.Cluster([], 3, 0.1));
    }
}
