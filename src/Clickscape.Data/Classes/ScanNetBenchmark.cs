using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Classes;

/// <summary>
/// The classes the ScanNet v2 benchmark scores (REFERENCE.md §1.2): 20 semantic classes and 18 instance classes
/// (the 20 without wall and floor). Ids are NYU40 ids, so labels need no remapping. The one source of the
/// benchmark class lists: ids and names are in the order and spelling of the official scripts
/// [SN:BenchmarkScripts/3d_evaluation/evaluate_semantic_label.py, evaluate_semantic_instance.py], which the
/// evaluation's output files reproduce byte for byte.
/// </summary>
public static class ScanNetBenchmark
{
    private static readonly int[] Semantic20 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 24, 28, 33, 34, 36, 39];
    private static readonly int[] Instance18 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 24, 28, 33, 34, 36, 39];

    /// <summary>The NYU40 ids of the 20 semantic benchmark classes, ascending (the official order).</summary>
    public static IReadOnlyList<int> Semantic20Ids => Semantic20;

    /// <summary>The NYU40 ids of the 18 instance benchmark classes, ascending (the official order).</summary>
    public static IReadOnlyList<int> Instance18Ids => Instance18;

    /// <summary>
    /// Names of the 20 semantic classes in the official order and spelling ("shower curtain", "otherfurniture",
    /// "refrigerator"): the NYU40 names of <see cref="ClassTables.Nyu40"/>, which the scripts use unchanged.
    /// </summary>
    public static IReadOnlyList<string> Semantic20Names { get; } = [.. Semantic20.Select(id => ClassTables.Nyu40.Find(id)!.Name)];

    /// <summary>Names of the 18 instance classes in the official order and spelling.</summary>
    public static IReadOnlyList<string> Instance18Names { get; } = [.. Instance18.Select(id => ClassTables.Nyu40.Find(id)!.Name)];

    /// <summary>The 20 semantic classes (NYU40 ids, names and colours).</summary>
    public static ClassTable Semantic20Table { get; } = new("scannet20", Semantic20.Select(id => ClassTables.Nyu40.Find(id)!));

    /// <summary>The 18 instance classes (NYU40 ids, names and colours).</summary>
    public static ClassTable Instance18Table { get; } = new("scannet18", Instance18.Select(id => ClassTables.Nyu40.Find(id)!));

    /// <summary>Whether <paramref name="nyu40Id"/> is one of the 20 semantic benchmark classes.</summary>
    public static bool IsSemanticClass(int nyu40Id) => Array.IndexOf(Semantic20, nyu40Id) >= 0;

    /// <summary>Whether <paramref name="nyu40Id"/> is one of the 18 instance benchmark classes.</summary>
    public static bool IsInstanceClass(int nyu40Id) => Array.IndexOf(Instance18, nyu40Id) >= 0;

    /// <summary>The benchmark name of <paramref name="nyu40Id"/>, e.g. "otherfurniture", or null when not scored.</summary>
    public static string? Name(int nyu40Id) => IsSemanticClass(nyu40Id) ? ClassTables.Nyu40.Find(nyu40Id)!.Name : null;

    /// <summary>
    /// NYU40 labels restricted to the 20 benchmark classes: ids outside them become 0 (ignored), as the
    /// benchmark's evaluation treats them. Ids stay NYU40 ids.
    /// </summary>
    public static int[] ToSemantic20(ReadOnlySpan<int> nyu40Labels)
    {
        var result = new int[nyu40Labels.Length];
        for (int i = 0; i < result.Length; i++) result[i] = IsSemanticClass(nyu40Labels[i]) ? nyu40Labels[i] : 0;
        return result;
    }
}
