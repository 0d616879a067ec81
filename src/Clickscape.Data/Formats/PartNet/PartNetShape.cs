using System.Text.Json;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.Formats.Text;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.PartNet;

/// <summary>
/// A PartNet v0 shape folder (REFERENCE.md §6): <c>result.json</c> (the part tree),
/// <c>point_sample/pts-10000.txt</c> (x y z per line) and <c>point_sample/label-10000.txt</c> (one node id per
/// point, normally a leaf), plus <c>meta.json</c> (<c>model_cat</c>, <c>anno_id</c>). Each tree depth is a
/// level of part segmentation: <see cref="ToScene"/> gives, at a depth, one instance per node and one semantic
/// class per node path (<c>bottle/normal_bottle/body</c>).
/// </summary>
public sealed class PartNetShape
{
    private readonly Dictionary<int, PartNetNode> _byId;

    /// <summary>Creates a shape; every point label must be a node id of the tree.</summary>
    public PartNetShape(string annoId, string category, IReadOnlyList<PartNetNode> roots, float[] points, int[] pointNodeIds)
    {
        ArgumentNullException.ThrowIfNull(roots);
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(pointNodeIds);
        if (roots.Count == 0) throw new ArgumentException("the part tree is empty, expected at least a root node");
        if (points.Length != 3 * pointNodeIds.Length) throw new ArgumentException($"{points.Length / 3.0} points for {pointNodeIds.Length} labels");
        AnnoId = annoId;
        Category = category;
        Roots = roots;
        Points = points;
        PointNodeIds = pointNodeIds;
        _byId = [];
        foreach (var node in roots.SelectMany(r => r.Descendants()))
        {
            if (!_byId.TryAdd(node.Id, node)) throw new ArgumentException($"PartNet node id {node.Id} appears twice");
        }
        for (int i = 0; i < pointNodeIds.Length; i++)
        {
            if (!_byId.ContainsKey(pointNodeIds[i])) throw new ArgumentException($"point {i} is labelled {pointNodeIds[i]}, not a node of the tree");
        }
    }

    /// <summary>Annotation id (the folder name).</summary>
    public string AnnoId { get; }

    /// <summary>Category, e.g. <c>Chair</c>.</summary>
    public string Category { get; }

    /// <summary>The roots of the part tree (PartNet has one).</summary>
    public IReadOnlyList<PartNetNode> Roots { get; }

    /// <summary>x y z per point.</summary>
    public float[] Points { get; }

    /// <summary>The node (leaf part) id of each point.</summary>
    public int[] PointNodeIds { get; }

    /// <summary>Number of points.</summary>
    public int PointCount => PointNodeIds.Length;

    /// <summary>The deepest node depth (0 when the tree is only roots).</summary>
    public int MaxDepth => _byId.Values.Select(n => n.Depth).DefaultIfEmpty(0).Max();

    /// <summary>The node with id <paramref name="id"/>, or null.</summary>
    public PartNetNode? Find(int id) => _byId.GetValueOrDefault(id);

    /// <summary>The nodes from the root down to node <paramref name="id"/>.</summary>
    public IReadOnlyList<PartNetNode> Ancestors(int id)
    {
        var path = new List<PartNetNode>();
        for (var n = _byId[id]; n is not null; n = n.Parent) path.Add(n);
        path.Reverse();
        return path;
    }

    /// <summary>Per point, the id of its node's ancestor at <paramref name="depth"/> (its own node when shallower).</summary>
    public int[] NodeIdsAtDepth(int depth)
    {
        var result = new int[PointCount];
        for (int i = 0; i < result.Length; i++) result[i] = _byId[PointNodeIds[i]].AncestorAt(depth).Id;
        return result;
    }

    /// <summary>
    /// The shape as a scene at tree depth <paramref name="depth"/>: instance ids number the nodes at that depth
    /// 1..K (ascending node id); semantic ids number the distinct node paths 1..C (ordinal order), with a class
    /// table of those paths.
    /// </summary>
    public Scene ToScene(int depth)
    {
        var nodes = NodeIdsAtDepth(depth);
        var distinctNodes = nodes.Distinct().Order().ToArray();
        var instanceOf = distinctNodes.Select((id, k) => (id, k)).ToDictionary(t => t.id, t => t.k + 1);
        var paths = distinctNodes.Select(id => _byId[id].Path).Distinct().Order(StringComparer.Ordinal).ToArray();
        var classOf = paths.Select((p, k) => (p, k)).ToDictionary(t => t.p, t => t.k + 1);
        var table = new ClassTable($"partnet-{Category}-depth{depth}", paths.Select((p, k) =>
        {
            var (r, g, b) = Classes.ClassTables.Nyu40Color(k + 1);
            return new SemanticClass(k + 1, p, r, g, b);
        }));
        return new Scene(AnnoId, (float[])Points.Clone())
        {
            InstanceIds = nodes.Select(id => instanceOf[id]).ToArray(),
            SemanticLabels = nodes.Select(id => classOf[_byId[id].Path]).ToArray(),
            Classes = table,
        };
    }

    /// <summary>The merged hierarchy of PartNet v0 (REFERENCE.md §6), beside <c>result.json</c>.</summary>
    public const string MergedFileName = "result_after_merging.json";

    /// <summary>
    /// The merged hierarchy of the shape in <paramref name="shapeDir"/> (<see cref="MergedFileName"/>: nodes with
    /// <c>name</c>, <c>id</c>, <c>ori_id</c> and <c>objs</c>), or null when the folder has none.
    /// </summary>
    public static IReadOnlyList<PartNetNode>? LoadMergedTree(string shapeDir)
    {
        var path = Path.Combine(shapeDir, MergedFileName);
        if (!File.Exists(path)) return null;
        var roots = ReadTree(path);
        var ids = new HashSet<int>();
        foreach (var node in roots.SelectMany(r => r.Descendants()))
        {
            if (!ids.Add(node.Id)) throw new DataFormatException(path, $"part node id {node.Id} appears twice");
        }
        return roots;
    }

    /// <summary>Whether <paramref name="dir"/> is a PartNet shape folder.</summary>
    public static bool IsShapeFolder(string dir) =>
        File.Exists(Path.Combine(dir, "result.json")) && Directory.Exists(Path.Combine(dir, "point_sample"));

    /// <summary>Loads the shape in <paramref name="shapeDir"/>.</summary>
    public static PartNetShape Load(string shapeDir)
    {
        var resultPath = Path.Combine(shapeDir, "result.json");
        if (!File.Exists(resultPath)) throw new DataFormatException(shapeDir, "PartNet shape folder has no result.json");
        var roots = ReadTree(resultPath);
        var sample = Path.Combine(shapeDir, "point_sample");
        var ptsPath = Path.Combine(sample, "pts-10000.txt");
        if (!File.Exists(ptsPath))
            ptsPath = Directory.Exists(sample) ? Directory.GetFileSystemEntries(sample, "pts-*.txt").Order(StringComparer.Ordinal).FirstOrDefault() ?? ptsPath : ptsPath;
        if (Directory.Exists(ptsPath)) throw new DataFormatException(ptsPath, "is a folder, expected the point file x y z per line");
        if (!File.Exists(ptsPath)) throw new DataFormatException(shapeDir, "PartNet shape folder has no point_sample/pts-10000.txt");
        var labelPath = Path.Combine(sample, Path.GetFileName(ptsPath).Replace("pts-", "label-", StringComparison.Ordinal));
        if (!File.Exists(labelPath)) throw new DataFormatException(shapeDir, $"PartNet shape folder has no point_sample/{Path.GetFileName(labelPath)}");

        var pts = TextTable.Read(ptsPath);
        if (pts.Rows > 0 && pts.Columns < 3) throw new DataFormatException(ptsPath, $"{pts.Columns} columns per line, expected x y z");
        // Node ids are read as integers (a float table would round ids above 2^24 and hide fractions).
        var ids = ScanNetEvaluationFiles.ReadVertexIds(labelPath);
        if (ids.Length != pts.Rows)
            throw new DataFormatException(labelPath, $"{ids.Length} node ids for {pts.Rows} points, expected one node id per line per point");
        var points = new float[3 * pts.Rows];
        for (int i = 0; i < pts.Rows; i++)
        {
            for (int c = 0; c < 3; c++) points[3 * i + c] = pts[i, c];
        }
        string category = "", annoId = Path.GetFileName(Path.TrimEndingDirectorySeparator(shapeDir));
        var metaPath = Path.Combine(shapeDir, "meta.json");
        if (File.Exists(metaPath))
        {
            try
            {
                using var meta = JsonDocument.Parse(InputFile.ReadAllBytes(metaPath), new JsonDocumentOptions { MaxDepth = 64 });
                if (meta.RootElement.ValueKind == JsonValueKind.Object)
                {
                    if (meta.RootElement.TryGetProperty("model_cat", out var cat) && cat.ValueKind == JsonValueKind.String) category = cat.GetString()!;
                    if (meta.RootElement.TryGetProperty("anno_id", out var anno) && anno.ValueKind == JsonValueKind.String) annoId = anno.GetString()!;
                }
            }
            catch (JsonException e)
            {
                throw new DataFormatException(metaPath, $"not valid JSON ({e.Message.ReplaceLineEndings(" ")})", e);
            }
            catch (InvalidOperationException e)
            {
                throw new DataFormatException(metaPath, $"a JSON string is not valid UTF-8 ({e.Message})", e);
            }
        }
        if (category.Length == 0 && roots.Count > 0) category = roots[0].Text;
        try
        {
            var shape = new PartNetShape(annoId, category, roots, points, ids);
            if (new Scene(annoId, points).Validate() is { } problem) throw new DataFormatException(ptsPath, problem);
            return shape;
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(shapeDir, e.Message, e);
        }
    }

    private static List<PartNetNode> ReadTree(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(InputFile.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 64 });
            var root = doc.RootElement;
            var list = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            return list.Select(e => ReadNode(e, path)).ToList();
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"not valid JSON ({e.Message.ReplaceLineEndings(" ")})", e);
        }
        catch (InvalidOperationException e)
        {
            throw new DataFormatException(path, $"a JSON string is not valid UTF-8 ({e.Message})", e);
        }
    }

    private static PartNetNode ReadNode(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.Number
            || !idElement.TryGetInt32(out int id))
            throw new DataFormatException(path, $"every part node needs an integer 'id', found {(e.ValueKind == JsonValueKind.Object && e.TryGetProperty("id", out var bad) ? bad.ValueKind.ToString() : "none")}");
        string Str(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var objs = e.TryGetProperty("objs", out var o) && o.ValueKind == JsonValueKind.Array
            ? o.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : x.ToString()).ToList()
            : [];
        var children = e.TryGetProperty("children", out var c) && c.ValueKind == JsonValueKind.Array
            ? c.EnumerateArray().Select(x => ReadNode(x, path)).ToList()
            : [];
        int? originalId = null;
        if (e.TryGetProperty("ori_id", out var ori))
        {
            if (ori.ValueKind != JsonValueKind.Number || !ori.TryGetInt32(out int oriId))
                throw new DataFormatException(path, $"part node {id}: 'ori_id' is {ori.ValueKind}, expected an integer node id of result.json");
            originalId = oriId;
        }
        return new PartNetNode(id, Str("name"), Str("text"), objs, children, originalId);
    }
}
