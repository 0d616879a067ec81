using System.Text.Json;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.ScanNet;

/// <summary>One annotated object of an aggregation file: the segments it covers and its raw category.</summary>
public sealed record SegGroup(int Id, int ObjectId, int[] Segments, string Label);

/// <summary>
/// A ScanNet object annotation, <c>&lt;scene&gt;.aggregation.json</c> (REFERENCE.md §1.2):
/// <c>{"sceneId","appId","segGroups":[{"id","objectId","segments":[segment ids],"label":raw category}],"segmentsFile"}</c>.
/// The instance id of a group for evaluation is <c>objectId + 1</c>.
/// </summary>
/// <remarks>
/// Quirk handled on read: scene0217_00 lists all its groups twice (the second half annotated again, with other
/// segments); when an objectId repeats, only the first group with that objectId is kept (for scene0217_00 that is
/// exactly the first half, as REFERENCE.md §1.2 says to use) and <see cref="Notes"/> says how many were dropped.
/// </remarks>
public sealed class AggregationFile
{
    /// <summary>Creates an aggregation.</summary>
    public AggregationFile(string sceneId, IReadOnlyList<SegGroup> segGroups, string segmentsFile, string appId = "Clickscape")
    {
        SceneId = sceneId;
        SegGroups = segGroups;
        SegmentsFileName = segmentsFile;
        AppId = appId;
    }

    /// <summary>Scene id as written (released files use <c>scannet.&lt;scene&gt;</c>).</summary>
    public string SceneId { get; }

    /// <summary>The annotating tool.</summary>
    public string AppId { get; }

    /// <summary>The object groups (deduplicated by objectId on read).</summary>
    public IReadOnlyList<SegGroup> SegGroups { get; }

    /// <summary>What reading changed: duplicate groups dropped (empty for a file written here).</summary>
    public IReadOnlyList<string> Notes { get; private init; } = [];

    /// <summary>The segs.json file the segment ids refer to.</summary>
    public string SegmentsFileName { get; }

    /// <summary>The file name of a scene's aggregation: <c>&lt;scene&gt;.aggregation.json</c>.</summary>
    public static string FileName(string sceneId) => $"{sceneId}.aggregation.json";

    /// <summary>Reads an aggregation.json file.</summary>
    public static AggregationFile Read(string path) => Parse(InputFile.ReadAllBytes(path), path);

    /// <summary>Parses aggregation.json <paramref name="bytes"/>; <paramref name="path"/> names them in errors.</summary>
    public static AggregationFile Parse(byte[] bytes, string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("segGroups", out var groups) || groups.ValueKind != JsonValueKind.Array)
                throw new DataFormatException(path, "expected a JSON object with a 'segGroups' array");
            var result = new List<SegGroup>();
            var seen = new Dictionary<int, int>();
            int duplicates = 0, differing = 0;
            int g = 0;
            foreach (var group in groups.EnumerateArray())
            {
                if (group.ValueKind != JsonValueKind.Object) throw new DataFormatException(path, $"segGroups[{g}] is not an object");
                int objectId = Int(group, "objectId", path, g);
                int id = group.TryGetProperty("id", out _) ? Int(group, "id", path, g) : objectId;
                if (!group.TryGetProperty("segments", out var segs) || segs.ValueKind != JsonValueKind.Array)
                    throw new DataFormatException(path, $"segGroups[{g}] has no 'segments' array");
                var segments = new int[segs.GetArrayLength()];
                int k = 0;
                foreach (var s in segs.EnumerateArray())
                {
                    if (s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out segments[k]))
                        throw new DataFormatException(path, $"segGroups[{g}].segments[{k}] is not an int32");
                    k++;
                }
                string label = group.TryGetProperty("label", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString()! : "";
                if (objectId is < 0 or int.MaxValue) throw new DataFormatException(path, $"segGroups[{g}] has objectId {objectId}, expected 0..{int.MaxValue - 1} (the instance id is objectId + 1)");
                if (seen.TryGetValue(objectId, out int first))
                {
                    var kept = result[first];
                    duplicates++;
                    if (!kept.Segments.AsSpan().SequenceEqual(segments) || kept.Label != label) differing++;
                }
                else
                {
                    seen.Add(objectId, result.Count);
                    result.Add(new SegGroup(id, objectId, segments, label));
                }
                g++;
            }
            string Str(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
            var notes = new List<string>();
            if (duplicates > 0)
            {
                notes.Add($"{Path.GetFileName(path)}: {duplicates} segGroups repeat an earlier objectId ({differing} of them with other segments or label) and were dropped; "
                    + "the first group of each objectId is kept");
            }
            return new AggregationFile(Str("sceneId"), result, Str("segmentsFile"), Str("appId")) { Notes = notes };
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

    /// <summary>Writes the file atomically.</summary>
    public void Write(string path) =>
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream);
            w.WriteStartObject();
            w.WriteString("sceneId", SceneId);
            w.WriteString("appId", AppId);
            w.WriteStartArray("segGroups");
            foreach (var g in SegGroups)
            {
                w.WriteStartObject();
                w.WriteNumber("id", g.Id);
                w.WriteNumber("objectId", g.ObjectId);
                w.WriteStartArray("segments");
                foreach (int s in g.Segments) w.WriteNumberValue(s);
                w.WriteEndArray();
                w.WriteString("label", g.Label);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("segmentsFile", SegmentsFileName);
            w.WriteEndObject();
        });

    /// <summary>
    /// Per-vertex instance ids (objectId + 1; 0 = in no group) from the groups and the vertex segmentation.
    /// Segment ids that no vertex has are ignored; a vertex in two groups takes the later group.
    /// </summary>
    public int[] InstanceIds(int[] segIndices)
    {
        ArgumentNullException.ThrowIfNull(segIndices);
        var instanceOfSegment = new Dictionary<int, int>();
        foreach (var g in SegGroups)
        {
            foreach (int s in g.Segments) instanceOfSegment[s] = g.ObjectId + 1;
        }
        var result = new int[segIndices.Length];
        for (int i = 0; i < result.Length; i++) result[i] = instanceOfSegment.GetValueOrDefault(segIndices[i]);
        return result;
    }

    private static int Int(JsonElement group, string name, string path, int g)
    {
        if (!group.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int value))
            throw new DataFormatException(path, $"segGroups[{g}] has no int '{name}'");
        return value;
    }
}
