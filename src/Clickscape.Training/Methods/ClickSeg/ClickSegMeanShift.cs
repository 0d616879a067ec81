using Clickscape.Geometry.Clustering;

namespace Clickscape.Training.Methods.ClickSeg;

/// <summary>
/// Mean-shift over voxels as ClickSeg groups points (§3, "we use the embeddings and offsets as similarity metrics
/// to perform mean-shift clustering"): the flat-kernel <see cref="MeanShift"/> (scikit-learn's) finds the modes of
/// a strided sample of at most <c>sample</c> voxels, seeded at every sampled voxel, and every voxel joins its
/// nearest mode. The features are scaled so that the kernel window is a similarity level: in [e/σ_e, (p + o)/σ_p]
/// ‖x_i − x_j‖ ≤ h ⇔ exp(−(D_e/σ_e)² − (D_p/σ_p)²) ≥ exp(−h²).
/// </summary>
/// <remarks>How this differs from mean-shift over all points: modes come from the sample (O(sample²) per
/// iteration instead of N²), and labels are "nearest mode" for every voxel, as scikit-learn's cluster_all does.</remarks>
public static class ClickSegMeanShift
{
    /// <summary>The modes (dims values each) of the rows <paramref name="rows"/> of <paramref name="x"/>.</summary>
    public static float[] Modes(float[] x, int dims, int[] rows, float bandwidth, int sample)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Length == 0) return [];
        int stride = Math.Max(1, (rows.Length + sample - 1) / sample);
        var picked = new List<int>();
        for (int j = 0; j < rows.Length; j += stride) picked.Add(rows[j]);
        var points = new float[picked.Count * dims];
        for (int j = 0; j < picked.Count; j++) Array.Copy(x, picked[j] * dims, points, j * dims, dims);
        var result = MeanShift.Cluster(points, dims, bandwidth, binSeeding: false, threads: Tensors.Threading.ComputeThreads.Count);
        return result.Centers.Select(c => (float)c).ToArray();
    }

    /// <summary>Per row of <paramref name="rows"/>, the index of the nearest of <paramref name="modes"/> (ties: the first).</summary>
    public static int[] Nearest(float[] x, int dims, int[] rows, float[] modes)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(modes);
        int k = modes.Length / dims;
        var labels = new int[rows.Length];
        for (int j = 0; j < rows.Length; j++)
        {
            var row = x.AsSpan(rows[j] * dims, dims);
            int best = 0;
            float bestD = float.PositiveInfinity;
            for (int c = 0; c < k; c++)
            {
                float d = 0;
                for (int q = 0; q < dims; q++)
                {
                    float t = row[q] - modes[c * dims + q];
                    d += t * t;
                }
                if (d < bestD) { bestD = d; best = c; }
            }
            labels[j] = best;
        }
        return labels;
    }
}
