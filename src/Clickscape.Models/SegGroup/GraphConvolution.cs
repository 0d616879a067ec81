using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Ops;

namespace Clickscape.Models.SegGroup;

/// <summary>
/// SegGroup's graph convolution step (§3.2 "Node Feature Acquisition", Eq. 1–3; Kipf and Welling, ICLR 2017): with the
/// similarity of adjacent nodes e_ij = exp(−λ‖h_i − h_j‖₂) (λ = 1/8) and e_ii = 1, the row-normalized coefficients
/// a_ij = e_ij / (e_ii + Σ_k e_ik), and a shared weight W without bias,
/// h′_i = ReLU(a_ii·W h_i + Σ_j a_ij·W h_j). Output width = input width (REFERENCE.md §4).
/// </summary>
/// <remarks>
/// The coefficients are differentiable functions of h (as in the public code, where the similarity matrix is built
/// from the same features): the step is composed of engine operations (gather, squared norm, exp, scatter-add,
/// broadcast divide, linear, ReLU) whose backwards make its gradient. A node without neighbours keeps a_ii = 1.
/// </remarks>
public sealed class GraphConvolution : Module
{
    /// <summary>λ of Eq. 1 (the paper's 1/8).</summary>
    public const float Lambda = 1f / 8f;

    private const float DistanceEpsilon = 1e-12f; // keeps ∂‖·‖ finite when two nodes have equal features

    private readonly Linear _weight;

    /// <summary>A step over nodes with <paramref name="channels"/> features.</summary>
    public GraphConvolution(int channels, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Channels = channels;
        _weight = RegisterModule("fc", new Linear(channels, channels, random, bias: false));
    }

    /// <summary>Feature width in and out.</summary>
    public int Channels { get; }

    /// <summary>h′ [M, C] from h [M, C] and the undirected edges (<paramref name="edgeA"/>[e], <paramref name="edgeB"/>[e]).</summary>
    public Tensor Forward(Tensor h, int[] edgeA, int[] edgeB)
    {
        ArgumentNullException.ThrowIfNull(h);
        ArgumentNullException.ThrowIfNull(edgeA);
        ArgumentNullException.ThrowIfNull(edgeB);
        if (h.Rank != 2 || h.Dim(1) != Channels) throw new ArgumentException($"GraphConvolution: expected h [M,{Channels}], got [{string.Join(",", h.ShapeArray())}]");
        if (edgeA.Length != edgeB.Length) throw new ArgumentException("GraphConvolution: edge lists of different lengths");
        int m = h.Dim(0), e = edgeA.Length;
        Tensor normalized;
        if (e == 0)
        {
            normalized = h;
        }
        else
        {
            // both directions: target i receives from source j
            var target = new int[2 * e];
            var source = new int[2 * e];
            for (int t = 0; t < e; t++)
            {
                target[t] = edgeA[t];
                source[t] = edgeB[t];
                target[e + t] = edgeB[t];
                source[e + t] = edgeA[t];
            }
            var hs = h.IndexSelect(source);
            var distance = ((h.IndexSelect(target) - hs).Square().Sum(1, keepDim: true) + DistanceEpsilon).Sqrt(); // [2E, 1]
            var similarity = (distance * -Lambda).Exp();                                                            // e_ij
            var numerator = h + IndexOps.ScatterAdd(hs * similarity, target, m);                                     // e_ii h_i + Σ e_ij h_j
            var denominator = IndexOps.ScatterAdd(similarity, target, m) + 1f;                                       // e_ii + Σ e_ik
            normalized = numerator / denominator;
        }
        return _weight.Forward(normalized).Relu();
    }
}
