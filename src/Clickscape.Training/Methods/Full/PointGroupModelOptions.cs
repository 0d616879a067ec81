namespace Clickscape.Training.Methods.Full;

/// <summary>
/// Options of the model <c>PG-v1m1</c>: <see cref="Models.PointGroup.PgUNet"/>, PointGroup's sparse U-Net with
/// semantic, offset and embedding heads (REFERENCE.md §2). PointGroup itself: widths 16, 32, …, 112 (7 levels),
/// 2 blocks per level, BatchNorm ε 1e-4, momentum 0.1.
/// </summary>
public sealed class PointGroupModelOptions
{
    /// <summary>Channels per U-Net level, finest first.</summary>
    public int[] Widths { get; set; } = [16, 32, 48, 64, 80, 96, 112];

    /// <summary>Residual blocks per level.</summary>
    public int Blocks { get; set; } = 2;

    /// <summary>Embedding head width.</summary>
    public int Embedding { get; set; } = 16;

    /// <summary>BatchNorm ε.</summary>
    public float BnEps { get; set; } = 1e-4f;

    /// <summary>BatchNorm momentum.</summary>
    public float BnMomentum { get; set; } = 0.1f;

    /// <summary>The semantic segmentation-assisted instance feature fusion in the offset branch (Sun et al., Table 6; off by default).</summary>
    public bool Fusion { get; set; }
}
