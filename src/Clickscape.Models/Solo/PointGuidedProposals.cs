using Clickscape.Tensors;

namespace Clickscape.Models.Solo;

/// <summary>One labelled point: where (input-resolution pixels) and which class (0-based).</summary>
public readonly record struct LabelledPoint(double X, double Y, int ClassIndex);

/// <summary>How the FPN level of a point's proposal is chosen (PointWSSIS Table 2).</summary>
public enum LevelSelection
{
    /// <summary>argmax over levels of maskness × class probability (the paper's adaptive pyramid-level selection).</summary>
    Adaptive,

    /// <summary>Only the finest level (Table 2 row 1, "P2 / P2").</summary>
    SingleLevel,

    /// <summary>A proposal from every level (Table 2 row 2, "P2~P6 / P2~P6").</summary>
    AllLevels,

    /// <summary>The level whose scale range holds the ground-truth mask's scale (Table 2 row 4, an oracle).</summary>
    GroundTruthSize,
}

/// <summary>A pseudo instance from a point: the point's index, the level used, the score and the mask at stride 4.</summary>
public sealed record PointProposal(int Point, int Level, float Score, float[] MaskProbabilities);

/// <summary>
/// Point-guided proposals of PointWSSIS (Kim et al., CVPR 2023, §3.2, Fig. 4; REFERENCE §7): for every labelled point
/// (x, y, c), on every FPN level the grid cell holding the point is the proposal; its mask is the teacher's dynamic mask
/// σ(K_cell · F) and its confidence s = maskness × p_c(cell), maskness = the mean probability inside the thresholded
/// mask. The pseudo mask comes from the level k = argmax s_k (or the level <see cref="LevelSelection"/> says). Proposals
/// are only ever taken at points, so every one is a true positive of the right class: no confidence threshold.
/// </summary>
public static class PointGuidedProposals
{
    /// <summary>The proposals of one image of a batch output; <paramref name="groundTruthLevels"/> (one per point) is
    /// needed only for <see cref="LevelSelection.GroundTruthSize"/>.</summary>
    public static IReadOnlyList<PointProposal> Propose(SoloOutput output, int image, SoloOptions net, IReadOnlyList<LabelledPoint> points,
        LevelSelection selection, float maskThreshold = 0.5f, IReadOnlyList<int>? groundTruthLevels = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(points);
        if (selection == LevelSelection.GroundTruthSize && (groundTruthLevels is null || groundTruthLevels.Count != points.Count))
            throw new ArgumentException("point-guided proposals: ground-truth-size selection needs one level per point");
        int levels = net.Grids.Count, size = net.InputSize;
        // every (point, level) candidate: one mask per level for all points at once
        var candidates = new (float Score, float[] Mask)[points.Count, levels];
        for (int l = 0; l < levels; l++)
        {
            int grid = net.Grids[l], cells = grid * grid, classes = net.Classes;
            var cellOf = points.Select(p => SoloTargets.CellOf(p.X, p.Y, size, grid)).ToArray();
            if (points.Count == 0) continue;
            using var logits = SoloNet.MaskLogits(output, image, l, cellOf);
            int hw = logits.Dim(1);
            var cat = output.CategoryLogits[l].Data;
            for (int k = 0; k < points.Count; k++)
            {
                var probs = new float[hw];
                var row = logits.Data.Slice(k * hw, hw);
                double inside = 0;
                int area = 0;
                for (int i = 0; i < hw; i++)
                {
                    probs[i] = 1f / (1f + MathF.Exp(-row[i]));
                    if (probs[i] > maskThreshold) { area++; inside += probs[i]; }
                }
                float classProb = 1f / (1f + MathF.Exp(-cat[(image * classes + points[k].ClassIndex) * cells + cellOf[k]]));
                float maskness = area == 0 ? 0f : (float)(inside / area);
                candidates[k, l] = (classProb * maskness, probs);
            }
        }
        var result = new List<PointProposal>();
        for (int k = 0; k < points.Count; k++)
        {
            switch (selection)
            {
                case LevelSelection.AllLevels:
                    for (int l = 0; l < levels; l++) result.Add(new PointProposal(k, l, candidates[k, l].Score, candidates[k, l].Mask));
                    break;
                case LevelSelection.SingleLevel:
                    result.Add(new PointProposal(k, 0, candidates[k, 0].Score, candidates[k, 0].Mask));
                    break;
                case LevelSelection.GroundTruthSize:
                {
                    int l = Math.Clamp(groundTruthLevels![k], 0, levels - 1);
                    result.Add(new PointProposal(k, l, candidates[k, l].Score, candidates[k, l].Mask));
                    break;
                }
                default:
                {
                    int best = 0;
                    for (int l = 1; l < levels; l++) if (candidates[k, l].Score > candidates[k, best].Score) best = l;
                    result.Add(new PointProposal(k, best, candidates[k, best].Score, candidates[k, best].Mask));
                    break;
                }
            }
        }
        return result;
    }
}
