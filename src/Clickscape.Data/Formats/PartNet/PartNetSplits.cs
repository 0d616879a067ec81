using System.Text.Json;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.PartNet;

/// <summary>
/// PartNet's split lists (REFERENCE.md §6): <c>stats/train_val_test_split/&lt;Cat&gt;.{train,val,test}.json</c>, each a
/// JSON array of <c>{"model_id": …, "anno_id": …}</c>; a split is the shapes of every category's file for it.
/// </summary>
public static class PartNetSplits
{
    /// <summary>The split files of <paramref name="split"/> in the <c>stats/</c> folder <paramref name="statsDir"/>, ordinal order (none: empty).</summary>
    public static IReadOnlyList<string> Files(string statsDir, string split)
    {
        ArgumentNullException.ThrowIfNull(statsDir);
        ArgumentNullException.ThrowIfNull(split);
        var dir = Path.Combine(statsDir, PartNetBenchmark.SplitFolderName);
        if (!Directory.Exists(dir) || split.Length == 0 || split.IndexOfAny(['/', '\\', '*', '?']) >= 0) return [];
        return Directory.GetFiles(dir, "*." + split + ".json").Where(f => Path.GetFileName(f).EndsWith("." + split + ".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The <c>anno_id</c>s of one split file, in its order; anything but an array of objects with an <c>anno_id</c> is a <see cref="DataFormatException"/>.</summary>
    public static IReadOnlyList<string> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            using var doc = JsonDocument.Parse(InputFile.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 16 });
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new DataFormatException(path, $"is a JSON {doc.RootElement.ValueKind}, expected an array of {{\"model_id\", \"anno_id\"}} objects");
            var ids = new List<string>();
            int index = 0;
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                index++;
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("anno_id", out var anno)
                    || anno.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
                    throw new DataFormatException(path, $"entry {index}: expected an object with an 'anno_id' string");
                var id = anno.ValueKind == JsonValueKind.String ? anno.GetString()! : anno.GetRawText();
                if (id.Length == 0 || id.Any(char.IsWhiteSpace) || id.Contains('/') || id.Contains('\\'))
                    throw new DataFormatException(path, $"entry {index}: anno_id '{id}' is not a shape folder name");
                ids.Add(id);
            }
            return ids;
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
}
