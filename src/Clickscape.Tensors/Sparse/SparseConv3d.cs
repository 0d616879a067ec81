using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Nn;

namespace Clickscape.Tensors.Sparse;

/// <summary>
/// Sparse 3-D convolution layer: submanifold (stride 1, output on the input voxels; Graham et al., CVPR 2018),
/// strided (output on floor(c / stride); e.g. kernel 2 stride 2 downsampling), or transposed (the inverse of a
/// strided layer, reusing that layer's kernel map reversed, output on the finer voxels). No bias, as in
/// PointGroup / spconv U-Nets (a BatchNorm follows).
/// </summary>
/// <remarks>
/// Weight [K³, Cin, Cout], offset index as in <see cref="KernelMap"/>. Initialization as the PyTorch reference
/// (perf-ref/unet_step.py): Kaiming-uniform with a = √5 on the (K³·Cin) × Cout matrix, i.e.
/// U(−1/√(K³·Cin), 1/√(K³·Cin)). The differentiable operation is <see cref="Convolve"/>; forward and backward are
/// the gather → GEMM → scatter kernels of <see cref="SparseConvolution"/>.
/// </remarks>
public sealed class SparseConv3d : Module<SparseTensor, SparseTensor>
{
    /// <summary>Creates the layer with weights drawn from <paramref name="random"/>.</summary>
    public SparseConv3d(int inChannels, int outChannels, int kernelSize, Random random,
        int stride = 1, int dilation = 1, bool transposed = false)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kernelSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stride);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dilation);
        if (stride == 1 && kernelSize % 2 == 0)
            throw new ArgumentException($"SparseConv3d: a stride-1 (submanifold) layer needs an odd kernel size, got {kernelSize}");
        if (transposed && stride == 1)
            throw new ArgumentException("SparseConv3d: a transposed layer inverts a strided one; stride must be > 1");
        (InChannels, OutChannels, KernelSize, Stride, Dilation, Transposed) = (inChannels, outChannels, kernelSize, stride, dilation, transposed);
        int volume = kernelSize * kernelSize * kernelSize;
        float bound = 1f / MathF.Sqrt(volume * inChannels);
        Weight = RegisterParameter("weight", Tensor.Uniform(random, -bound, bound, volume, inChannels, outChannels));
    }

    /// <summary>Input channels.</summary>
    public int InChannels { get; }

    /// <summary>Output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Kernel size per axis.</summary>
    public int KernelSize { get; }

    /// <summary>Stride per axis (1 = submanifold).</summary>
    public int Stride { get; }

    /// <summary>Dilation per axis.</summary>
    public int Dilation { get; }

    /// <summary>True for the transposed (upsampling) direction.</summary>
    public bool Transposed { get; }

    /// <summary>W [K³, Cin, Cout].</summary>
    public Tensor Weight { get; }

    /// <summary>
    /// Applies the layer. A transposed layer writes onto <c>input.Coords.Finer</c>, the set the input's
    /// coordinates were downsampled from; use <see cref="Forward(SparseTensor, SparseCoords)"/> to name it.
    /// </summary>
    public override SparseTensor Forward(SparseTensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!Transposed) return Forward(input, input.Coords.Downsample(Stride));
        var finer = input.Coords.Finer
            ?? throw new ArgumentException("SparseConv3d (transposed): the input coordinates were not produced by Downsample; pass the output coordinates explicitly");
        return Forward(input, finer);
    }

    /// <summary>Applies the layer with explicit output coordinates (the finer set for a transposed layer).</summary>
    public SparseTensor Forward(SparseTensor input, SparseCoords output)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        if (input.Channels != InChannels)
            throw new ArgumentException($"SparseConv3d: input has {input.Channels} channels, the layer expects {InChannels}");
        KernelMap map;
        if (Transposed)
        {
            map = output.GetKernelMap(KernelSize, Stride, Dilation);
            if (!ReferenceEquals(map.Output, input.Coords))
                throw new ArgumentException("SparseConv3d (transposed): the output coordinates downsampled by the layer's stride are not the input's coordinate set");
        }
        else
        {
            map = input.Coords.GetKernelMap(KernelSize, Stride, Dilation);
            if (!ReferenceEquals(map.Output, output))
                throw new ArgumentException("SparseConv3d: output coordinates must be the input's coordinates downsampled by the layer's stride");
        }
        return new SparseTensor(output, Convolve(map, input.Features, Weight, Transposed));
    }

    /// <summary>
    /// Differentiable sparse convolution of <paramref name="features"/> [rows, Cin] with <paramref name="weight"/>
    /// [K³, Cin, Cout] over <paramref name="map"/>: regular (features on map.Input, result on map.Output) or
    /// transposed (features on map.Output, result on map.Input). Backward adds dX and dW (one pass, see
    /// <see cref="SparseConvolution.Backward"/>).
    /// </summary>
    public static Tensor Convolve(KernelMap map, Tensor features, Tensor weight, bool transposed)
    {
        ArgumentNullException.ThrowIfNull(map);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 3 || weight.Dim(0) != map.Volume)
            throw new ArgumentException($"sparse conv: weight has shape {Tensor.ShapeString(weight.Shape)}, expected [{map.Volume}, Cin, Cout]");
        int cin = weight.Dim(1), cout = weight.Dim(2);
        int inRows = transposed ? map.Output.Count : map.Input.Count;
        int outRows = transposed ? map.Input.Count : map.Output.Count;
        if (features.Rank != 2 || features.Dim(0) != inRows || features.Dim(1) != cin)
            throw new ArgumentException($"sparse conv: features have shape {Tensor.ShapeString(features.Shape)}, expected [{inRows}, {cin}]");

        var x = new ReadOnlyMemory<float>(features.Storage, 0, features.Length);
        var w = new ReadOnlyMemory<float>(weight.Storage, 0, weight.Length);
        var y = Tensor.Empty(outRows, cout);
        var ym = new Memory<float>(y.Storage, 0, y.Length);
        if (transposed) SparseConvolution.TransposedForward(map, x, w, ym, cin, cout);
        else SparseConvolution.Forward(map, x, w, ym, cin, cout);

        return Graph.Record(y, [features, weight], gy =>
        {
            // Storage is read again here, not captured from the forward: features.Storage throws if the input was
            // disposed (its pooled array reused) between forward and backward.
            var xb = new ReadOnlyMemory<float>(features.Storage, 0, features.Length);
            var wb = new ReadOnlyMemory<float>(weight.Storage, 0, weight.Length);
            var g = new ReadOnlyMemory<float>(gy.Storage, 0, gy.Length);
            var gx = features.RequiresGrad ? new Memory<float>(features.GradStorage(), 0, features.Length) : Memory<float>.Empty;
            var gw = weight.RequiresGrad ? new Memory<float>(weight.GradStorage(), 0, weight.Length) : Memory<float>.Empty;
            if (transposed) SparseConvolution.TransposedBackward(map, xb, wb, g, gx, gw, cin, cout, accumulate: true);
            else SparseConvolution.Backward(map, xb, wb, g, gx, gw, cin, cout, accumulate: true);
        });
    }
}
