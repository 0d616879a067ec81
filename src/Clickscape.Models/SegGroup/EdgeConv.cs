using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Ops;

namespace Clickscape.Models.SegGroup;

/// <summary>
/// EdgeConv (Wang et al., "Dynamic Graph CNN for Learning on Point Clouds", TOG 2019, Eq. 7–8) as SegGroup's feature
/// extractors use it (§3.2 "Node Feature Acquisition", §3.3; REFERENCE.md §4): for every point i and its k neighbours j,
/// the edge feature (x_j − x_i, x_i) goes through shared 1×1 layers (Linear without bias → BatchNorm → LeakyReLU 0.2,
/// one layer of 64 in the structural and first semantic layer, two (64, 64) in the second), then a max over the k
/// neighbours: y_i = max_j h(x_j − x_i, x_i).
/// </summary>
/// <remarks>
/// Built from engine operations that each carry their own backward (<see cref="EdgeFeatures"/>, linear, batch norm,
/// leaky ReLU, axis max), so its gradient is theirs composed.
/// </remarks>
public sealed class EdgeConv : Module
{
    private readonly Linear[] _linear;
    private readonly BatchNorm1d[] _norm;

    /// <summary>An EdgeConv from <paramref name="inChannels"/> per point through <paramref name="widths"/>.</summary>
    public EdgeConv(int inChannels, IReadOnlyList<int> widths, Random random)
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(random);
        if (widths.Count == 0) throw new ArgumentException("EdgeConv: at least one layer width");
        InChannels = inChannels;
        _linear = new Linear[widths.Count];
        _norm = new BatchNorm1d[widths.Count];
        int c = 2 * inChannels;
        for (int l = 0; l < widths.Count; l++)
        {
            _linear[l] = RegisterModule($"conv{l}", new Linear(c, widths[l], random, bias: false));
            _norm[l] = RegisterModule($"bn{l}", new BatchNorm1d(widths[l]));
            c = widths[l];
        }
        OutChannels = c;
    }

    /// <summary>Input channels per point.</summary>
    public int InChannels { get; }

    /// <summary>Output channels per point.</summary>
    public int OutChannels { get; }

    /// <summary>Slope of the leaky ReLU (DGCNN's 0.2).</summary>
    public const float NegativeSlope = 0.2f;

    /// <summary>y [N, out] from x [N, in] and the k neighbours of every point (row-major N·k indices into the rows of x).</summary>
    public Tensor Forward(Tensor x, int[] neighbors, int k)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 2 || x.Dim(1) != InChannels) throw new ArgumentException($"EdgeConv: expected x [N,{InChannels}], got [{string.Join(",", x.ShapeArray())}]");
        int n = x.Dim(0);
        var h = EdgeFeatures.Forward(x, neighbors, k).Reshape(n * k, 2 * InChannels);
        for (int l = 0; l < _linear.Length; l++)
            h = _norm[l].Forward(_linear[l].Forward(h)).LeakyRelu(NegativeSlope);
        return h.Reshape(n, k, OutChannels).Max(1);
    }
}
