using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.ScanNet;

/// <summary>
/// ScanNet split lists, <c>DIR/splits/{train,val}.txt</c> (as <c>scannetv2_train.txt</c>): one scene id per
/// line, blank lines ignored.
/// </summary>
public static class ScanNetSplits
{
    /// <summary>The path of split <paramref name="split"/> (e.g. "train") under dataset root <paramref name="root"/>.</summary>
    public static string PathOf(string root, string split) => Path.Combine(root, "splits", $"{split}.txt");

    /// <summary>Reads the scene ids of a split file.</summary>
    public static IReadOnlyList<string> Read(string path)
    {
        var ids = new List<string>();
        int line = 0;
        foreach (var raw in InputFile.ReadLines(path))
        {
            line++;
            var id = raw.Trim();
            if (id.Length == 0) continue;
            if (id.Any(char.IsWhiteSpace) || id.Contains('/') || id.Contains('\\'))
                throw new DataFormatException(path, $"line {line}: '{id}' is not a scene id (one id per line, no spaces or slashes)");
            ids.Add(id);
        }
        return ids;
    }

    /// <summary>Writes scene ids one per line, atomically.</summary>
    public static void Write(string path, IEnumerable<string> sceneIds)
    {
        ArgumentNullException.ThrowIfNull(sceneIds);
        var list = sceneIds.ToList();
        foreach (var id in list)
        {
            if (id.Length == 0 || id.Any(char.IsWhiteSpace)) throw new ArgumentException($"split '{path}': '{id}' is not a scene id");
        }
        AtomicFile.WriteAllText(path, string.Concat(list.Select(id => id + "\n")));
    }
}
