namespace Clickscape.Models.PointGroup;

/// <summary>
/// Parameters of <see cref="PgGrouping"/>; the defaults are PointGroup's test configuration
/// (REFERENCE.md §2 Grouping), at point level.
/// </summary>
public sealed record PgGroupingOptions
{
    /// <summary>Ball-query radius in metres (PointGroup: 0.03).</summary>
    public float Radius { get; init; } = 0.03f;

    /// <summary>Ball-query cap: a point follows at most this many neighbours, the lowest indices first (PointGroup: 1000; 0 = no cap).</summary>
    public int MaxNeighbours { get; init; } = 1000;

    /// <summary>Clusters with fewer points are dropped after the BFS (PointGroup: 50).</summary>
    public int MinClusterPoints { get; init; } = 50;

    /// <summary>Test-time filter: instances keep a score strictly above this (PointGroup: 0.09).</summary>
    public float ScoreThreshold { get; init; } = 0.09f;

    /// <summary>Test-time filter after NMS: instances keep at least this many points (PointGroup: 100).</summary>
    public int MinInstancePoints { get; init; } = 100;

    /// <summary>NMS: a proposal whose IoU with a kept, higher-scoring one is strictly above this is dropped (PointGroup: 0.3).</summary>
    public float NmsIou { get; init; } = 0.3f;
}

/// <summary>One grouped instance.</summary>
/// <param name="ClassIndex">Class index into the semantic head's classes (majority vote of the predicted classes).</param>
/// <param name="Score">Cluster score (see <see cref="PgGrouping"/>).</param>
/// <param name="Points">Point indices, ascending.</param>
public sealed record PgInstance(int ClassIndex, float Score, int[] Points);
