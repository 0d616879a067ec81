using Clickscape.Models.Backbones;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Interactive;

/// <summary>
/// The click-independent part of <see cref="InteractiveFastNet"/> for one scene: per voxel the backbone features F,
/// keys K = F W_k and values V = F W_v, and the voxel centres (metres). Computed once when a scan opens.
/// </summary>
/// <param name="Features">F [V, C].</param>
/// <param name="Keys">K [V, d].</param>
/// <param name="Values">V [V, d].</param>
/// <param name="Centres">x, y, z per voxel (metres, the frame of the clicks).</param>
public sealed record FastSceneFeatures(Tensor Features, Tensor Keys, Tensor Values, float[] Centres)
{
    /// <summary>Voxels.</summary>
    public int VoxelCount => Features.Dim(0);
}

/// <summary>One click as the fast head sees it: the voxel row it falls in, its sign and its position (metres).</summary>
public readonly record struct VoxelClick(int Voxel, bool Positive, float X, float Y, float Z);

/// <summary>
/// <c>interactive-fast</c>: interactive single-object segmentation with the click-independent work done once per scene,
/// after AGILE3D (Yue et al., "AGILE3D: Attention Guided Interactive Multi-object 3D Segmentation", ICLR 2024, §3):
/// a sparse U-Net encodes the scene from colour alone (no click channels), and a light click-conditioned head runs per
/// click. Each click becomes a query from the backbone feature of its voxel (q = F_c W_q + e_sign, a learned
/// positive/negative embedding), refined by one cross-attention over the scene's voxels,
/// q' = q + W_o · softmax((q Kᵀ)/√d − α·D) V, where D is the Euclidean distance from the click to every voxel
/// centre and α = exp(a) a learned locality scale (AGILE3D's spatial encoding, reduced to one distance bias).
/// The click's score map is s = (q' Kᵀ)/√d − α·D; the foreground logit of a voxel is the best positive click's score
/// minus the best of the negative clicks' scores and a learned background level b (AGILE3D's per-object max over its
/// click queries, with the background as the competing object).
/// </summary>
/// <remarks>
/// Queries do not attend to each other, so a click's score map depends on that click alone: the head costs
/// O(clicks · voxels · d) per prediction on the cached <see cref="FastSceneFeatures"/>. Parameter names:
/// <c>backbone.…</c>, <c>key.weight</c>, <c>value.weight</c>, <c>query.weight</c>, <c>query.bias</c>, <c>out.weight</c>,
/// <c>sign</c> [2, d], <c>log_alpha</c> [1], <c>background</c> [1].
/// </remarks>
public sealed class InteractiveFastNet : Module
{
    /// <summary>Input channels of the backbone: r, g, b in [0, 1].</summary>
    public const int InputChannels = 3;

    /// <summary>Creates the network with head width <paramref name="headWidth"/>.</summary>
    public InteractiveFastNet(Random random, IReadOnlyList<int> widths, int blocksPerLevel, int headWidth, float bnEps = 1e-4f, float bnMomentum = 0.1f)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headWidth);
        HeadWidth = headWidth;
        Backbone = RegisterModule("backbone", new SparseUNet(InputChannels, widths, blocksPerLevel, random, bnEps, bnMomentum));
        int c = widths[0];
        Key = RegisterModule("key", new Linear(c, headWidth, random, bias: false));
        Value = RegisterModule("value", new Linear(c, headWidth, random, bias: false));
        Query = RegisterModule("query", new Linear(c, headWidth, random));
        Out = RegisterModule("out", new Linear(headWidth, headWidth, random, bias: false));
        Sign = RegisterParameter("sign", Tensor.Randn(random, 0.1f, 2, headWidth));
        LogAlpha = RegisterParameter("log_alpha", Tensor.Full(MathF.Log(2f), 1));
        Background = RegisterParameter("background", Tensor.Zeros(1));
    }

    /// <summary>d.</summary>
    public int HeadWidth { get; }

    /// <summary>The scene encoder.</summary>
    public SparseUNet Backbone { get; }

    /// <summary>W_k.</summary>
    public Linear Key { get; }

    /// <summary>W_v.</summary>
    public Linear Value { get; }

    /// <summary>W_q (with bias).</summary>
    public Linear Query { get; }

    /// <summary>W_o.</summary>
    public Linear Out { get; }

    /// <summary>e_sign: row 0 negative, row 1 positive.</summary>
    public Tensor Sign { get; }

    /// <summary>a of α = exp(a), per metre.</summary>
    public Tensor LogAlpha { get; }

    /// <summary>b, the background's score.</summary>
    public Tensor Background { get; }

    /// <summary>The click-independent features of a scene: <paramref name="input"/> holds r, g, b per voxel; <paramref name="centres"/> the voxel centres.</summary>
    public FastSceneFeatures Encode(SparseTensor input, float[] centres)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(centres);
        if (input.Channels != InputChannels) throw new ArgumentException($"InteractiveFastNet: input has {input.Channels} channels, expected {InputChannels} (r, g, b)");
        if (centres.Length != 3 * input.Count) throw new ArgumentException($"InteractiveFastNet: {centres.Length / 3} centres for {input.Count} voxels");
        var f = Backbone.Forward(input).Features;
        return new FastSceneFeatures(f, Key.Forward(f), Value.Forward(f), centres);
    }

    /// <summary>
    /// Foreground logits [count] of voxels start..start+count−1 of <paramref name="scene"/> for <paramref name="clicks"/>
    /// (at least one positive; click voxels are rows of the whole scene).
    /// </summary>
    public Tensor Logits(FastSceneFeatures scene, int start, int count, IReadOnlyList<VoxelClick> clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        var positives = new List<int>();
        var negatives = new List<int>();
        for (int i = 0; i < clicks.Count; i++) (clicks[i].Positive ? positives : negatives).Add(i);
        if (positives.Count == 0) throw new ArgumentException("InteractiveFastNet: at least one positive click is needed", nameof(clicks));
        var scores = Scores(scene, start, count, clicks);                               // [m, count]
        var best = scores.IndexSelect([.. positives]).Max(0);                             // [count]
        var background = Tensor.Ones(1, count) * Background;
        var rival = negatives.Count == 0 ? background : Tensor.Concat([scores.IndexSelect([.. negatives]), background], 0);
        return best - rival.Max(0);
    }

    /// <summary>The score map s [clicks, count] of every click over voxels start..start+count−1 (before the max over clicks).</summary>
    public Tensor Scores(FastSceneFeatures scene, int start, int count, IReadOnlyList<VoxelClick> clicks)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(clicks);
        if (start < 0 || count <= 0 || start + count > scene.VoxelCount) throw new ArgumentOutOfRangeException(nameof(count), $"InteractiveFastNet: voxels [{start}, {start + count}) outside 0..{scene.VoxelCount}");
        if (clicks.Count == 0) throw new ArgumentException("InteractiveFastNet: no clicks", nameof(clicks));
        for (int i = 0; i < clicks.Count; i++)
        {
            if ((uint)clicks[i].Voxel >= (uint)scene.VoxelCount) throw new ArgumentOutOfRangeException(nameof(clicks), clicks[i].Voxel, $"click {i} is in voxel {clicks[i].Voxel}, the scene has {scene.VoxelCount}");
        }
        int m = clicks.Count;
        var distance = new float[m * count];
        for (int i = 0; i < m; i++)
        {
            var c = clicks[i];
            var row = distance.AsSpan(i * count, count);
            for (int v = 0; v < count; v++)
            {
                int j = 3 * (start + v);
                float dx = scene.Centres[j] - c.X, dy = scene.Centres[j + 1] - c.Y, dz = scene.Centres[j + 2] - c.Z;
                row[v] = MathF.Sqrt(dx * dx + dy * dy + dz * dz);
            }
        }
        var keys = count == scene.VoxelCount ? scene.Keys : scene.Keys.Slice(0, start, count);
        var values = count == scene.VoxelCount ? scene.Values : scene.Values.Slice(0, start, count);
        var clickVoxels = clicks.Select(c => c.Voxel).ToArray();
        var signs = clicks.Select(c => c.Positive ? 1 : 0).ToArray();
        var q = Query.Forward(scene.Features.IndexSelect(clickVoxels)) + Sign.IndexSelect(signs);
        var bias = Tensor.FromArray(distance, m, count) * LogAlpha.Exp();
        float scale = 1f / MathF.Sqrt(HeadWidth);
        var attention = (q.MatMul(keys, transposeOther: true) * scale - bias).Softmax();
        var refined = q + Out.Forward(attention.MatMul(values));
        return refined.MatMul(keys, transposeOther: true) * scale - bias;
    }
}
