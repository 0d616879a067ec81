using Clickscape.Models.Profiling;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Backbones;

/// <summary>
/// One level of PointGroup's sparse U-Net (Jiang et al., CVPR 2020; spconv-PointGroup <c>UBlock</c>), defined
/// recursively as in perf-ref/unet_step.py:
/// <c>x = blocks(x)</c>; if there is a deeper level,
/// <c>d = down(BN-ReLU(x))</c> (kernel 2, stride 2), <c>d = inner(d)</c>, <c>d = up(BN-ReLU(d))</c> (the transposed
/// conv on the same kernel map), then <c>x = tail(concat(x, d))</c> where the first tail block maps 2C → C
/// through a 1×1-projected shortcut.
/// </summary>
/// <remarks>Parameter names follow the script: <c>blocks.i</c>, <c>down_bn</c>, <c>down</c>, <c>u</c>,
/// <c>up_bn</c>, <c>up</c>, <c>tail.i</c>.</remarks>
public sealed class UBlock : Module<SparseTensor, SparseTensor>
{
    private readonly List<ResidualBlock> _blocks = [];
    private readonly List<ResidualBlock> _tail = [];

    /// <summary>
    /// Creates the level of width <paramref name="widths"/>[0] and, recursively, the levels below it.
    /// </summary>
    /// <param name="widths">Channels per level, finest first (PointGroup: 16, 32, 48, 64, 80, …).</param>
    /// <param name="blocksPerLevel">Residual blocks before the downsampling and after the concatenation.</param>
    /// <param name="random">Weight initialization.</param>
    /// <param name="bnEps">BatchNorm ε.</param>
    /// <param name="bnMomentum">BatchNorm momentum.</param>
    public UBlock(IReadOnlyList<int> widths, int blocksPerLevel, Random random, float bnEps = 1e-4f, float bnMomentum = 0.1f)
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(random);
        if (widths.Count == 0) throw new ArgumentException("UBlock: at least one level width is required", nameof(widths));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blocksPerLevel);
        int c = widths[0];
        Channels = c;
        var blocks = RegisterModule("blocks", new ModuleList());
        for (int i = 0; i < blocksPerLevel; i++) _blocks.Add(blocks.Add(new ResidualBlock(c, c, random, bnEps, bnMomentum)));
        if (widths.Count == 1) return;
        int next = widths[1];
        DownNorm = RegisterModule("down_bn", new BatchNormRelu(c, bnEps, bnMomentum));
        Down = RegisterModule("down", new SparseConv3d(c, next, 2, random, stride: 2));
        Inner = RegisterModule("u", new UBlock(widths.Skip(1).ToList(), blocksPerLevel, random, bnEps, bnMomentum));
        UpNorm = RegisterModule("up_bn", new BatchNormRelu(next, bnEps, bnMomentum));
        Up = RegisterModule("up", new SparseConv3d(next, c, 2, random, stride: 2, transposed: true));
        var tail = RegisterModule("tail", new ModuleList());
        for (int i = 0; i < blocksPerLevel; i++) _tail.Add(tail.Add(new ResidualBlock(i == 0 ? 2 * c : c, c, random, bnEps, bnMomentum)));
    }

    /// <summary>Channels of this level (input and output).</summary>
    public int Channels { get; }

    /// <summary>Pre-activation of the downsampling conv, or null at the deepest level.</summary>
    public BatchNormRelu? DownNorm { get; }

    /// <summary>Kernel-2 stride-2 conv to the next level, or null.</summary>
    public SparseConv3d? Down { get; }

    /// <summary>The next (coarser) level, or null.</summary>
    public UBlock? Inner { get; }

    /// <summary>Pre-activation of the transposed conv, or null.</summary>
    public BatchNormRelu? UpNorm { get; }

    /// <summary>Transposed conv back to this level, or null.</summary>
    public SparseConv3d? Up { get; }

    /// <inheritdoc/>
    public override SparseTensor Forward(SparseTensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Channels != Channels) throw new ArgumentException($"UBlock: input has {input.Channels} channels, the level expects {Channels}");
        var x = input;
        foreach (var block in _blocks) x = block.Forward(x);
        if (Inner is null) return x;
        var d = ProfiledConv.Apply(Down!, DownNorm!.Forward(x));
        d = Inner.Forward(d);
        d = ProfiledConv.Apply(Up!, UpNorm!.Forward(d), x.Coords);
        var skip = x.Features;
        var merged = LayerProfile.Time("concat", () => Tensor.Concat([skip, d.Features], 1));
        x = x.WithFeatures(merged);
        foreach (var block in _tail) x = block.Forward(x);
        return x;
    }

    /// <summary>Children registered by index (<c>0</c>, <c>1</c>, …) like PyTorch's nn.ModuleList.</summary>
    private sealed class ModuleList : Module
    {
        private int _count;

        public T Add<T>(T module) where T : Module =>
            RegisterModule((_count++).ToString(System.Globalization.CultureInfo.InvariantCulture), module);
    }
}
