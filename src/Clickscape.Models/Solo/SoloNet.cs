using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Upsample2d = Clickscape.Tensors.Ops.Upsample2d;

namespace Clickscape.Models.Solo;

/// <summary>What <see cref="SoloNet"/> computes for a batch: per level the category logits [N, C, S, S] and the mask
/// kernels [N, E, S, S], and the shared mask features [N, E, H/4, W/4].</summary>
public sealed record SoloOutput(IReadOnlyList<Tensor> CategoryLogits, IReadOnlyList<Tensor> Kernels, Tensor MaskFeatures);

/// <summary>
/// A small SOLOv2 (Wang et al., NeurIPS 2020): backbone → FPN (Lin et al., CVPR 2017) → for every level the
/// category branch (features resized to S×S, convs, C sigmoid logits per cell) and the kernel branch (the same with
/// two CoordConv channels, E weights per cell), plus the unified mask-feature branch (every level brought to stride 4
/// and summed, CoordConv on the coarsest). The mask of cell (i, j) is σ(kernel_ij · F), a dynamic 1×1 convolution.
/// </summary>
/// <remarks>Heads are shared across levels as in SOLOv2. Category output bias −ln((1 − π)/π), π = 0.01 (focal-loss
/// prior, Lin et al. 2017 §4.1).</remarks>
public sealed class SoloNet : Module<Tensor, SoloOutput>
{
    private readonly List<ConvGnRelu> _backbone = [];
    private readonly List<Conv2d> _lateral = [];
    private readonly List<ConvGnRelu> _smooth = [];
    private readonly List<ConvGnRelu> _category = [];
    private readonly List<ConvGnRelu> _kernel = [];
    private readonly List<ConvGnRelu> _maskLevels = [];

    /// <summary>Creates the network with weights drawn from <paramref name="random"/>.</summary>
    public SoloNet(SoloOptions options, Random random)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        var bc = options.BackboneChannels;
        int c = options.Channels, e = options.MaskChannels, levels = options.Grids.Count;
        // stem (stride 2), then stages of two convs each, the first strided: C2 … C5 at strides 4 … 32
        _backbone.Add(RegisterModule("stem", new ConvGnRelu(3, bc[0] / 2, random, stride: 2)));
        int prev = bc[0] / 2;
        for (int s = 0; s < 4; s++)
        {
            _backbone.Add(RegisterModule($"c{s + 2}a", new ConvGnRelu(prev, bc[s], random, stride: 2)));
            _backbone.Add(RegisterModule($"c{s + 2}b", new ConvGnRelu(bc[s], bc[s], random, dilation: s >= 2 ? 2 : 1)));
            prev = bc[s];
        }
        // FPN over C2..C(levels+1) with the top-down path starting at C5
        for (int s = 0; s < 4; s++) _lateral.Add(RegisterModule($"lateral{s + 2}", new Conv2d(bc[s], c, 1, random)));
        for (int l = 0; l < levels; l++) _smooth.Add(RegisterModule($"fpn{l + 2}", new ConvGnRelu(c, c, random)));
        for (int i = 0; i < options.HeadConvs; i++)
        {
            _category.Add(RegisterModule($"cate{i}", new ConvGnRelu(c, c, random)));
            _kernel.Add(RegisterModule($"kernel{i}", new ConvGnRelu(i == 0 ? c + 2 : c, c, random)));
        }
        CategoryOut = RegisterModule("cate_out", new Conv2d(c, options.Classes, 3, random, padding: 1));
        CategoryOut.Bias!.Data.Fill(-MathF.Log((1 - 0.01f) / 0.01f));
        KernelOut = RegisterModule("kernel_out", new Conv2d(c, e, 3, random, padding: 1));
        for (int l = 0; l < levels; l++) _maskLevels.Add(RegisterModule($"mask{l + 2}", new ConvGnRelu(l == levels - 1 ? c + 2 : c, c, random)));
        MaskOut = RegisterModule("mask_out", new ConvGnRelu(c, e, random, kernelSize: 1));
    }

    /// <summary>The options.</summary>
    public SoloOptions Options { get; }

    /// <summary>Output conv of the category branch.</summary>
    public Conv2d CategoryOut { get; }

    /// <summary>Output conv of the kernel branch.</summary>
    public Conv2d KernelOut { get; }

    /// <summary>Output unit of the mask-feature branch.</summary>
    public ConvGnRelu MaskOut { get; }

    /// <summary>Runs the network on images [N, 3, InputSize, InputSize] (normalized).</summary>
    public override SoloOutput Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        int size = Options.InputSize;
        if (input.Rank != 4 || input.Dim(1) != 3 || input.Dim(2) != size || input.Dim(3) != size)
            throw new ArgumentException($"SoloNet: expected images [N, 3, {size}, {size}], got [{string.Join(", ", input.ShapeArray())}]");
        // backbone
        var x = _backbone[0].Forward(input);
        var stages = new Tensor[4];
        for (int s = 0; s < 4; s++)
        {
            x = _backbone[2 + 2 * s].Forward(_backbone[1 + 2 * s].Forward(x));
            stages[s] = x;
        }
        // FPN top-down: P5 = lat(C5), P_s = lat(C_s) + up(P_{s+1})
        var p = new Tensor[4];
        p[3] = _lateral[3].Forward(stages[3]);
        for (int s = 2; s >= 0; s--)
            p[s] = _lateral[s].Forward(stages[s]) + Upsample2d.Nearest(p[s + 1], stages[s].Dim(2), stages[s].Dim(3));
        int levels = Options.Grids.Count;
        var features = new Tensor[levels];
        for (int l = 0; l < levels; l++) features[l] = _smooth[l].Forward(p[l]);

        // heads per level
        var categories = new List<Tensor>(levels);
        var kernels = new List<Tensor>(levels);
        for (int l = 0; l < levels; l++)
        {
            int grid = Options.Grids[l];
            var withCoords = Tensor.Concat([features[l], CoordinateChannels(input.Dim(0), features[l].Dim(2), features[l].Dim(3))], 1);
            var k = Upsample2d.Bilinear(withCoords, grid, grid);
            foreach (var conv in _kernel) k = conv.Forward(k);
            kernels.Add(KernelOut.Forward(k));
            var cat = Upsample2d.Bilinear(features[l], grid, grid);
            foreach (var conv in _category) cat = conv.Forward(cat);
            categories.Add(CategoryOut.Forward(cat));
        }

        // unified mask features at stride 4
        int h4 = features[0].Dim(2), w4 = features[0].Dim(3);
        Tensor? sum = null;
        for (int l = 0; l < levels; l++)
        {
            var f = l == levels - 1 ? Tensor.Concat([features[l], CoordinateChannels(input.Dim(0), features[l].Dim(2), features[l].Dim(3))], 1) : features[l];
            var m = _maskLevels[l].Forward(f);
            if (l > 0) m = Upsample2d.Bilinear(m, h4, w4);
            sum = sum is null ? m : sum + m;
        }
        return new SoloOutput(categories, kernels, MaskOut.Forward(sum!));
    }

    /// <summary>CoordConv channels (Liu et al. 2018): x and y normalized to [−1, 1], [n, 2, h, w].</summary>
    public static Tensor CoordinateChannels(int n, int h, int w)
    {
        var t = Tensor.Empty(n, 2, h, w);
        var d = t.Data;
        for (int b = 0; b < n; b++)
            for (int i = 0; i < h; i++)
                for (int j = 0; j < w; j++)
                {
                    d[((b * 2) * h + i) * w + j] = w == 1 ? 0 : -1 + 2f * j / (w - 1);
                    d[((b * 2 + 1) * h + i) * w + j] = h == 1 ? 0 : -1 + 2f * i / (h - 1);
                }
        return t;
    }

    /// <summary>The mask logits of chosen cells of one image: σ⁻¹ masks [P, H/4·W/4] = K[cells] · F_n, where
    /// <paramref name="cells"/> index the flattened S×S grid of <paramref name="level"/>.</summary>
    public static Tensor MaskLogits(SoloOutput output, int image, int level, int[] cells)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(cells);
        var kernelMap = output.Kernels[level];
        int e = kernelMap.Dim(1), grid = kernelMap.Dim(2);
        var k = kernelMap.Slice(0, image, 1).Reshape(e, grid * grid).Transpose().IndexSelect(cells); // [P, E]
        var f = output.MaskFeatures;
        var fn = f.Slice(0, image, 1).Reshape(e, f.Dim(2) * f.Dim(3));                           // [E, HW]
        return k.MatMul(fn);
    }
}
