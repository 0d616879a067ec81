using Clickscape.Tensors;
using Clickscape.Tensors.Losses;

namespace Clickscape.Models.Solo;

/// <summary>
/// SOLOv2's loss (Wang et al., NeurIPS 2020, Eq. 1 of SOLO): L = L_cate + λ·L_mask with L_cate the sigmoid focal loss
/// (α 0.25, γ 2) over every cell and class of every level divided by the positive count + 1, and L_mask the mean over
/// positive cells of the Dice loss 1 − 2Σpq/(Σp² + Σq²) between the dynamic mask σ(K·F) and the instance's mask at
/// stride 4; λ = 3 (REFERENCE §7).
/// </summary>
public static class SoloLoss
{
    /// <summary>The loss terms of a batch: total, category, mask (each a scalar tensor).</summary>
    public static (Tensor Total, Tensor Category, Tensor Mask) Compute(SoloNet net, SoloOutput output, IReadOnlyList<IReadOnlyList<SoloInstance>> images, float maskWeight = 3f)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(images);
        var options = net.Options;
        int n = images.Count, levels = options.Grids.Count, size = options.InputSize, classes = options.Classes;
        var targets = images.Select(i => SoloTargets.Assign(options, i)).ToArray();
        int positives = targets.Sum(t => t.Sum(l => l.PositiveCells.Length));

        Tensor? category = null;
        for (int l = 0; l < levels; l++)
        {
            int grid = options.Grids[l], cells = grid * grid;
            var t = Tensor.Zeros(n, classes, grid, grid);
            var d = t.Data;
            for (int b = 0; b < n; b++)
                for (int c = 0; c < cells; c++)
                    if (targets[b][l].CellClass[c] >= 0) d[(b * classes + targets[b][l].CellClass[c]) * cells + c] = 1f;
            var term = SigmoidFocal.Sum(output.CategoryLogits[l], t);
            category = category is null ? term : category + term;
        }
        category = category! / (positives + 1f);

        Tensor? diceSum = null;
        int hw = output.MaskFeatures.Dim(2) * output.MaskFeatures.Dim(3), factor = size / output.MaskFeatures.Dim(2);
        for (int b = 0; b < n; b++)
            for (int l = 0; l < levels; l++)
            {
                var lt = targets[b][l];
                if (lt.PositiveCells.Length == 0) continue;
                var p = SoloNet.MaskLogits(output, b, l, lt.PositiveCells).Sigmoid();
                var q = new float[lt.PositiveCells.Length * hw];
                var small = new Dictionary<int, float[]>();
                for (int k = 0; k < lt.PositiveCells.Length; k++)
                {
                    int inst = lt.PositiveInstance[k];
                    if (!small.TryGetValue(inst, out var m)) small[inst] = m = SoloTargets.Downsample(images[b][inst].Mask, size, factor);
                    m.CopyTo(q, k * hw);
                }
                var target = Tensor.FromArray(q, lt.PositiveCells.Length, hw);
                var dice = RowDice(p, target).Sum();
                diceSum = diceSum is null ? dice : diceSum + dice;
            }
        var mask = diceSum is null ? Tensor.Scalar(0f) : diceSum / positives;
        return (category + mask * maskWeight, category, mask);
    }

    /// <summary>Per row of p, q [P, M]: 1 − 2Σpq/(Σp² + Σq² + ε), ε = 0.002 (SOLOv2's <c>dice_loss</c> adds 0.001 to each sum).</summary>
    public static Tensor RowDice(Tensor p, Tensor q)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(q);
        var inter = (p * q).Sum(1);
        var den = (p.Square().Sum(1) + q.Square().Sum(1)) + 0.002f;
        return 1f - inter * 2f / den;
    }
}
