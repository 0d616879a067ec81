using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Synthetic.Parts;

namespace Clickscape.Testing;

/// <summary>
/// A small PartNet release layout (REFERENCE.md §6): <c>ROOT/data/&lt;anno_id&gt;/</c> with generated shapes 0 (a chair)
/// and 2 (a lamp) of seed 2, the chair with a <c>result_after_merging.json</c> whose inner nodes at depth 3 are merged
/// away (their children lifted, new ids, <c>ori_id</c> kept), the lamp without one; hand-written
/// <c>ROOT/stats/after_merging_label_ids/</c> (Chair levels 1 and 3, Lamp level 1 only) and
/// <c>ROOT/stats/train_val_test_split/</c>.
/// </summary>
internal static class PartNetRelease
{
    public const string Chair = "40000";
    public const string Lamp = "40002";

    // the arms are not listed at level 1 and the vertical arm bars not at level 3: their points are "other"
    public const string ChairLevel1 = "1 chair/chair_head subcomponents\n2 chair/chair_back subcomponents\n3 chair/chair_seat subcomponents\n\n4 chair/chair_base subtypes\n";

    // the legs only under their merged path (star_leg_set merged away); the unmerged path is listed nowhere
    public const string ChairLevel3 = "5 chair/chair_back/back_surface leaf\n6 chair/chair_seat/seat_surface leaf\n7 chair/chair_base/star_leg_base/central_support leaf\n"
        + "8 chair/chair_base/star_leg_base/leg leaf\n9 chair/chair_base/star_leg_base/wheel leaf\n10 chair/chair_base/regular_leg_base/leg leaf\n11 chair/chair_arm/arm_horizontal_bar leaf\n";

    public const string LampLevel1 = "1 table_or_floor_lamp/lamp_base subtypes\n2 table_or_floor_lamp/lamp_body subcomponents\n3 table_or_floor_lamp/lamp_unit subcomponents\n";

    /// <summary>The level lists by category and level.</summary>
    public static readonly Dictionary<(string Category, int Level), string> Lists = new()
    {
        [("Chair", 1)] = ChairLevel1,
        [("Chair", 3)] = ChairLevel3,
        [("Lamp", 1)] = LampLevel1,
    };

    /// <summary>Writes the layout under <paramref name="root"/>; returns the shapes (result.json trees).</summary>
    public static IReadOnlyList<PartNetShape> Write(string root)
    {
        var shapes = new List<PartNetShape>();
        foreach (int index in new[] { 0, 2 })
        {
            var id = PartShapeGenerator.AnnoId(index);
            var shape = PartShapeGenerator.ToPartNet(PartShapeGenerator.Generate(2, index), id);
            var dir = Path.Combine(root, "data", id);
            PartNetShapeWriter.Write(dir, shape);
            if (id == Chair)
            {
                int next = 0;
                PartNetShapeWriter.WriteMergedTree(dir, shape.Roots.Select(r => Merge(r, ref next)[0]).ToList());
            }
            shapes.Add(shape);
        }
        var ids = Path.Combine(root, "stats", PartNetBenchmark.LabelIdsFolderName);
        Directory.CreateDirectory(ids);
        foreach (var ((category, level), text) in Lists) File.WriteAllText(Path.Combine(ids, $"{category}-level-{level}.txt"), text);
        File.WriteAllText(Path.Combine(ids, "Chair.txt"), "not a level file, never read\n");
        File.WriteAllText(Path.Combine(ids, "Chair-hier.txt"), "neither\n");
        var splits = Path.Combine(root, "stats", PartNetBenchmark.SplitFolderName);
        Directory.CreateDirectory(splits);
        foreach (var split in new[] { "train", "val" })
        {
            File.WriteAllText(Path.Combine(splits, $"Chair.{split}.json"), $$"""[{"model_id": "m0", "anno_id": "{{Chair}}"}]""");
            File.WriteAllText(Path.Combine(splits, $"Lamp.{split}.json"), $$"""[{"model_id": "m2", "anno_id": "{{Lamp}}"}]""");
        }
        // a category this copy of the data does not hold: skipped
        File.WriteAllText(Path.Combine(splits, "Table.val.json"), """[{"model_id": "m9", "anno_id": "49999"}]""");
        return shapes;
    }

    /// <summary>The merged copy of <paramref name="node"/>: inner nodes at depth 3 are dropped, their children lifted.</summary>
    private static List<PartNetNode> Merge(PartNetNode node, ref int next)
    {
        if (node.Depth == 3 && !node.IsLeaf)
        {
            var lifted = new List<PartNetNode>();
            foreach (var c in node.Children) lifted.AddRange(Merge(c, ref next));
            return lifted;
        }
        int id = next++;
        var children = new List<PartNetNode>();
        foreach (var c in node.Children) children.AddRange(Merge(c, ref next));
        return [new PartNetNode(id, node.Name, node.Text, node.IsLeaf ? node.Objs : null, children, originalId: node.Id)];
    }

    /// <summary>Reference: the merged path of a result.json leaf (its depth-3 segment dropped when the leaf lies deeper).</summary>
    public static string MergedPath(PartNetShape shape, int leafId, bool merged)
    {
        var names = shape.Ancestors(leafId).Select(a => a.Name).ToList();
        if (merged && names.Count > 4) names.RemoveAt(3);
        return string.Join('/', names);
    }

    /// <summary>
    /// Reference: the label of a point whose merged path is <paramref name="path"/> in a level list (1 + index of the
    /// longest listed path equal to it or a prefix of it at a '/'; 0 = other), and the length of that listed path in names.
    /// </summary>
    public static (int Label, int Names) Reference(string path, string list)
    {
        var lines = list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[1]).ToList();
        int best = 0, names = 0;
        for (int i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            if ((path == l || path.StartsWith(l + "/", StringComparison.Ordinal)) && l.Split('/').Length > names)
            {
                best = i + 1;
                names = l.Split('/').Length;
            }
        }
        return (best, names);
    }
}
