using Clickscape.Models.Backbones;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.PartFusion;

/// <summary>
/// What <see cref="PartFusionNet"/> reads: the voxels of a batch of shapes. Every point takes its voxel's features (nearest
/// instead of the paper's trilinear interpolation), so the network runs once per voxel, and a point's outputs are its voxel's
/// (offsets moved by the point's place in the voxel, <see cref="PartLevelOutput"/>).
/// </summary>
/// <param name="Voxels">Voxel features (the sparse U-Net's input).</param>
/// <param name="Positions">V × 3 mean point position of every voxel (the <c>p</c> of F_fusion).</param>
/// <param name="Shapes">The voxel rows of every shape.</param>
/// <param name="Weights">Points per voxel (V): the fusion's sums run over points.</param>
/// <param name="ClassBias">Optional, per level a V × c_k tensor added to the logits (0 for the classes a voxel may take, −10⁴ for
/// the others): how a network shared by several categories keeps each shape to its category's parts, as PartNet's one network
/// per category does. Null: every class.</param>
public sealed record PartFusionInput(SparseTensor Voxels, Tensor Positions, IReadOnlyList<int[]> Shapes, float[] Weights, IReadOnlyList<Tensor>? ClassBias = null)
{
    /// <summary>
    /// The input of voxels <paramref name="voxels"/> (batch coordinate = shape index) holding the points at
    /// <paramref name="positions"/> (N × 3, point i in voxel <paramref name="pointToVoxel"/>[i]): voxel mean positions,
    /// point counts and the voxel rows of every shape; <paramref name="classBias"/>(level, shape index) gives a shape's logit
    /// bias row of a level (or null for none).
    /// </summary>
    public static PartFusionInput Create(SparseTensor voxels, int[] pointToVoxel, ReadOnlySpan<float> positions, int levels = 0, Func<int, int, float[]>? classBias = null)
    {
        ArgumentNullException.ThrowIfNull(voxels);
        ArgumentNullException.ThrowIfNull(pointToVoxel);
        int v = voxels.Count;
        if (positions.Length != 3 * pointToVoxel.Length) throw new ArgumentException($"part input: {positions.Length / 3.0} positions for {pointToVoxel.Length} points");
        var sum = new double[3 * v];
        var weights = new float[v];
        for (int i = 0; i < pointToVoxel.Length; i++)
        {
            int j = pointToVoxel[i];
            weights[j]++;
            for (int c = 0; c < 3; c++) sum[3 * j + c] += positions[3 * i + c];
        }
        var mean = new float[3 * v];
        for (int j = 0; j < v; j++)
        {
            if (weights[j] == 0) throw new ArgumentException($"part input: voxel {j} holds no point");
            for (int c = 0; c < 3; c++) mean[3 * j + c] = (float)(sum[3 * j + c] / weights[j]);
        }
        var coords = voxels.Coords.Coordinates;
        var byShape = new SortedDictionary<int, List<int>>();
        for (int j = 0; j < v; j++)
        {
            int b = coords[4 * j];
            if (!byShape.TryGetValue(b, out var rows)) byShape[b] = rows = [];
            rows.Add(j);
        }
        Tensor[]? bias = null;
        if (classBias is not null && levels > 0)
        {
            bias = new Tensor[levels];
            for (int k = 0; k < levels; k++)
            {
                float[]? data = null;
                int width = 0;
                foreach (var (b, rows) in byShape)
                {
                    var row = classBias(k, b);
                    if (data is null) { width = row.Length; data = new float[(long)v * width]; }
                    if (row.Length != width) throw new ArgumentException("part input: class bias rows of one level differ in width");
                    foreach (int j in rows) row.CopyTo(data, (long)j * width);
                }
                bias[k] = Tensor.FromArray(data ?? [], v, width);
            }
        }
        return new PartFusionInput(voxels, Tensor.FromArray(mean, v, 3), byShape.Values.Select(r => r.ToArray()).ToArray(), weights, bias);
    }
}

/// <summary>
/// The outputs of one level, per voxel. A point p in voxel v takes the voxel's logits and the offsets O(v) + (p̄_v − p), so
/// every point of a voxel is moved to the same predicted centre p̄_v + O(v).
/// </summary>
/// <param name="Semantic">V × c_k class logits.</param>
/// <param name="InstanceOffset">V × 3 offsets O_I from the voxel's mean point to the instance centre.</param>
/// <param name="RegionOffset">V × 3 offsets O_S to the semantic region centre (§3.3).</param>
public sealed record PartLevelOutput(Tensor Semantic, Tensor InstanceOffset, Tensor RegionOffset);

/// <summary>
/// The multi-level part instance segmentation network of Sun et al. (CVPR 2022 workshop / arXiv 2208.04766, §3,
/// Fig. 2 and 4): a sparse U-Net encoder-decoder (ours instead of O-CNN) whose voxel features are read at every point
/// (the voxel's feature: nearest instead of trilinear interpolation, so it runs per voxel), a semantic branch F_sem and an instance branch
/// F_ins (one point-wise layer each, for the paper's two decoders), and per level k a two-layer semantic MLP
/// (→ P_sem^(k)), a level instance feature F_ins^(k) and a two-layer offset MLP that predicts O_I^(k) and O_S^(k).
/// With fusion the offset MLP reads F_fusion^(k) = [F̂^(k,r) for r in R(k), F_ins^(k), p] (Eq. 3–6, each F̂ through
/// a 1×1 conv–BN–LeakyReLU as in the reference code), R(k) = {k} (single / multi-level) or all levels (cross-level);
/// without fusion it reads F_ins^(k). The single-level variants hold one such network per level, sharing nothing, so
/// training them together is training each alone.
/// </summary>
/// <remarks>
/// Parameter names: <c>tower{t}.backbone.*</c>, <c>tower{t}.sem_branch</c>, <c>tower{t}.ins_branch</c>,
/// <c>tower{t}.level{k}.sem{0,1}</c>, <c>.ins</c>, <c>.fuse{r}</c>, <c>.off{0,1}</c>.
/// </remarks>
public sealed class PartFusionNet : Module<PartFusionInput, IReadOnlyList<PartLevelOutput>>
{
    private readonly List<Tower> _towers = [];

    /// <summary>Creates the network for <paramref name="inChannels"/> voxel features.</summary>
    public PartFusionNet(Random random, int inChannels, PartFusionOptions options)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Levels < 1 || options.Classes.Any(c => c < 1)) throw new ArgumentException("part fusion network: every level needs at least one class");
        Options = options;
        if (options.SingleLevel)
        {
            for (int k = 0; k < options.Levels; k++) _towers.Add(RegisterModule($"tower{k}", new Tower(random, inChannels, options, [k])));
        }
        else
        {
            _towers.Add(RegisterModule("tower0", new Tower(random, inChannels, options, Enumerable.Range(0, options.Levels).ToArray())));
        }
    }

    /// <summary>The options.</summary>
    public PartFusionOptions Options { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<PartLevelOutput> Forward(PartFusionInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var outputs = new PartLevelOutput[Options.Levels];
        foreach (var tower in _towers)
        {
            var levels = tower.Forward(input);
            for (int j = 0; j < tower.Levels.Length; j++) outputs[tower.Levels[j]] = levels[j];
        }
        return outputs;
    }

    /// <summary>The probabilities the fusion aggregates with: softmax (detached with stop-gradient) or its one-hot.</summary>
    internal static Tensor FusionWeights(Tensor logits, PartFusionOptions options)
    {
        var p = logits.Softmax();
        if (options.Aggregation == FusionAggregation.OneHot) return SemanticFeatureFusion.OneHot(p);
        return options.StopGradient ? p.Detach() : p;
    }

    /// <summary>One encoder-decoder with the heads of its levels.</summary>
    private sealed class Tower : Module<PartFusionInput, PartLevelOutput[]>
    {
        private readonly PartFusionOptions _options;
        private readonly SparseUNet _backbone;
        private readonly PointLayer _semBranch, _insBranch;
        private readonly List<Level> _levels = [];

        public Tower(Random random, int inChannels, PartFusionOptions options, int[] levels)
        {
            _options = options;
            Levels = levels;
            int l = options.FeatureWidth;
            _backbone = RegisterModule("backbone", new SparseUNet(inChannels, options.Widths, options.Blocks, random));
            _semBranch = RegisterModule("sem_branch", new PointLayer(_backbone.OutChannels, l, random));
            _insBranch = RegisterModule("ins_branch", new PointLayer(_backbone.OutChannels, l, random));
            foreach (int k in levels)
            {
                // single-level towers fuse over their own level only, whatever the variant says about others
                var fused = options.SingleLevel ? (options.Fusion ? [k] : []) : options.FusedLevels(k);
                _levels.Add(RegisterModule($"level{k}", new Level(random, options.Classes[k], l, fused)));
            }
        }

        public int[] Levels { get; }

        public override PartLevelOutput[] Forward(PartFusionInput input)
        {
            var points = _backbone.Forward(input.Voxels).Features;
            var fSem = _semBranch.Forward(points);
            var fIns = _insBranch.Forward(points);
            var logits = _levels.Select((level, j) => input.ClassBias is { } bias ? level.Semantic(fSem) + bias[Levels[j]] : level.Semantic(fSem)).ToArray();
            // fusion weights by absolute level index (cross-level needs every level of this tower)
            var weights = new Dictionary<int, Tensor>();
            Tensor Weights(int r)
            {
                if (!weights.TryGetValue(r, out var w)) weights[r] = w = FusionWeights(logits[Array.IndexOf(Levels, r)], _options);
                return w;
            }
            var result = new PartLevelOutput[_levels.Count];
            for (int j = 0; j < _levels.Count; j++)
                result[j] = _levels[j].Offsets(logits[j], fIns, input, Weights);
            return result;
        }
    }

    /// <summary>The heads of one level.</summary>
    private sealed class Level : Module
    {
        private readonly PointLayer _sem0, _ins, _off0;
        private readonly Linear _sem1, _off1;
        private readonly List<(int Level, PointLayer Layer)> _fuse = [];

        public Level(Random random, int classes, int l, IReadOnlyList<int> fused)
        {
            _sem0 = RegisterModule("sem0", new PointLayer(l, l, random));
            _sem1 = RegisterModule("sem1", new Linear(l, classes, random));
            _ins = RegisterModule("ins", new PointLayer(l, l, random));
            foreach (int r in fused) _fuse.Add((r, RegisterModule($"fuse{r}", new PointLayer(l, l, random, leakySlope: 0.2f))));
            int width = fused.Count == 0 ? l : l * (fused.Count + 1) + 3;
            _off0 = RegisterModule("off0", new PointLayer(width, l, random));
            _off1 = RegisterModule("off1", new Linear(l, 6, random));
        }

        public Tensor Semantic(Tensor fSem) => _sem1.Forward(_sem0.Forward(fSem));

        public PartLevelOutput Offsets(Tensor logits, Tensor fIns, PartFusionInput input, Func<int, Tensor> weights)
        {
            var f = _ins.Forward(fIns);
            Tensor x = f;
            if (_fuse.Count > 0)
            {
                var parts = new List<Tensor>();
                foreach (var (r, layer) in _fuse) parts.Add(layer.Forward(SemanticFeatureFusion.Aggregate(weights(r), f, input.Shapes, input.Weights)));
                parts.Add(f);
                parts.Add(input.Positions);
                x = Tensor.Concat(parts, 1);
            }
            var o = _off1.Forward(_off0.Forward(x));
            return new PartLevelOutput(logits, o.Slice(1, 0, 3), o.Slice(1, 3, 3));
        }
    }
}
