using System.Globalization;
using Clickscape.Data.IO;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Evaluation.S3dis;

/// <summary>
/// Our folder layout for S3DIS instance results (ASIS writes one such file per room): every
/// <c>&lt;room&gt;.txt</c> in the prediction folder has one line per point <c>semantic instance</c>
/// (class 0..12, instance −1 = none), and <c>&lt;gt&gt;/&lt;room&gt;.txt</c> has the same two columns for GT.
/// Extra leading columns (x y z r g b …) are allowed: the last two are used.
/// </summary>
public static class S3disFolders
{
    /// <summary>Loads every room of the prediction folder with its GT.</summary>
    public static IReadOnlyList<S3disRoom> Load(string predDir, string gtDir, int classCount = 13)
    {
        var names = ScanNetFolders.SceneNames(predDir, gtDir);
        return ScanNetFolders.ReadAll(names, name =>
        {
            var (gs, gi) = ReadColumns(Path.Combine(gtDir, name + ".txt"), classCount);
            var predPath = Path.Combine(predDir, name + ".txt");
            var (ps, pi) = ReadColumns(predPath, classCount);
            if (ps.Length != gs.Length)
                throw new DataFormatException(predPath, $"{ps.Length} points but the GT has {gs.Length}");
            return new S3disRoom(name, gs, gi, ps, pi);
        });
    }

    private static (int[] Semantic, int[] Instance) ReadColumns(string path, int classCount)
    {
        var semantic = new List<int>();
        var instance = new List<int>();
        var number = 0;
        foreach (var raw in InputFile.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0)
                continue;
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2
                || !double.TryParse(parts[^2], NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
                || !double.TryParse(parts[^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var i)
                || s != Math.Floor(s) || i != Math.Floor(i))
                throw new DataFormatException(path, $"line {number}: expected '… semantic instance' integers, found '{(line.Length > 40 ? line[..40] : line)}'");
            if (s < 0 || s >= classCount)
                throw new DataFormatException(path, $"line {number}: class {s} out of range 0..{classCount - 1}");
            if (i is < int.MinValue or > int.MaxValue) // (int) would saturate: distinct instances would merge into one id
                throw new DataFormatException(path, $"line {number}: instance {parts[^1]} does not fit a 32-bit id");
            semantic.Add((int)s);
            instance.Add((int)i);
        }
        return ([.. semantic], [.. instance]);
    }
}
