using Clickscape.Data.Classes;

namespace Clickscape.Training.Methods.ClickSeg;

/// <summary>
/// Class weights of the semantic cross-entropy from what the annotator gave: the points each class has in the
/// seg-level labels of the clicks (clicks expanded to their over-segments, ClickSeg §3.1), over all training scenes.
/// Median-frequency balancing (Eigen and Fergus, ICCV 2015: w_c = median_f / f_c), softened by a square root:
/// w_c = √(median_c' n_c' / n_c), median over the classes with labelled points; a class without any keeps w = 1
/// (nothing in its CE term to weigh). Not part of the ClickSeg paper, which trains an unweighted CE: it is
/// <c>loss.class_balance sqrt_inverse</c>, <c>clickseg</c>'s default (chosen on generated tuning rooms, RESULTS.md §10f;
/// <c>weak</c> and <c>clickseg-base</c> keep <c>none</c>).
/// The ground truth is never read: the counts come from the clicks and the segments alone.
/// </summary>
public static class ClickClassWeights
{
    /// <summary>The weight of each class index of <paramref name="classIds"/> (NYU40 ids) from the clicks' seg-level labels.</summary>
    public static float[] SqrtInverseFrequency(IEnumerable<SceneClicks> clicks, IReadOnlyList<int> classIds)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        ArgumentNullException.ThrowIfNull(classIds);
        var index = new Dictionary<int, int>();
        for (int q = 0; q < classIds.Count; q++) index[classIds[q]] = q;
        var counts = new long[classIds.Count];
        foreach (var scene in clicks)
            foreach (int nyu in ScanNetBenchmark.ToSemantic20(scene.WeakSemantic))
                if (index.TryGetValue(nyu, out int q)) counts[q]++;
        var present = counts.Where(n => n > 0).Order().ToArray();
        var weights = new float[classIds.Count];
        if (present.Length == 0) { Array.Fill(weights, 1f); return weights; }
        double median = present.Length % 2 == 1 ? present[present.Length / 2] : 0.5 * (present[present.Length / 2 - 1] + present[present.Length / 2]);
        for (int q = 0; q < weights.Length; q++) weights[q] = counts[q] == 0 ? 1f : (float)Math.Sqrt(median / counts[q]);
        return weights;
    }
}
