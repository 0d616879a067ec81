using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.PartNet;

/// <summary>
/// The parts of every point at every level of a shape: per level the class (part path; null = "other", PartNet's
/// label 0) and the instance (node id; <see cref="Labels.NoInstance"/> for "other") of each point, and whether the
/// level exists for the shape (is evaluated).
/// </summary>
/// <param name="Paths">[level][point] class path, null for a point of no part of the level.</param>
/// <param name="Instances">[level][point] instance id.</param>
/// <param name="Exists">[level] whether the level exists (the others are copies for training and are not scored).</param>
public sealed record PartNetLevelLabels(string?[][] Paths, int[][] Instances, bool[] Exists);

/// <summary>
/// PartNet's benchmark levels of one shape (Mo et al., "PartNet", §5.3; REFERENCE.md §6), from its merged hierarchy
/// (<c>result_after_merging.json</c>) and its category's level lists (<see cref="PartNetBenchmark"/>). A point's leaf
/// (<c>label-10000.txt</c>, a <c>result.json</c> node) lies in the merged nodes made from it or from one of its
/// ancestors (<c>ori_id</c>); the deepest of them is the point's merged leaf. At level k the point belongs to the
/// deepest node on its merged leaf's path (itself included) whose node path — names from the merged root joined by
/// '/' — is a line of <c>&lt;Cat&gt;-level-k.txt</c>: that line is its class (label = line index + 1), the node its
/// instance; a point with no such node is "other" (label 0), ignored in the losses and in the evaluation. This is the
/// assignment of PartNet's own preparation (<c>gen_h5_ins_seg_after_merging.py</c> lists each merged node with the
/// leaves below its original node, <c>prepare_*_data.py</c> labels a level's points from the nodes whose name is in
/// the level's list, later nodes of a pre-order walk overwriting earlier ones).
/// </summary>
/// <remarks>
/// Deviations: PartNet maps <c>result.json</c> through <c>stats/merging_hierarchy_mapping/</c>; we read the released
/// merged tree it produced (equal when that tree is the mapping's output). A merged node without <c>ori_id</c> covers
/// the leaves whose mesh pieces (<c>objs</c>) it holds. A shape folder without <c>result_after_merging.json</c> (a
/// generated shape) is taken as already merged: its <c>result.json</c> is its merged tree. Where PartNet would give a
/// point to two nested listed nodes (overlapping masks), the point belongs to the deeper one only. A missing level
/// (no file for the category) takes the nearest coarser existing level's labels (<see cref="PartNetBenchmarkCategory.SourceLevel"/>).
/// </remarks>
public static class PartNetBenchmarkLevels
{
    /// <summary>
    /// The <paramref name="levels"/> levels of <paramref name="shape"/> under <paramref name="category"/>'s lists, from the
    /// merged tree <paramref name="merged"/> (null: the shape's own tree taken as merged); <paramref name="source"/> names the
    /// shape in errors.
    /// </summary>
    public static PartNetLevelLabels Assign(PartNetShape shape, IReadOnlyList<PartNetNode>? merged, PartNetBenchmarkCategory category, int levels, string source = "")
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(category);
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        if (category.Levels.Count == 0) throw new ArgumentException($"PartNet category {category.Category} has no level files", nameof(category));
        var mergedLeafOf = MergedLeaves(shape, merged, source);
        int n = shape.PointCount;
        var paths = new string?[levels][];
        var instances = new int[levels][];
        var exists = new bool[levels];
        for (int k = 0; k < levels; k++)
        {
            exists[k] = category.Exists(k + 1);
            var listed = new HashSet<string>(category.ClassesAt(k + 1), StringComparer.Ordinal);
            var partOf = new Dictionary<PartNetNode, PartNetNode?>();
            var p = new string?[n];
            var ins = new int[n];
            for (int i = 0; i < n; i++)
            {
                var leaf = mergedLeafOf[shape.PointNodeIds[i]];
                PartNetNode? part = null;
                if (leaf is not null && !partOf.TryGetValue(leaf, out part))
                {
                    for (var node = leaf; node is not null && part is null; node = node.Parent)
                        if (listed.Contains(node.Path)) part = node;
                    partOf[leaf] = part;
                }
                p[i] = part?.Path;
                ins[i] = part?.Id ?? Labels.NoInstance;
            }
            paths[k] = p;
            instances[k] = ins;
        }
        return new PartNetLevelLabels(paths, instances, exists);
    }

    /// <summary>For every point label (a <c>result.json</c> node id) the deepest merged node covering it, or null.</summary>
    private static Dictionary<int, PartNetNode?> MergedLeaves(PartNetShape shape, IReadOnlyList<PartNetNode>? merged, string source)
    {
        var result = new Dictionary<int, PartNetNode?>();
        var nodes = (merged ?? shape.Roots).SelectMany(r => r.Descendants()).ToList();
        foreach (var id in shape.PointNodeIds.Distinct())
        {
            var chain = shape.Ancestors(id).Select(a => a.Id).ToHashSet();
            var objs = shape.Find(id)!.Descendants().SelectMany(d => d.Objs).ToHashSet(StringComparer.Ordinal);
            PartNetNode? best = null;
            foreach (var m in nodes)
            {
                bool covers;
                if (merged is null) covers = chain.Contains(m.Id);
                else if (m.OriginalId is int ori)
                {
                    if (shape.Find(ori) is null)
                        throw new DataFormatException(Path.Combine(source, PartNetShape.MergedFileName), $"node {m.Id} ({m.Path}): ori_id {ori} is not a node of result.json");
                    covers = chain.Contains(ori);
                }
                else covers = objs.Count > 0 && objs.IsSubsetOf(m.Objs);
                if (covers && (best is null || m.Depth > best.Depth)) best = m;
            }
            result[id] = best;
        }
        return result;
    }
}
