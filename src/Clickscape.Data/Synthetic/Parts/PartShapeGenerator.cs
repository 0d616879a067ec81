using System.Numerics;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Synthetic.Meshing;
using static Clickscape.Data.Synthetic.Scenes.Furniture;

namespace Clickscape.Data.Synthetic.Parts;

/// <summary>
/// <c>clickscape synth parts</c>: shapes with a PartNet-like hierarchy (REFERENCE.md §6) — chairs, tables, lamps and
/// storage furniture, each a tree of coarse / middle / fine parts (chair → chair_base → regular_leg_base → leg ×4,
/// or star_leg_base → central_support, leg ×5, wheel ×5; chair_back; chair_seat; …) — with 10 000 points sampled
/// uniformly on the leaf parts' surfaces and labelled with their leaf ids.
/// </summary>
public static partial class PartShapeGenerator
{
    /// <summary>Points per shape, as PartNet's <c>pts-10000.txt</c>.</summary>
    public const int PointCount = 10_000;

    /// <summary>The categories, in the order shapes cycle through them.</summary>
    public static IReadOnlyList<string> Categories { get; } = ["Chair", "Table", "Lamp", "StorageFurniture"];

    /// <summary>The categories of the hard set (<c>--hard</c>): the four and scissors, whose parts all sit one level under the root.</summary>
    public static IReadOnlyList<string> HardCategories { get; } = ["Chair", "Table", "Lamp", "StorageFurniture", "Scissors"];

    /// <summary>Annotation id of shape <paramref name="index"/> (PartNet ids are decimal numbers).</summary>
    public static string AnnoId(int index) => (40_000 + index).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Generates shape <paramref name="index"/> of the dataset with <paramref name="seed"/>. With <paramref name="hard"/>:
    /// the <see cref="HardCategories"/>, wider proportions, parts that touch (legs flush with the seat, arms on its
    /// edge, drawer and door fronts without gaps, paired table legs, a second lamp head against the first) and missing
    /// parts (a leg, an arm, a stretcher, handles, a bulb); the standard set is unchanged by the option.
    /// </summary>
    public static PartShape Generate(ulong seed, int index, bool hard = false)
    {
        var rng = new SynthRandom(seed * 0x9E3779B97F4A7C15UL + (ulong)index * 0xD1B54A32D192ED03UL + 3);
        var categories = hard ? HardCategories : Categories;
        string category = categories[index % categories.Count];
        var builder = new PartTreeBuilder();
        var root = category switch
        {
            "Chair" => Chair(builder, rng, hard),
            "Table" => Table(builder, rng, hard),
            "Lamp" => Lamp(builder, rng, hard),
            "Scissors" => Scissors(builder, rng),
            _ => Storage(builder, rng, hard),
        };
        var mesh = new MeshBuilder();
        foreach (var leaf in root.Leaves())
        {
            // Sampling is exact on flat faces at any tessellation; 2.5 cm only decides how round the cylinders are.
            foreach (var surface in leaf.Surfaces) surface.Emit(mesh, 0.025f, leaf.Id);
        }
        var points = SurfaceSampler.Sample(mesh.Build(), PointCount, rng, out var leafIds);
        Normalize(points);
        return new PartShape(category, root, points, leafIds);
    }

    /// <summary>Writes <paramref name="count"/> shapes as <c>outDir/&lt;anno_id&gt;/…</c> (PartNet v0 layout, through
    /// <see cref="PartNetShapeWriter"/>: result.json, meta.json, point_sample/pts-10000.txt, label-10000.txt).</summary>
    /// <remarks>With <paramref name="shard"/>, only that shard's shapes are written and a shape whose
    /// <c>point_sample/label-*.txt</c> (the file written last) exists is skipped.</remarks>
    public static IReadOnlyList<string> WriteDataset(string outDir, int count, ulong seed, Action<string, PartShape>? progress = null, ShardSpec? shard = null, bool hard = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var ids = Enumerable.Range(0, count).Select(AnnoId).ToList();
        foreach (int i in shard?.Select(Enumerable.Range(0, count).ToList(), AnnoId) ?? Enumerable.Range(0, count).ToList())
        {
            string id = AnnoId(i);
            var samples = Path.Combine(outDir, id, "point_sample");
            if (shard is not null && Directory.Exists(samples) && Directory.EnumerateFiles(samples, "label-*.txt").Any()) continue;
            var shape = Generate(seed, i, hard);
            PartNetShapeWriter.Write(Path.Combine(outDir, id), ToPartNet(shape, id));
            progress?.Invoke(id, shape);
        }
        if (shard is null || shard.Index == 0) WriteSplits(outDir, count, hard);
        return ids;
    }

    /// <summary>
    /// Writes <c>splits/train.txt</c> and <c>splits/val.txt</c> (a shape id per line, as <c>SceneDataset</c> reads
    /// splits): every fifth shape of each category (its 1st, 6th, …) is in val, so both splits hold every category.
    /// </summary>
    public static void WriteSplits(string outDir, int count, bool hard = false)
    {
        var splits = Path.Combine(outDir, "splits");
        Directory.CreateDirectory(splits);
        int categories = (hard ? HardCategories : Categories).Count;
        var ids = Enumerable.Range(0, count).ToList();
        bool IsVal(int i) => i / categories % 5 == 0;
        Clickscape.Data.IO.AtomicFile.WriteAllText(Path.Combine(splits, "train.txt"), string.Concat(ids.Where(i => !IsVal(i)).Select(i => AnnoId(i) + "\n")));
        Clickscape.Data.IO.AtomicFile.WriteAllText(Path.Combine(splits, "val.txt"), string.Concat(ids.Where(IsVal).Select(i => AnnoId(i) + "\n")));
    }

    /// <summary>The shape as the PartNet format model (leaf objs are named <c>new-&lt;id&gt;</c>).</summary>
    public static PartNetShape ToPartNet(PartShape shape, string annoId)
    {
        static PartNetNode Convert(PartNode node) =>
            new(node.Id, node.Name, node.Text, node.IsLeaf ? [$"new-{node.Id}"] : null, node.Children.Select(Convert).ToList());
        return new PartNetShape(annoId, shape.Category, [Convert(shape.Root)], shape.Points, shape.LeafIds);
    }

    // Z-up model space → PartNet's Y-up, centred on the bounding-box midpoint and divided by the largest radius.
    private static void Normalize(float[] points)
    {
        int n = points.Length / 3;
        var min = new Vector3(float.PositiveInfinity);
        var max = new Vector3(float.NegativeInfinity);
        for (int i = 0; i < n; i++)
        {
            var p = new Vector3(points[3 * i], points[3 * i + 2], -points[3 * i + 1]);
            points[3 * i] = p.X;
            points[3 * i + 1] = p.Y;
            points[3 * i + 2] = p.Z;
            min = Vector3.Min(min, p);
            max = Vector3.Max(max, p);
        }
        var center = (min + max) / 2;
        float radius = 0;
        for (int i = 0; i < n; i++)
            radius = MathF.Max(radius, (new Vector3(points[3 * i], points[3 * i + 1], points[3 * i + 2]) - center).Length());
        float scale = radius > 0 ? 1 / radius : 1;
        for (int i = 0; i < n; i++)
        {
            points[3 * i] = (points[3 * i] - center.X) * scale;
            points[3 * i + 1] = (points[3 * i + 1] - center.Y) * scale;
            points[3 * i + 2] = (points[3 * i + 2] - center.Z) * scale;
        }
    }
}
