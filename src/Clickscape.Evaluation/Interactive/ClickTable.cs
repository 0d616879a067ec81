using System.Globalization;
using Clickscape.Data.IO;

namespace Clickscape.Evaluation.Interactive;

/// <summary>
/// The per-object IoU table of an interactive run, <c>clicks.csv</c>: header
/// <c>scene,object,class,iou_1,…,iou_N</c> (N ≥ 1, usually 20), one row per object, IoU in [0, 1].
/// </summary>
public static class ClickTable
{
    /// <summary>The file name inside a prediction folder.</summary>
    public const string FileName = "clicks.csv";

    /// <summary>Reads the table.</summary>
    public static IReadOnlyList<InteractiveObject> Read(string path)
    {
        if (!File.Exists(path))
            throw new DataFormatException(path, "not found (expected the per-object IoU table scene,object,class,iou_1,…)");
        var lines = InputFile.ReadAllLines(path);
        if (lines.Length == 0 || !lines[0].StartsWith("scene,object,class,iou_1", StringComparison.Ordinal))
            throw new DataFormatException(path, "expected the header 'scene,object,class,iou_1,…'");
        var columns = lines[0].Split(',').Length;
        var objects = new List<InteractiveObject>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
                continue;
            var parts = lines[i].Split(',');
            if (parts.Length != columns
                || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var obj)
                || !int.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var cls))
                throw new DataFormatException(path, $"line {i + 1}: expected {columns} comma-separated fields scene,object,class,iou…");
            var ious = new double[columns - 3];
            for (var k = 0; k < ious.Length; k++)
            {
                if (!double.TryParse(parts[k + 3], NumberStyles.Float, CultureInfo.InvariantCulture, out ious[k]) || !(ious[k] >= 0 && ious[k] <= 1))
                    throw new DataFormatException(path, $"line {i + 1}: IoU '{parts[k + 3]}' is not a number in [0, 1]");
            }
            objects.Add(new InteractiveObject(parts[0], obj, cls, ious));
        }
        return objects;
    }
}
