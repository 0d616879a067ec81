using System.Globalization;
using System.Text.Json;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.ScanNet;

/// <summary>
/// A ScanNet over-segmentation, <c>&lt;scene&gt;_vh_clean_2.0.010000.segs.json</c> (REFERENCE.md §1.1):
/// <c>{"params":{"kThresh":k,"segMinVerts":m},"sceneId":"…","segIndices":[one segment id per vertex]}</c>.
/// Segment ids are arbitrary ints (the segmentator uses the root vertex index). The released files write
/// the params as strings ("0.01") and add more of them; both spellings are read.
/// </summary>
public sealed class SegmentsFile
{
    /// <summary>Creates a segmentation of <paramref name="segIndices"/>.Length vertices.</summary>
    public SegmentsFile(string sceneId, int[] segIndices, float kThresh = 0.01f, int segMinVerts = 20)
    {
        ArgumentNullException.ThrowIfNull(segIndices);
        SceneId = sceneId;
        SegIndices = segIndices;
        KThresh = kThresh;
        SegMinVerts = segMinVerts;
    }

    /// <summary>Scene id, e.g. <c>scene0000_00</c>.</summary>
    public string SceneId { get; }

    /// <summary>Segment id per mesh vertex.</summary>
    public int[] SegIndices { get; }

    /// <summary>The Felzenszwalb threshold the segmentation was made with.</summary>
    public float KThresh { get; }

    /// <summary>The minimum segment size the segmentation was made with.</summary>
    public int SegMinVerts { get; }

    /// <summary>
    /// The file name the segmentator writes: <c>&lt;scene&gt;_vh_clean_2.&lt;kThresh as %f&gt;.segs.json</c>, e.g.
    /// <c>scene0000_00_vh_clean_2.0.010000.segs.json</c>.
    /// </summary>
    public static string FileName(string sceneId, float kThresh = 0.01f) =>
        $"{sceneId}_vh_clean_2.{((double)kThresh).ToString("F6", CultureInfo.InvariantCulture)}.segs.json";

    /// <summary>Reads a segs.json file.</summary>
    public static SegmentsFile Read(string path) => Parse(InputFile.ReadAllBytes(path), path);

    /// <summary>Parses segs.json <paramref name="bytes"/>; <paramref name="path"/> names them in errors.</summary>
    public static SegmentsFile Parse(byte[] bytes, string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new DataFormatException(path, "expected a JSON object with 'segIndices'");
            if (!root.TryGetProperty("segIndices", out var indices) || indices.ValueKind != JsonValueKind.Array)
                throw new DataFormatException(path, "missing 'segIndices' array (one segment id per vertex)");
            var seg = new int[indices.GetArrayLength()];
            int i = 0;
            foreach (var v in indices.EnumerateArray())
            {
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out seg[i]))
                    throw new DataFormatException(path, $"segIndices[{i}] is not an int32");
                i++;
            }
            string sceneId = root.TryGetProperty("sceneId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()! : "";
            float k = 0.01f;
            int m = 20;
            if (root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object)
            {
                if (p.TryGetProperty("kThresh", out var kt) && Number(kt) is { } kv)
                {
                    if (!(kv >= 0) || !float.IsFinite((float)kv)) throw new DataFormatException(path, $"params.kThresh {kv}: expected a finite number ≥ 0");
                    k = (float)kv;
                }
                if (p.TryGetProperty("segMinVerts", out var sm) && Number(sm) is { } sv)
                {
                    if (sv != Math.Floor(sv) || sv is < 0 or > int.MaxValue) throw new DataFormatException(path, $"params.segMinVerts {sv}: expected a whole number ≥ 0");
                    m = (int)sv;
                }
            }
            return new SegmentsFile(sceneId, seg, k, m);
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

    /// <summary>Writes the file atomically, in the segmentator's layout (numeric params).</summary>
    public void Write(string path) =>
        AtomicFile.Write(path, stream =>
        {
            using var w = new Utf8JsonWriter(stream);
            w.WriteStartObject();
            w.WriteStartObject("params");
            w.WriteNumber("kThresh", KThresh);
            w.WriteNumber("segMinVerts", SegMinVerts);
            w.WriteEndObject();
            w.WriteString("sceneId", SceneId);
            w.WriteStartArray("segIndices");
            foreach (int s in SegIndices) w.WriteNumberValue(s);
            w.WriteEndArray();
            w.WriteEndObject();
        });

    private static double? Number(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String when double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
        _ => null,
    };
}
