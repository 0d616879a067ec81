using Clickscape.Geometry.Clustering;

namespace Clickscape.Models.PartFusion;

/// <summary>Options of <see cref="PartInstanceClustering"/> (defaults: the paper's and the reference code's).</summary>
/// <param name="Bandwidth">Mean-shift bandwidth (flat kernel, bin seeding), 0.1 on unit-sphere shapes.</param>
/// <param name="Lambda">λ of Eq. 7 (0.05); 0 clusters the predicted instance centres alone (the † rows of Table 4).</param>
/// <param name="MinPoints">Clusters of at most this many points are dropped (10).</param>
public sealed record PartClusteringOptions(double Bandwidth = 0.1, double Lambda = 0.05, int MinPoints = 10);

/// <summary>One part instance: its points, its class index at the level and its confidence.</summary>
public sealed record PartInstance(int[] Points, int ClassIndex, double Confidence);

/// <summary>
/// Instance clustering of one level (Sun et al., §3.1 and §3.3; REFERENCE.md §6): every point is shifted by Eq. 7,
/// p̂ = p + O_I(p) + λ·(O_I(p) − O_S(p)) / ‖O_I(p) − O_S(p)‖ (pushed away from its semantic region centre; no push
/// where O_I = O_S), the shifted points of each predicted class (argmax of P_sem) are clustered by mean-shift
/// (<see cref="MeanShift"/>, bandwidth 0.1, bin seeding), clusters of ≤ <see cref="PartClusteringOptions.MinPoints"/>
/// points are dropped, and an instance's confidence is 1 − the mean over its points of the entropy −Σ_m P_m ln P_m.
/// </summary>
public static class PartInstanceClustering
{
    /// <summary>The shifted points p̂ of Eq. 7 (N × 3).</summary>
    public static float[] Shift(ReadOnlySpan<float> positions, ReadOnlySpan<float> instanceOffsets, ReadOnlySpan<float> regionOffsets, double lambda)
    {
        if (instanceOffsets.Length != positions.Length || regionOffsets.Length != positions.Length || positions.Length % 3 != 0)
            throw new ArgumentException("Eq. 7: positions, instance and region offsets must all be N × 3");
        var shifted = new float[positions.Length];
        for (int i = 0; i < positions.Length; i += 3)
        {
            double dx = instanceOffsets[i] - regionOffsets[i], dy = instanceOffsets[i + 1] - regionOffsets[i + 1], dz = instanceOffsets[i + 2] - regionOffsets[i + 2];
            double norm = Math.Sqrt(dx * dx + dy * dy + dz * dz);
            double push = norm > 0 && lambda != 0 ? lambda / norm : 0;
            shifted[i] = (float)(positions[i] + instanceOffsets[i] + push * dx);
            shifted[i + 1] = (float)(positions[i + 1] + instanceOffsets[i + 1] + push * dy);
            shifted[i + 2] = (float)(positions[i + 2] + instanceOffsets[i + 2] + push * dz);
        }
        return shifted;
    }

    /// <summary>The semantic class (argmax, ties → the smaller index) of every row of the N × <paramref name="classes"/> probabilities.</summary>
    public static int[] Classes(ReadOnlySpan<float> probabilities, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 1);
        var result = new int[probabilities.Length / classes];
        for (int i = 0; i < result.Length; i++)
        {
            var row = probabilities.Slice(i * classes, classes);
            int best = 0;
            for (int m = 1; m < classes; m++) if (row[m] > row[best]) best = m;
            result[i] = best;
        }
        return result;
    }

    /// <summary>Clusters one level of one shape into part instances, in descending confidence.</summary>
    public static IReadOnlyList<PartInstance> Cluster(ReadOnlySpan<float> positions, ReadOnlySpan<float> probabilities, int classes,
        ReadOnlySpan<float> instanceOffsets, ReadOnlySpan<float> regionOffsets, PartClusteringOptions options, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        int n = positions.Length / 3;
        if (probabilities.Length != (long)n * classes) throw new ArgumentException($"clustering: {probabilities.Length} probabilities for {n} points × {classes} classes");
        var shifted = Shift(positions, instanceOffsets, regionOffsets, options.Lambda);
        var label = Classes(probabilities, classes);
        var entropy = new double[n];
        for (int i = 0; i < n; i++)
        {
            double h = 0;
            foreach (float p in probabilities.Slice(i * classes, classes))
                if (p > 0) h -= p * Math.Log(p);
            entropy[i] = h;
        }
        var result = new List<PartInstance>();
        for (int m = 0; m < classes; m++)
        {
            var members = new List<int>();
            for (int i = 0; i < n; i++) if (label[i] == m) members.Add(i);
            if (members.Count <= options.MinPoints) continue;
            var x = new float[3 * members.Count];
            for (int j = 0; j < members.Count; j++)
                for (int c = 0; c < 3; c++) x[3 * j + c] = shifted[3 * members[j] + c];
            var ms = MeanShift.Cluster(x, 3, options.Bandwidth, binSeeding: true, threads: threads);
            var groups = new List<int>[ms.ClusterCount];
            for (int j = 0; j < members.Count; j++)
                (groups[ms.Labels[j]] ??= []).Add(members[j]);
            foreach (var g in groups)
            {
                if (g is null || g.Count <= options.MinPoints) continue;
                result.Add(new PartInstance([.. g], m, 1 - g.Average(i => entropy[i])));
            }
        }
        return [.. result.OrderByDescending(r => r.Confidence)];
    }
}
