namespace Clickscape.Evaluation.ScanNet;

/// <summary>
/// The ScanNet benchmark class lists exactly as the official scripts spell and order them
/// [SN:BenchmarkScripts/3d_evaluation/evaluate_semantic_label.py, evaluate_semantic_instance.py]:
/// 20 semantic classes (nyu40 ids) and the 18 instance classes (the same without wall and floor).
/// </summary>
/// <remarks>Kept here (not in <c>Clickscape.Data.Classes</c>) so the metrics depend on nothing in flux; the
/// names and ids are the official script's, which the output files must reproduce byte for byte.</remarks>
public static class ScanNetBenchmarkClasses
{
    /// <summary>nyu40 ids of the 20 semantic benchmark classes, in the official order.</summary>
    public static IReadOnlyList<int> SemanticIds { get; } = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 24, 28, 33, 34, 36, 39];

    /// <summary>Names of the 20 semantic benchmark classes, in the official order and spelling.</summary>
    public static IReadOnlyList<string> SemanticNames { get; } =
    [
        "wall", "floor", "cabinet", "bed", "chair", "sofa", "table", "door", "window", "bookshelf", "picture",
        "counter", "desk", "curtain", "refrigerator", "shower curtain", "toilet", "sink", "bathtub", "otherfurniture",
    ];

    /// <summary>nyu40 ids of the 18 instance benchmark classes, in the official order.</summary>
    public static IReadOnlyList<int> InstanceIds { get; } = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 24, 28, 33, 34, 36, 39];

    /// <summary>Names of the 18 instance benchmark classes, in the official order and spelling.</summary>
    public static IReadOnlyList<string> InstanceNames { get; } =
    [
        "cabinet", "bed", "chair", "sofa", "table", "door", "window", "bookshelf", "picture", "counter", "desk",
        "curtain", "refrigerator", "shower curtain", "toilet", "sink", "bathtub", "otherfurniture",
    ];
}
