using Clickscape.Data.Clicks;
using Clickscape.Models.SegGroup;
using Clickscape.Training.Configs;

namespace Clickscape.Training.Methods.SegGroup;

/// <summary>
/// The <c>model</c> section of <c>seggroup</c> (type <c>SegGroup-v1</c>, snake_case keys): the hyper-parameters of
/// <see cref="SegGroupNet"/> (defaults: the paper §3.3 and REFERENCE.md §4).
/// </summary>
public sealed class SegGroupModelOptions
{
    /// <summary>Grouping layers (1 structural + up to 2 semantic).</summary>
    public int Layers { get; set; } = 3;

    /// <summary>Points per segment in the structural layer.</summary>
    public int PointsPerSegment { get; set; } = 64;

    /// <summary>k of the structural EdgeConv.</summary>
    public int StructuralK { get; set; } = 10;

    /// <summary>k of the semantic EdgeConvs.</summary>
    public int SemanticK { get; set; } = 20;

    /// <summary>Merge thresholds of the three layers.</summary>
    public float[] Thresholds { get; set; } = [6f, 2f, 2f];

    /// <summary>Clusters smaller than this merge into a neighbour.</summary>
    public int MinClusterPoints { get; set; } = 5;

    /// <summary>Points of a cluster a semantic layer sees at most (0 = all).</summary>
    public int MaxPointsPerCluster { get; set; } = 256;

    /// <summary>The network's options; a bad value is a <see cref="ConfigException"/>.</summary>
    public SegGroupNetOptions ToNetOptions()
    {
        var o = new SegGroupNetOptions
        {
            Layers = Layers,
            PointsPerSegment = PointsPerSegment,
            StructuralK = StructuralK,
            SemanticK = SemanticK,
            Thresholds = Thresholds,
            MinClusterPoints = MinClusterPoints,
            MaxPointsPerCluster = MaxPointsPerCluster,
        };
        try
        {
            o.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"config section 'model': {e.Message}", e);
        }
        return o;
    }
}

/// <summary>
/// The <c>loss</c> section of <c>seggroup</c> (type <c>SegGroup-v1</c>): the classifier's cross-entropy with label
/// smoothing 0.2 (REFERENCE.md §4), the click simulation used when no <c>--clicks</c> folder is given (SegGroup's
/// mechanical labels: <c>maxseg</c>, or <c>random-seg</c> among the top-N largest segments — the paper's Tab. 6), and
/// the segment adjacency of point clouds.
/// </summary>
public sealed class SegGroupLossOptions
{
    /// <summary>ε of the label-smoothed cross-entropy.</summary>
    public float LabelSmoothing { get; set; } = 0.2f;

    /// <summary>Click policy simulated on the ground truth without <c>--clicks</c>.</summary>
    public string SimulatePolicy { get; set; } = "maxseg";

    /// <summary>Seed of the simulation (+ the scene's index in the split).</summary>
    public int SimulateSeed { get; set; }

    /// <summary>N of <c>random-seg</c>: a click on one of the N largest segments (probability ∝ size).</summary>
    public int TopSegments { get; set; } = 3;

    /// <summary>Neighbours per point that make segments adjacent in a point cloud (meshes use their faces).</summary>
    public int AdjacencyK { get; set; } = 10;

    /// <summary>Checks the values.</summary>
    public void Validate()
    {
        if (LabelSmoothing is < 0f or > 1f) throw new ConfigException($"config loss.label_smoothing {LabelSmoothing}: expected 0..1");
        try
        {
            ClickPolicyNames.Parse(SimulatePolicy);
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"config loss.simulate_policy: {e.Message}", e);
        }
        if (TopSegments < 1) throw new ConfigException($"config loss.top_segments {TopSegments}: expected ≥ 1");
        if (AdjacencyK < 1) throw new ConfigException($"config loss.adjacency_k {AdjacencyK}: expected ≥ 1");
    }
}
