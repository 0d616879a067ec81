namespace Clickscape.Models.Solo;

/// <summary>
/// Matrix NMS (SOLOv2 §4.2, Eq. 4 with the Gaussian f(iou) = exp(−σ·iou²)): for masks sorted by score, the decay of
/// mask j is min over higher-scored masks i of the same class of f(iou_ij)/f(iou_i*), iou_i* = the largest IoU of i
/// with any mask above it — a parallel soft-NMS that lowers scores instead of deleting masks.
/// </summary>
public static class MatrixNms
{
    /// <summary>The decay factor of each detection (sorted by score, best first).</summary>
    public static float[] Decay(IReadOnlyList<SoloDetection> sorted, float maskThreshold, float sigma)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        int n = sorted.Count;
        var masks = sorted.Select(d => d.MaskProbabilities.Select(p => p > maskThreshold).ToArray()).ToArray();
        var areas = masks.Select(m => m.Count(v => v)).ToArray();
        var iou = new float[n, n];
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
            {
                if (sorted[i].ClassIndex != sorted[j].ClassIndex) continue;
                int inter = 0;
                for (int p = 0; p < masks[i].Length; p++) if (masks[i][p] && masks[j][p]) inter++;
                iou[i, j] = inter / (float)Math.Max(1, areas[i] + areas[j] - inter);
            }
        var compensate = new float[n];
        for (int j = 0; j < n; j++)
            for (int i = 0; i < j; i++) compensate[j] = Math.Max(compensate[j], iou[i, j]);
        var decay = new float[n];
        for (int j = 0; j < n; j++)
        {
            float best = 1f;
            for (int i = 0; i < j; i++)
                best = Math.Min(best, MathF.Exp(-sigma * (iou[i, j] * iou[i, j] - compensate[i] * compensate[i])));
            decay[j] = best;
        }
        return decay;
    }
}
