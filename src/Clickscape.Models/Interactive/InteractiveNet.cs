using Clickscape.Models.Backbones;
using Clickscape.Models.Heads;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Interactive;

/// <summary>
/// The network of interactive 3D object segmentation (Kontogianni et al., "Interactive Object Segmentation in 3D Point
/// Clouds", §III-B; REFERENCE.md §5): a sparse voxel U-Net over C + 2 input channels — colour in [0, 1] plus the
/// positive and negative click masks of Eq. 1 (<see cref="ClickCubes"/>), averaged per 5 cm voxel — whose last layer is
/// a two-class (background, foreground) classifier. The reference uses MinkUNet34C; here the backbone is the project's
/// <see cref="SparseUNet"/> (PointGroup's layout) of configurable widths, so the same engine and kernel maps serve both.
/// </summary>
/// <remarks>Parameter names: <c>backbone.…</c> (the U-Net's own), <c>cls.weight</c>, <c>cls.bias</c>.</remarks>
public sealed class InteractiveNet : Module<SparseTensor, Tensor>
{
    /// <summary>Input channels: r, g, b in [0, 1], T_p, T_n.</summary>
    public const int InputChannels = 5;

    /// <summary>Creates the network.</summary>
    public InteractiveNet(Random random, IReadOnlyList<int> widths, int blocksPerLevel, float bnEps = 1e-4f, float bnMomentum = 0.1f)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(widths);
        Backbone = RegisterModule("backbone", new SparseUNet(InputChannels, widths, blocksPerLevel, random, bnEps, bnMomentum));
        Classifier = RegisterModule("cls", new SemanticHead(widths[0], 2, random));
    }

    /// <summary>The sparse U-Net.</summary>
    public SparseUNet Backbone { get; }

    /// <summary>Two-class logits per voxel (index 1 = the object).</summary>
    public SemanticHead Classifier { get; }

    /// <summary>Logits [V, 2] for the voxels of <paramref name="input"/> (features [V, 5]).</summary>
    public override Tensor Forward(SparseTensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Channels != InputChannels) throw new ArgumentException($"InteractiveNet: input has {input.Channels} channels, expected {InputChannels} (r, g, b, T_p, T_n)");
        return Classifier.Forward(Backbone.Forward(input).Features);
    }
}
