using System.Globalization;
using Clickscape.Data.Classes;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.ScanNet;

/// <summary>
/// Raw ScanNet categories (the <c>label</c> of an aggregation group) → NYU40 ids, from
/// <c>scannetv2-labels.combined.tsv</c> (columns <c>raw_category</c> → <c>nyu40id</c>, REFERENCE.md §1.2), or
/// <see cref="BuiltIn"/>: the NYU40 class names themselves, which is what generated scenes write.
/// Unknown categories map to 0 (unlabelled), as in the ScanNet export scripts.
/// </summary>
public sealed class ScanNetLabelMap
{
    private readonly Dictionary<string, int> _map;

    private ScanNetLabelMap(Dictionary<string, int> map) => _map = map;

    /// <summary>Number of raw categories known.</summary>
    public int Count => _map.Count;

    /// <summary>NYU40 names (case-insensitive, '_' = ' ') plus ScanNet's spellings "refridgerator" and "nightstand".</summary>
    public static ScanNetLabelMap BuiltIn { get; } = CreateBuiltIn();

    /// <summary>Reads a <c>scannetv2-labels.combined.tsv</c>.</summary>
    public static ScanNetLabelMap Load(string tsvPath)
    {
        var lines = InputFile.ReadAllLines(tsvPath);
        if (lines.Length == 0) throw new DataFormatException(tsvPath, "empty file, expected a tab-separated header with raw_category and nyu40id");
        var header = lines[0].Split('\t');
        int raw = Array.IndexOf(header, "raw_category");
        int nyu = Array.IndexOf(header, "nyu40id");
        if (raw < 0 || nyu < 0) throw new DataFormatException(tsvPath, "header must have the columns raw_category and nyu40id (tab-separated)");
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var cells = lines[i].Split('\t');
            if (cells.Length <= Math.Max(raw, nyu)) throw new DataFormatException(tsvPath, $"line {i + 1} has {cells.Length} columns, expected at least {Math.Max(raw, nyu) + 1}");
            if (!int.TryParse(cells[nyu], NumberStyles.Integer, CultureInfo.InvariantCulture, out int id) || id < 0)
                throw new DataFormatException(tsvPath, $"line {i + 1}: nyu40id '{cells[nyu]}' is not an id ≥ 0");
            if (!map.TryAdd(cells[raw], id) && map[cells[raw]] != id)
                throw new DataFormatException(tsvPath, $"line {i + 1}: raw_category '{cells[raw]}' maps to nyu40id {id}, an earlier line maps it to {map[cells[raw]]}");
        }
        return new ScanNetLabelMap(map);
    }

    /// <summary>The NYU40 id of <paramref name="rawCategory"/>, or 0 when unknown.</summary>
    public int ToNyu40(string rawCategory)
    {
        ArgumentNullException.ThrowIfNull(rawCategory);
        if (_map.TryGetValue(rawCategory, out int id)) return id;
        return _map.TryGetValue(Normalize(rawCategory), out id) ? id : 0;
    }

    private static ScanNetLabelMap CreateBuiltIn()
    {
        var map = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var c in ClassTables.Nyu40.Classes) map[Normalize(c.Name)] = c.Id;
        map["refridgerator"] = ClassTables.Nyu40.FindByName("refrigerator")!.Id;
        map["nightstand"] = ClassTables.Nyu40.FindByName("night stand")!.Id;
        map["other furniture"] = ClassTables.Nyu40.FindByName("otherfurniture")!.Id;
        map["other structure"] = ClassTables.Nyu40.FindByName("otherstructure")!.Id;
        map["other prop"] = ClassTables.Nyu40.FindByName("otherprop")!.Id;
        return new ScanNetLabelMap(map);
    }

    private static string Normalize(string s) => s.Trim().Replace('_', ' ').ToLowerInvariant();
}
