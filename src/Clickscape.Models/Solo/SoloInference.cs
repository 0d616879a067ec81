using Clickscape.Tensors;

namespace Clickscape.Models.Solo;

/// <summary>One instance found by <see cref="SoloInference"/>: class index, score (class probability × maskness),
/// the FPN level and grid cell it came from, and its mask probabilities at stride 4 ([H/4 · W/4], row-major).</summary>
public sealed record SoloDetection(int ClassIndex, float Score, int Level, int Cell, float[] MaskProbabilities);

/// <summary>Thresholds of SOLOv2's test configuration (<c>test_cfg</c>: score_thr 0.1, mask_thr 0.5, nms_pre 500,
/// update_thr 0.05, max_per_img 100, Matrix NMS with the Gaussian kernel σ = 2).</summary>
public sealed record SoloInferenceOptions
{
    /// <summary>Cells whose class probability is at least this become candidates.</summary>
    public float ScoreThreshold { get; init; } = 0.1f;

    /// <summary>Mask probability threshold.</summary>
    public float MaskThreshold { get; init; } = 0.5f;

    /// <summary>Candidates kept before Matrix NMS.</summary>
    public int PreNms { get; init; } = 500;

    /// <summary>Score after Matrix NMS below which an instance is dropped.</summary>
    public float UpdateThreshold { get; init; } = 0.05f;

    /// <summary>Instances kept per image.</summary>
    public int MaxPerImage { get; init; } = 100;

    /// <summary>σ of Matrix NMS's Gaussian decay.</summary>
    public float NmsSigma { get; init; } = 2f;
}

/// <summary>
/// SOLOv2 inference for one image (Wang et al., NeurIPS 2020 §3.3 and <c>get_seg_single</c>): candidate cells above the
/// score threshold on every level, their dynamic masks σ(K·F), masks smaller than the level's stride (in stride-4
/// pixels) dropped, score ×= maskness (the mean probability inside the thresholded mask), then Matrix NMS.
/// </summary>
public static class SoloInference
{
    /// <summary>Detections of image <paramref name="image"/> of a batch output, best first.</summary>
    public static IReadOnlyList<SoloDetection> Detect(SoloOutput output, int image, SoloOptions net, SoloInferenceOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(options);
        var candidates = new List<(int Level, int Cell, int Class, float Prob)>();
        for (int l = 0; l < net.Grids.Count; l++)
        {
            var logits = output.CategoryLogits[l];
            int classes = logits.Dim(1), cells = logits.Dim(2) * logits.Dim(3);
            var d = logits.Data;
            for (int c = 0; c < classes; c++)
                for (int cell = 0; cell < cells; cell++)
                {
                    float prob = 1f / (1f + MathF.Exp(-d[(image * classes + c) * cells + cell]));
                    if (prob >= options.ScoreThreshold) candidates.Add((l, cell, c, prob));
                }
        }
        var detections = new List<SoloDetection>();
        foreach (var group in candidates.GroupBy(c => c.Level))
        {
            var list = group.ToList();
            using var logits = SoloNet.MaskLogits(output, image, group.Key, [.. list.Select(c => c.Cell)]);
            int hw = logits.Dim(1);
            float minArea = 1 << group.Key; // level stride 4·2^l in input pixels = 2^l pixels at stride 4
            for (int k = 0; k < list.Count; k++)
            {
                var probs = new float[hw];
                var row = logits.Data.Slice(k * hw, hw);
                double inside = 0;
                int area = 0;
                for (int i = 0; i < hw; i++)
                {
                    probs[i] = 1f / (1f + MathF.Exp(-row[i]));
                    if (probs[i] > options.MaskThreshold) { area++; inside += probs[i]; }
                }
                if (area <= minArea) continue;
                float maskness = (float)(inside / area);
                detections.Add(new SoloDetection(list[k].Class, list[k].Prob * maskness, group.Key, list[k].Cell, probs));
            }
        }
        var sorted = detections.OrderByDescending(d => d.Score).Take(options.PreNms).ToList();
        var decayed = MatrixNms.Decay(sorted, options.MaskThreshold, options.NmsSigma);
        return sorted.Select((d, i) => d with { Score = d.Score * decayed[i] })
            .Where(d => d.Score >= options.UpdateThreshold)
            .OrderByDescending(d => d.Score)
            .Take(options.MaxPerImage)
            .ToList();
    }
}
