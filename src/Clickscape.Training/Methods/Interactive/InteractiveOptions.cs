using Clickscape.Training.Configs;

namespace Clickscape.Training.Methods.Interactive;

/// <summary>
/// The <c>model</c> section of the interactive methods (types <c>Interactive-v1</c>, <c>InteractiveFast-v1</c>): the
/// sparse U-Net's level widths and blocks per level, and the fast head's width. The reference's MinkUNet34C is far
/// larger (planes 32…256, 2–6 blocks per level); these defaults are sized for a 2-core CPU.
/// </summary>
public sealed class InteractiveModelOptions
{
    /// <summary>Channels per U-Net level, finest first.</summary>
    public int[] Widths { get; set; } = [16, 32, 48, 64, 80];

    /// <summary>Residual blocks per level.</summary>
    public int Blocks { get; set; } = 1;

    /// <summary>Width d of the fast head's queries, keys and values (<c>InteractiveFast-v1</c> only).</summary>
    public int HeadWidth { get; set; } = 32;

    /// <summary>
    /// A semantic-segmentation run (or checkpoint) whose backbone initializes the network, as the paper initializes from a
    /// pretrained MinkUNet (<see cref="BackbonePretraining"/>); null = random initialization. Used when training starts only.
    /// </summary>
    public string? Pretrained { get; set; }

    /// <summary>BatchNorm ε.</summary>
    public float BnEps { get; set; } = 1e-4f;

    /// <summary>BatchNorm momentum.</summary>
    public float BnMomentum { get; set; } = 0.1f;

    /// <summary>Throws a <see cref="ConfigException"/> for sizes that cannot build a network.</summary>
    public void Validate()
    {
        if (Widths.Length == 0 || Widths.Any(w => w < 1) || Blocks < 1 || HeadWidth < 1)
            throw new ConfigException("config section 'model': widths, blocks and head_width must be positive");
    }
}

/// <summary>
/// The <c>loss</c> section (type <c>InteractiveCE-v1</c>): how training crops and clicks are made (REFERENCE.md §5,
/// InterObject3D's data): per sample one object of a benchmark class (walls and floors included), a
/// <see cref="CropSize"/> × <see cref="CropSize"/> m full-height crop centred on its box, positives U{1..<see cref="MaxPositive"/>}
/// on the object, negatives U{1..<see cref="MaxNegative"/>} in its x-y box enlarged by <see cref="NegativeMargin"/> × its extent per
/// side; cross-entropy on the points.
/// </summary>
public sealed class InteractiveLossOptions
{
    /// <summary>Side of the square x-y crop, metres.</summary>
    public float CropSize { get; set; } = 5f;

    /// <summary>Most positive clicks per sample (uniform from 1).</summary>
    public int MaxPositive { get; set; } = 5;

    /// <summary>Most negative clicks per sample (uniform from 1).</summary>
    public int MaxNegative { get; set; } = 15;

    /// <summary>Enlargement of the object's x-y box per side, as a fraction of its extent, where negatives are drawn.</summary>
    public float NegativeMargin { get; set; } = 0.2f;

    /// <summary>Objects with fewer points in the sample are not trained on.</summary>
    public int MinObjectPoints { get; set; } = 30;

    /// <summary>Half-edge ε of a click's cube (Eq. 1), metres.</summary>
    public float ClickHalfEdge { get; set; } = 0.05f;

    /// <summary>
    /// Probability that a batch first runs the network without gradients and adds, per sample, the protocol's click on
    /// the largest error of that prediction (clicks from the model's own errors); 0 = random clicks only.
    /// </summary>
    public float ErrorClickProbability { get; set; }

    /// <summary>
    /// Weight of the object's points in the cross-entropy (1 = the reference's plain CE). An object is a small part of its
    /// 5 m crop, and a short CPU run collapses to "all background" without it.
    /// </summary>
    public float ForegroundWeight { get; set; } = 1f;

    /// <summary>
    /// Weight of a soft Dice term (Milletari et al., "V-Net", 3DV 2016, Eq. 1) over the crop's foreground probabilities,
    /// added to the cross-entropy as AGILE3D trains its masks (0 = the reference's CE alone).
    /// </summary>
    public float DiceWeight { get; set; }

    /// <summary>Throws a <see cref="ConfigException"/> for values that cannot make crops.</summary>
    public void Validate()
    {
        if (!(CropSize > 0) || MaxPositive < 1 || MaxNegative < 0 || !(NegativeMargin >= 0) || MinObjectPoints < 1 || !(ClickHalfEdge > 0)
            || !(ErrorClickProbability >= 0 && ErrorClickProbability <= 1) || !(ForegroundWeight > 0) || !(DiceWeight >= 0))
            throw new ConfigException("config section 'loss': crop_size, max_positive, min_object_points, click_half_edge must be > 0, max_negative and negative_margin ≥ 0, error_click_probability in [0, 1], foreground_weight > 0, dice_weight ≥ 0");
    }
}
