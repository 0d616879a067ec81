using Clickscape.Models.Profiling;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Backbones;

/// <summary>
/// Applies a <see cref="SparseConv3d"/> under a profiling label naming its kind and level
/// (e.g. <c>subm3 L0 16→16</c>, <c>down L1 32→48</c>, <c>up L1 48→32</c>), so a step's time can be split by layer.
/// </summary>
internal static class ProfiledConv
{
    /// <summary>Runs <paramref name="conv"/> on <paramref name="input"/> (output on the input's own voxels, or downsampled).</summary>
    public static SparseTensor Apply(SparseConv3d conv, SparseTensor input)
    {
        if (!LayerProfile.Enabled) return conv.Forward(input);
        var output = input.Coords.Downsample(conv.Stride);
        return new SparseTensor(output, LayerProfile.Run(Label(conv, input.Coords), input.Features,
            x => conv.Forward(input.WithFeatures(x), output).Features));
    }

    /// <summary>Runs a transposed <paramref name="conv"/> from <paramref name="input"/> onto the finer set <paramref name="output"/>.</summary>
    public static SparseTensor Apply(SparseConv3d conv, SparseTensor input, SparseCoords output)
    {
        if (!LayerProfile.Enabled) return conv.Forward(input, output);
        return new SparseTensor(output, LayerProfile.Run(Label(conv, output), input.Features,
            x => conv.Forward(input.WithFeatures(x), output).Features));
    }

    private static string Label(SparseConv3d conv, SparseCoords fine)
    {
        int level = System.Numerics.BitOperations.Log2((uint)fine.TensorStride);
        string kind = conv.Transposed ? "up" : conv.Stride > 1 ? "down" : $"subm{conv.KernelSize}";
        return $"{kind} L{level} {conv.InChannels}→{conv.OutChannels}";
    }
}
