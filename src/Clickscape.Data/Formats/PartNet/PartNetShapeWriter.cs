using System.Globalization;
using System.Text;
using System.Text.Json;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.PartNet;

/// <summary>
/// Writes a <see cref="PartNetShape"/> in the PartNet v0 layout that <see cref="PartNetShape.Load"/> reads:
/// <c>result.json</c> (a JSON array of root nodes with text, name, id, children / objs), <c>meta.json</c>,
/// <c>point_sample/pts-N.txt</c> and <c>point_sample/label-N.txt</c> with N the point count (10000 for
/// PartNet's own samples). Coordinates use the shortest text that reads back to the same float. Atomic per file.
/// </summary>
public static class PartNetShapeWriter
{
    /// <summary>Writes <paramref name="shape"/> into <paramref name="shapeDir"/> as a unit (<see cref="AtomicFolder"/>), replacing any folder there.</summary>
    public static void Write(string shapeDir, PartNetShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        AtomicFolder.Write(shapeDir, dir => WriteFiles(dir, shape));
    }

    /// <summary>
    /// Writes a merged hierarchy as <c>shapeDir/result_after_merging.json</c> (<see cref="PartNetShape.MergedFileName"/>,
    /// read by <see cref="PartNetShape.LoadMergedTree"/>): every node with name, text, id, its <c>ori_id</c> when it has
    /// one, <c>objs</c> (a leaf's own, an inner node's of all its leaves, as PartNet's merged files list them) and children.
    /// </summary>
    public static void WriteMergedTree(string shapeDir, IReadOnlyList<PartNetNode> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        AtomicFile.Write(Path.Combine(shapeDir, PartNetShape.MergedFileName), stream =>
        {
            using var w = new Utf8JsonWriter(stream);
            w.WriteStartArray();
            foreach (var root in roots) WriteMergedNode(w, root);
            w.WriteEndArray();
        });
    }

    private static void WriteMergedNode(Utf8JsonWriter w, PartNetNode node)
    {
        w.WriteStartObject();
        w.WriteStartArray("objs");
        foreach (var o in node.Descendants().SelectMany(d => d.Objs)) w.WriteStringValue(o);
        w.WriteEndArray();
        w.WriteString("name", node.Name);
        if (node.OriginalId is int ori) w.WriteNumber("ori_id", ori);
        w.WriteString("text", node.Text);
        if (!node.IsLeaf)
        {
            w.WriteStartArray("children");
            foreach (var c in node.Children) WriteMergedNode(w, c);
            w.WriteEndArray();
        }
        w.WriteNumber("id", node.Id);
        w.WriteEndObject();
    }

    private static void WriteFiles(string shapeDir, PartNetShape shape)
    {
        Directory.CreateDirectory(Path.Combine(shapeDir, "point_sample"));
        AtomicFile.Write(Path.Combine(shapeDir, "result.json"), stream =>
        {
            using var w = new Utf8JsonWriter(stream);
            w.WriteStartArray();
            foreach (var root in shape.Roots) WriteNode(w, root);
            w.WriteEndArray();
        });
        AtomicFile.Write(Path.Combine(shapeDir, "meta.json"), stream =>
        {
            using var w = new Utf8JsonWriter(stream);
            w.WriteStartObject();
            w.WriteString("anno_id", shape.AnnoId);
            w.WriteString("model_cat", shape.Category);
            w.WriteString("version", "clickscape");
            w.WriteEndObject();
        });
        int n = shape.PointCount;
        var pts = new StringBuilder();
        var labels = new StringBuilder();
        for (int i = 0; i < n; i++)
        {
            pts.Append(shape.Points[3 * i].ToString(CultureInfo.InvariantCulture)).Append(' ')
               .Append(shape.Points[3 * i + 1].ToString(CultureInfo.InvariantCulture)).Append(' ')
               .Append(shape.Points[3 * i + 2].ToString(CultureInfo.InvariantCulture)).Append('\n');
            labels.Append(shape.PointNodeIds[i].ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        AtomicFile.WriteAllText(Path.Combine(shapeDir, "point_sample", $"pts-{n}.txt"), pts.ToString());
        AtomicFile.WriteAllText(Path.Combine(shapeDir, "point_sample", $"label-{n}.txt"), labels.ToString());
    }

    private static void WriteNode(Utf8JsonWriter w, PartNetNode node)
    {
        w.WriteStartObject();
        w.WriteString("text", node.Text);
        if (node.IsLeaf)
        {
            w.WriteStartArray("objs");
            foreach (var o in node.Objs) w.WriteStringValue(o);
            w.WriteEndArray();
        }
        else
        {
            w.WriteStartArray("children");
            foreach (var c in node.Children) WriteNode(w, c);
            w.WriteEndArray();
        }
        w.WriteNumber("id", node.Id);
        w.WriteString("name", node.Name);
        w.WriteEndObject();
    }
}
