using Clickscape.Training.Methods.ClickSeg;

namespace Clickscape.Training.Tests.Methods.ClickSeg;

public sealed class ClickSegExactFormsTests
{
    private const int C = 4, E = 2;

    // class ids: index 0 = wall (1), 1 = floor (2), 2 = chair (5), 3 = table (7)
    private static readonly int[] Ids = [1, 2, 5, 7];

    /// <summary>
    /// <paramref name="voxels"/> voxels with random softmax-like probabilities, embeddings in three separated blobs, offsets;
    /// <paramref name="points"/> points, each in a random voxel, at its own position near the voxel's blob.
    /// </summary>
    private static (VoxelOutputs Voxels, int[] PointToVoxel, float[] Positions) Scene(int voxels, int points, int seed, bool stuff = true)
    {
        var rng = new Random(seed);
        var prob = new float[voxels * C];
        var emb = new float[voxels * E];
        var off = new float[voxels * 3];
        var pos = new float[voxels * 3];
        for (int v = 0; v < voxels; v++)
        {
            int blob = v % 3;
            int main = stuff && blob == 0 ? v % 2 : 2 + v % 2;
            double sum = 0;
            for (int k = 0; k < C; k++) sum += prob[v * C + k] = (float)rng.NextDouble() * 0.3f + (k == main ? 1f : 0f);
            for (int k = 0; k < C; k++) prob[v * C + k] /= (float)sum;
            for (int d = 0; d < E; d++) emb[v * E + d] = 2f * blob + 0.3f * (float)rng.NextDouble();
            for (int d = 0; d < 3; d++)
            {
                pos[3 * v + d] = 1.5f * blob + 0.2f * (float)rng.NextDouble();
                off[3 * v + d] = 0.05f * (float)(rng.NextDouble() - 0.5);
            }
        }
        var pointToVoxel = Enumerable.Range(0, points).Select(p => p < voxels ? p : rng.Next(voxels)).ToArray();
        var positions = new float[points * 3];
        for (int p = 0; p < points; p++)
            for (int d = 0; d < 3; d++) positions[3 * p + d] = pos[3 * pointToVoxel[p] + d] + 0.1f * (float)(rng.NextDouble() - 0.5);
        int[] counts = [.. Enumerable.Range(0, voxels).Select(v => Math.Max(1, pointToVoxel.Count(x => x == v)))];
        return (new VoxelOutputs(prob, C, emb, E, off, pos, counts), pointToVoxel, positions);
    }

    [Fact]
    public void PointRows_CarryTheirVoxelsOutputsAndTheirOwnPosition()
    {
        var (o, map, positions) = Scene(10, 25, 1);
        var rows = ClickSegExactForms.PointRows(o, map, positions);
        Assert.Equal(25, rows.Count);
        Assert.All(rows.Counts, n => Assert.Equal(1, n));
        for (int p = 0; p < 25; p++)
        {
            Assert.Equal(o.Probabilities.AsSpan(map[p] * C, C).ToArray(), rows.Probabilities.AsSpan(p * C, C).ToArray());
            Assert.Equal(o.Embedding.AsSpan(map[p] * E, E).ToArray(), rows.Embedding.AsSpan(p * E, E).ToArray());
            Assert.Equal(o.Offsets.AsSpan(map[p] * 3, 3).ToArray(), rows.Offsets.AsSpan(p * 3, 3).ToArray());
            Assert.Equal(positions.AsSpan(p * 3, 3).ToArray(), rows.Positions.AsSpan(p * 3, 3).ToArray());
        }
    }

    [Theory]
    [InlineData(true, true, true, 0.3f)]
    [InlineData(true, true, false, 0.3f)]
    [InlineData(true, false, true, 0.5f)]
    public void Fuse_IsEquation6OverAllPointPairs(bool embedding, bool spatial, bool semantic, float gamma)
    {
        var (o, map, positions) = Scene(12, 40, 2);
        var rows = ClickSegExactForms.PointRows(o, map, positions);
        var shifted = rows.ShiftedPositions();
        const float se = 0.4f, sp = 0.3f;
        var fused = ClickSegExactForms.Fuse(rows, shifted, new SimilarityTerms(embedding, spatial, semantic, se, sp), gamma, threads: 2);

        // the formula, written out: S_ij = Q_ij exp(−(D_e/σ_e)² − (D_p/σ_p)²), ŝ_i = Σ_j 𝕀(S_ij > γ) S_ij s_j / Σ_j 𝕀(S_ij > γ) S_ij
        int n = rows.Count;
        for (int i = 0; i < n; i++)
        {
            var num = new double[C];
            double den = 0;
            for (int j = 0; j < n; j++)
            {
                double de2 = 0, dp2 = 0, dot = 0, ni = 0, nj = 0;
                for (int d = 0; d < E; d++) de2 += Math.Pow(rows.Embedding[i * E + d] - rows.Embedding[j * E + d], 2);
                for (int d = 0; d < 3; d++) dp2 += Math.Pow(positions[3 * i + d] + rows.Offsets[3 * i + d] - positions[3 * j + d] - rows.Offsets[3 * j + d], 2);
                for (int k = 0; k < C; k++)
                {
                    double a = rows.Probabilities[i * C + k], b = rows.Probabilities[j * C + k];
                    dot += a * b;
                    ni += a * a;
                    nj += b * b;
                }
                double q = semantic ? dot / Math.Sqrt(ni * nj) : 1;
                double s = q * Math.Exp(-(embedding ? de2 / (se * se) : 0) - (spatial ? dp2 / (sp * sp) : 0));
                if (s <= gamma) continue;
                den += s;
                for (int k = 0; k < C; k++) num[k] += s * rows.Probabilities[j * C + k];
            }
            for (int k = 0; k < C; k++) Assert.Equal(num[k] / den, fused[i * C + k], 4);
        }
        // the points pairs reach across voxels: some point's fused probabilities differ from its voxel's own
        Assert.Contains(Enumerable.Range(0, n * C), t => Math.Abs(fused[t] - rows.Probabilities[t]) > 1e-3);
    }

    [Theory]
    [InlineData(true, 0.6f)]
    [InlineData(false, 0.6f)]
    [InlineData(true, 0.35f)]
    public void MeanShiftInstances_IsAFlatKernelMeanShiftSeededAtEveryPoint(bool semantic, float bandwidth)
    {
        var (o, map, positions) = Scene(15, 48, 3);
        var rows = ClickSegExactForms.PointRows(o, map, positions);
        var shifted = rows.ShiftedPositions();
        const float se = 1.2f, sp = 0.8f;
        var terms = new SimilarityTerms(true, true, semantic, se, sp);
        var clusters = ClickSegExactForms.MeanShiftInstances(rows, shifted, rows.Probabilities, terms, Ids, bandwidth);

        // naive: x = [e/σ_e, (p + o)/σ_p]; groups of the points not wall or floor (per class with Q on); from every point climb
        // m ← mean{x_j : ‖x_j − m‖ ≤ h} until it moves < 10⁻³h; keep the modes by decreasing support, dropping those within h
        // of a kept one; every point joins its nearest kept mode
        int n = rows.Count, dims = E + 3;
        var x = new double[n][];
        for (int i = 0; i < n; i++)
            x[i] = [.. Enumerable.Range(0, E).Select(d => (double)rows.Embedding[i * E + d] / se), .. Enumerable.Range(0, 3).Select(d => (double)shifted[3 * i + d] / sp)];
        int Class(int i) => Enumerable.Range(0, C).MaxBy(k => rows.Probabilities[i * C + k]);
        double D2(double[] a, double[] b) => Enumerable.Range(0, dims).Sum(d => (a[d] - b[d]) * (a[d] - b[d]));
        var expected = new List<int[]>();
        foreach (var group in Enumerable.Range(0, n).Where(i => Ids[Class(i)] is not (1 or 2)).GroupBy(i => semantic ? Class(i) : 0).OrderBy(g => g.Key))
        {
            var members = group.ToArray();
            var modes = new List<(double[] Mode, int Support)>();
            foreach (int seed in members)
            {
                var m = x[seed];
                int support;
                while (true)
                {
                    var within = members.Where(j => D2(x[j], m) <= bandwidth * bandwidth).ToArray();
                    support = within.Length;
                    var next = Enumerable.Range(0, dims).Select(d => within.Average(j => x[j][d])).ToArray();
                    bool done = Math.Sqrt(D2(next, m)) < 1e-3 * bandwidth;
                    m = next;
                    if (done) break;
                }
                modes.Add((m, support));
            }
            var kept = new List<double[]>();
            foreach (var (mode, _) in modes.OrderByDescending(t => t.Support))
                if (kept.All(k => D2(k, mode) > bandwidth * bandwidth)) kept.Add(mode);
            var label = members.Select(i => Enumerable.Range(0, kept.Count).MinBy(k => D2(x[i], kept[k]))).ToArray();
            expected.AddRange(Enumerable.Range(0, kept.Count).Select(k => members.Where((_, t) => label[t] == k).ToArray()).Where(a => a.Length > 0));
        }
        static string Key(IEnumerable<int[]> partition) => string.Join(" | ", partition.Select(c => string.Join(",", c.Order())).Order());
        Assert.Equal(Key(expected), Key(clusters));
        Assert.True(clusters.Count >= 2, $"the blobs should give several clusters, got {clusters.Count}");
        Assert.Equal(Enumerable.Range(0, n).Count(i => Ids[Class(i)] is not (1 or 2)), clusters.Sum(c => c.Length));
    }

    [Fact]
    public void PseudoInstances_AssignEveryPointAndKeepTheClickedPoints()
    {
        var (o, map, positions) = Scene(15, 45, 4, stuff: false);
        var rows = ClickSegExactForms.PointRows(o, map, positions);
        int[] seeds = [0, 1, 2];
        var terms = new SimilarityTerms(true, true, true, 1f, 1f);
        var result = ClickSegExactForms.PseudoInstances(rows, rows.ShiftedPositions(), seeds, [0, 1, 2], terms, kMeans: true, maxIterations: 10, threads: 1);
        Assert.Equal(45, result.Instance.Length);
        Assert.Equal([0, 1, 2], seeds.Select(s => result.Instance[s]));
        // the three blobs (voxel v in blob v % 3) are the three clicked objects
        Assert.All(Enumerable.Range(0, 45), p => Assert.Equal(map[p] % 3, result.Instance[p]));
    }
}
