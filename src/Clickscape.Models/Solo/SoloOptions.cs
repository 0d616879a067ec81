namespace Clickscape.Models.Solo;

/// <summary>
/// The shape of a small SOLOv2-style network (Wang et al., "SOLOv2: Dynamic and Fast Instance Segmentation", NeurIPS
/// 2020) sized for a CPU: square inputs of <see cref="InputSize"/> pixels, a 4-stage strided backbone, an FPN of
/// <see cref="Grids"/>.Count levels P2… (strides 4, 8, 16, …), category and kernel branches on S×S grids per level, a
/// unified mask-feature branch at stride 4 and dynamic 1×1 mask kernels of <see cref="MaskChannels"/> weights.
/// </summary>
/// <remarks>SOLOv2 on COCO: 5 levels, grids 40/36/24/16/12, scale ranges (1,96)/(48,192)/(96,384)/(192,768)/(384,2048)
/// pixels of √(wh), 256 channels. Here the ranges are fractions of the input side (overlapping like SOLOv2's) so the
/// assignment scales with <see cref="InputSize"/>; the defaults keep the same ratio between consecutive levels.</remarks>
public sealed record SoloOptions
{
    /// <summary>Classes of the category branch (foreground only).</summary>
    public int Classes { get; init; } = 8;

    /// <summary>Input side in pixels (images are resized to InputSize × InputSize); a multiple of 32.</summary>
    public int InputSize { get; init; } = 128;

    /// <summary>Backbone stage widths (strides 4, 8, 16, 32 after a stride-2 stem of half the first width).</summary>
    public IReadOnlyList<int> BackboneChannels { get; init; } = [24, 48, 64, 96];

    /// <summary>FPN and head width.</summary>
    public int Channels { get; init; } = 32;

    /// <summary>Weights of one dynamic mask kernel (= channels of the mask features).</summary>
    public int MaskChannels { get; init; } = 24;

    /// <summary>Grid S of each FPN level, finest first (the level count).</summary>
    public IReadOnlyList<int> Grids { get; init; } = [20, 12, 8];

    /// <summary>Per level, the [low, high) range of an instance's scale √(w·h), as fractions of <see cref="InputSize"/>.</summary>
    public IReadOnlyList<(double Low, double High)> ScaleRanges { get; init; } = [(0, 0.25), (0.1875, 0.5), (0.375, 10)];

    /// <summary>ε of SOLO's centre region: cells within σ·(half box) of the mass centre are positive (0.2).</summary>
    public double CentreSigma { get; init; } = 0.2;

    /// <summary>Convolutions in each of the category and kernel branches before the output conv.</summary>
    public int HeadConvs { get; init; } = 2;

    /// <summary>Validates the options once.</summary>
    public void Validate()
    {
        if (Classes < 1) throw new ArgumentException($"solo: classes {Classes} must be ≥ 1");
        if (InputSize < 32 || InputSize % 32 != 0) throw new ArgumentException($"solo: input size {InputSize} must be a positive multiple of 32");
        if (BackboneChannels.Count != 4) throw new ArgumentException("solo: backbone channels must list 4 stages");
        if (Grids.Count < 1 || Grids.Count > 4 || Grids.Count != ScaleRanges.Count) throw new ArgumentException("solo: 1–4 levels, one grid and one scale range each");
        if (Channels % 8 != 0 || MaskChannels % 8 != 0) throw new ArgumentException("solo: channels and mask channels must be multiples of 8 (group norm)");
    }
}
