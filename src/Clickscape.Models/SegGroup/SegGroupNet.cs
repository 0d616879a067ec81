using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Ops;

namespace Clickscape.Models.SegGroup;

/// <summary>Hyper-parameters of <see cref="SegGroupNet"/> (defaults: the paper §3.3 and REFERENCE.md §4).</summary>
public sealed record SegGroupNetOptions
{
    /// <summary>Grouping layers run: 1 = structural only, 2, 3 = structural + two semantic (the paper).</summary>
    public int Layers { get; init; } = 3;

    /// <summary>Points every segment is resampled to for the structural layer.</summary>
    public int PointsPerSegment { get; init; } = 64;

    /// <summary>k of the structural layer's EdgeConv.</summary>
    public int StructuralK { get; init; } = 10;

    /// <summary>k of the semantic layers' EdgeConv (inside each cluster).</summary>
    public int SemanticK { get; init; } = 20;

    /// <summary>Merge thresholds e_τ of the three layers.</summary>
    public float[] Thresholds { get; init; } = [6f, 2f, 2f];

    /// <summary>Clusters with fewer points merge into a neighbour after each layer's clustering (the public code's 5).</summary>
    public int MinClusterPoints { get; init; } = 5;

    /// <summary>Points of a cluster fed to a semantic layer at most (farthest-point subset; 0 = all).</summary>
    public int MaxPointsPerCluster { get; init; } = 256;

    /// <summary>Classifier outputs (the 40 nyu40 classes).</summary>
    public int Classes { get; init; } = 40;

    /// <summary>Checks the values; a bad one is an <see cref="ArgumentException"/> naming it.</summary>
    public void Validate()
    {
        if (Layers is < 1 or > 3) throw new ArgumentException($"SegGroup layers {Layers}: expected 1, 2 or 3");
        if (PointsPerSegment < 1 || StructuralK < 1 || SemanticK < 1) throw new ArgumentException("SegGroup: points_per_segment, structural_k and semantic_k must be ≥ 1");
        if (Thresholds.Length != 3 || Thresholds.Any(t => !(t >= 0))) throw new ArgumentException("SegGroup thresholds: expected three numbers ≥ 0");
        if (MinClusterPoints < 0 || MaxPointsPerCluster < 0) throw new ArgumentException("SegGroup: min_cluster_points and max_points_per_cluster must be ≥ 0");
        if (Classes < 1) throw new ArgumentException("SegGroup classes: expected ≥ 1");
    }
}

/// <summary>What one forward pass of <see cref="SegGroupNet"/> gives.</summary>
/// <param name="LayerLabels">Object id (or <see cref="SegGroupScene.Unlabelled"/>) of every segment: the seg-level labels (index 0), then after each grouping layer run.</param>
/// <param name="FinalLabels">Object id of every segment after the final clustering (unlabelled only when the scene has no labelled segment).</param>
/// <param name="LayerClusters">Number of clusters (nodes) at each entry of <paramref name="LayerLabels"/>.</param>
/// <param name="Objects">The object ids of the instances the classifier scored, ascending.</param>
/// <param name="Logits">[K, classes] class scores of the instances of <paramref name="Objects"/> (null without instances).</param>
public sealed record SegGroupOutput(IReadOnlyList<int[]> LayerLabels, int[] FinalLabels, IReadOnlyList<int> LayerClusters, int[] Objects, Tensor? Logits);

/// <summary>
/// SegGroup's segment grouping network (Tao et al., "SegGroup: Seg-Level Supervision for 3D Instance and Semantic
/// Segmentation", §3.2–3.3, Fig. 2–3, supplementary Alg. 1–2 and C; REFERENCE.md §4). Over the segment graph of a scene
/// with seg-level labels:
/// <list type="number">
/// <item>Structural grouping layer: every segment as 64 normalized points (<see cref="SegmentPointSets"/>), EdgeConv k = 10
/// to 64 channels, max + mean pooling per segment → 128-d node features; node clustering under distance 6
/// (<see cref="NodeClustering"/>); node features of a cluster = max-pool of its members.</item>
/// <item>Two semantic grouping layers: per-point EdgeConv on [xyz, rgb, xyz − cluster mean], k = 20 inside the cluster
/// (<see cref="ClusterPointSets"/>), 64 channels (one, then two shared layers), max-pooled per cluster and concatenated with
/// the carried node features (192, then 256); one <see cref="GraphConvolution"/> step; node clustering under distance 2.</item>
/// <item>Final clustering (<see cref="FinalClustering"/>): every unlabelled node into its nearest labelled cluster.</item>
/// <item>Classifier (<see cref="SegGroupClassifier"/>) on the instance features (max-pool of each object's final nodes).</item>
/// </list>
/// Two differently labelled clusters never merge, so every labelled object ends as its own instance. The clustering is
/// discrete (no gradient); the features that decide it are trained through the classifier's loss, which is the
/// alternation of §3.2 "Network Training": each forward pass groups with the parameters fixed, each backward pass
/// updates them with the grouping fixed.
/// </summary>
public sealed class SegGroupNet : Module<SegGroupScene, SegGroupOutput>
{
    private readonly EdgeConv _structural;
    private readonly EdgeConv _semantic1;
    private readonly EdgeConv _semantic2;
    private readonly GraphConvolution _gcn1;
    private readonly GraphConvolution _gcn2;
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SegGroupScene, SegmentPointSets> _structuralInputs = [];

    /// <summary>The network with weights drawn from <paramref name="random"/>.</summary>
    public SegGroupNet(Random random, SegGroupNetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(random);
        Options = options ?? new SegGroupNetOptions();
        Options.Validate();
        _structural = RegisterModule("mlp1", new EdgeConv(SegmentPointSets.Channels, [64], random));
        _semantic1 = RegisterModule("mlp2", new EdgeConv(ClusterPointSets.Channels, [64], random));
        _gcn1 = RegisterModule("gcn2", new GraphConvolution(192, random));
        _semantic2 = RegisterModule("mlp3", new EdgeConv(ClusterPointSets.Channels, [64, 64], random));
        _gcn2 = RegisterModule("gcn3", new GraphConvolution(256, random));
        Classifier = RegisterModule("classifier", new SegGroupClassifier(FeatureWidth(Options.Layers), Options.Classes, random));
    }

    /// <summary>The hyper-parameters.</summary>
    public SegGroupNetOptions Options { get; }

    /// <summary>The classifier head.</summary>
    public SegGroupClassifier Classifier { get; }

    /// <summary>Node feature width after <paramref name="layers"/> layers (128, 192, 256).</summary>
    public static int FeatureWidth(int layers) => 128 + 64 * (layers - 1);

    /// <inheritdoc/>
    public override SegGroupOutput Forward(SegGroupScene input) => Forward(input, Options.Layers, final: true);

    /// <summary>
    /// Runs the first <paramref name="layers"/> grouping layers (at most <see cref="SegGroupNetOptions.Layers"/>), then, with
    /// <paramref name="final"/>, the final clustering and the classifier.
    /// </summary>
    public SegGroupOutput Forward(SegGroupScene scene, int layers, bool final)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if (layers < 0 || layers > Options.Layers) throw new ArgumentOutOfRangeException(nameof(layers), $"SegGroup: {layers} layers requested, the network has {Options.Layers}");
        scene.Validate();
        var graph = ClusterGraph.FromScene(scene);
        var labels = new List<int[]> { graph.SegmentLabels() };
        var clusters = new List<int> { graph.NodeCount };
        Tensor? h = null;
        for (int layer = 1; layer <= layers; layer++)
        {
            float threshold = Options.Thresholds[layer - 1];
            Tensor node;
            if (layer == 1)
            {
                // structural layer: shape and colour of each segment
                // depends on the scene alone: built once per scene and kept while the scene lives
                var sets = _structuralInputs.GetValue(scene, s => SegmentPointSets.Build(s, Options.PointsPerSegment, Options.StructuralK));
                var x = Tensor.FromArray(sets.Features, scene.SegmentCount * sets.PointsPerSegment, SegmentPointSets.Channels);
                var f = _structural.Forward(x, sets.Neighbors, sets.K);
                var rowSegment = new int[f.Dim(0)];
                for (int r = 0; r < rowSegment.Length; r++) rowSegment[r] = r / sets.PointsPerSegment;
                node = Tensor.Concat([SegmentReductions.Max(f, rowSegment, scene.SegmentCount), SegmentReductions.Mean(f, rowSegment, scene.SegmentCount)], 1);
            }
            else
            {
                // semantic layer: points inside each cluster, then one graph convolution over the clusters
                var sets = ClusterPointSets.Build(scene, graph, Options.SemanticK, Options.MaxPointsPerCluster);
                var x = Tensor.FromArray(sets.Features, sets.RowCount, ClusterPointSets.Channels);
                var f = (layer == 2 ? _semantic1 : _semantic2).Forward(x, sets.Neighbors, sets.K);
                var pooled = SegmentReductions.Max(f, sets.RowCluster, graph.NodeCount);
                node = (layer == 2 ? _gcn1 : _gcn2).Forward(Tensor.Concat([h!, pooled], 1), graph.EdgeA, graph.EdgeB);
            }
            var distances = EdgeDistances(node, graph);
            var (map, count, clusterLabels) = NodeClustering.Cluster(graph, distances, threshold, Options.MinClusterPoints);
            h = SegmentReductions.Max(node, map, count);
            graph = graph.Coarsen(map, count, clusterLabels);
            labels.Add(graph.SegmentLabels());
            clusters.Add(graph.NodeCount);
        }
        if (!final || h is null) return new SegGroupOutput(labels, labels[^1], clusters, [], null);

        var (finalMap, _, finalLabels) = FinalClustering.Cluster(graph, h.ToArray(), h.Dim(1), scene);
        var segmentFinal = new int[scene.SegmentCount];
        for (int s = 0; s < segmentFinal.Length; s++) segmentFinal[s] = finalLabels[finalMap[graph.SegmentNode[s]]];

        // instance features: max-pool of the nodes of each labelled object
        var objects = graph.Labels.Select((_, i) => finalLabels[finalMap[i]]).Where(o => o != SegGroupScene.Unlabelled).Distinct().Order().ToArray();
        if (objects.Length == 0) return new SegGroupOutput(labels, segmentFinal, clusters, [], null);
        var row = new int[graph.NodeCount];
        for (int i = 0; i < row.Length; i++)
        {
            int o = finalLabels[finalMap[i]];
            row[i] = o == SegGroupScene.Unlabelled ? -1 : Array.BinarySearch(objects, o);
        }
        var instances = SegmentReductions.Max(h, row, objects.Length);
        return new SegGroupOutput(labels, segmentFinal, clusters, objects, Classifier.Forward(instances));
    }

    /// <summary>‖h_a − h_b‖₂ of every edge of <paramref name="graph"/> (no gradient: the clustering is discrete).</summary>
    private static float[] EdgeDistances(Tensor h, ClusterGraph graph)
    {
        var data = h.ToArray();
        int c = h.Dim(1);
        var d = new float[graph.EdgeA.Length];
        for (int e = 0; e < d.Length; e++) d[e] = FinalClustering.Distance(data, graph.EdgeA[e], graph.EdgeB[e], c);
        return d;
    }
}
