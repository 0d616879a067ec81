namespace Clickscape.Data.Formats.PartNet;

/// <summary>
/// The K part levels of a PartNet shape (coarse → fine; Sun et al., "Semantic segmentation-assisted instance feature
/// fusion for multi-level 3D part instance segmentation", §4.1, and REFERENCE.md §6): level k &lt; K is the node at
/// tree depth k on each point's path (depth 1 = the children of the root), level K is the point's leaf. A point whose
/// leaf is shallower than level k has no part of its own there: it takes its label from the coarser level k − 1 (the
/// paper: "we duplicated the labels at the coarser level to the finer level, if the latter was missing"). A part's
/// semantic class at a level is its node path (<c>chair/chair_base/leg</c>), so classes of different categories never
/// collide; an instance is one node.
/// </summary>
/// <remarks>
/// PartNet's own benchmark levels come from its merged-hierarchy statistics (<c>stats/after_merging_label_ids</c>,
/// <see cref="PartNetBenchmark"/>, <see cref="PartNetBenchmarkLevels"/>): <see cref="Of"/> uses them for the categories
/// they list and the depth levels for the others; the depth levels are what every shape folder defines on its own, and
/// the ones the generated shapes are built for (coarse, middle, fine).
/// </remarks>
public static class PartNetLevels
{
    /// <summary>The three levels of PartNet: coarse, middle, fine.</summary>
    public const int Default = 3;

    /// <summary>Per level (0-based array index = level − 1) the node id of every point.</summary>
    public static int[][] Nodes(PartNetShape shape, int levels = Default)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        int n = shape.PointCount;
        var result = new int[levels][];
        for (int k = 0; k < levels; k++)
        {
            var level = new int[n];
            for (int i = 0; i < n; i++)
            {
                var leaf = shape.Find(shape.PointNodeIds[i])!;
                if (k == levels - 1)
                {
                    level[i] = leaf.Id;
                    continue;
                }
                int depth = k + 1;
                // missing at this depth (the leaf is shallower, or the point sits on the root): the coarser level's part
                level[i] = leaf.Depth >= depth ? leaf.AncestorAt(depth).Id : k == 0 ? leaf.Id : result[k - 1][i];
            }
            result[k] = level;
        }
        return result;
    }

    /// <summary>Per level, the semantic class (node path) of every point.</summary>
    public static string[][] Paths(PartNetShape shape, int[][] nodes)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(nodes);
        return nodes.Select(level => level.Select(id => shape.Find(id)!.Path).ToArray()).ToArray();
    }

    /// <summary>
    /// Whether level <paramref name="level"/> (1-based) exists in <paramref name="shape"/>: some point has a part of its
    /// own there (not copied from the coarser level). The paper evaluates only the levels that exist in the data.
    /// </summary>
    public static bool Exists(PartNetShape shape, int level)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return level <= 1 || shape.PointNodeIds.Any(id => shape.Find(id)!.Depth >= level);
    }

    /// <summary>The depth levels of <paramref name="shape"/> as labels: node paths, node ids, <see cref="Exists"/>.</summary>
    public static PartNetLevelLabels Labels(PartNetShape shape, int levels = Default)
    {
        var nodes = Nodes(shape, levels);
        var paths = Paths(shape, nodes);
        return new PartNetLevelLabels(paths, nodes, Enumerable.Range(1, levels).Select(k => Exists(shape, k)).ToArray());
    }

    /// <summary>
    /// The levels of the shape in <paramref name="shapeDir"/>: PartNet's benchmark levels when <paramref name="benchmark"/>
    /// lists its category (from its <c>result_after_merging.json</c>), else the depth levels (<see cref="Labels"/>).
    /// </summary>
    public static PartNetLevelLabels Of(string shapeDir, PartNetShape shape, PartNetBenchmark? benchmark, int levels = Default)
    {
        ArgumentNullException.ThrowIfNull(shapeDir);
        ArgumentNullException.ThrowIfNull(shape);
        return benchmark?.For(shape.Category) is { } category
            ? PartNetBenchmarkLevels.Assign(shape, PartNetShape.LoadMergedTree(shapeDir), category, levels, shapeDir)
            : Labels(shape, levels);
    }
}
