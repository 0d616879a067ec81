using System.Globalization;
using System.Text;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.PartNet;

/// <summary>
/// The folder <c>predict</c> writes for multi-level part instances and <c>evaluate --metric partnet</c> reads, one
/// folder per level: <c>OUT/level-&lt;k&gt;/&lt;shape&gt;.txt</c> (ScanNet instance format: lines
/// <c>pred_mask/&lt;shape&gt;_&lt;i&gt;.txt label confidence</c>, REFERENCE.md §1.3) with its masks,
/// <c>OUT/level-&lt;k&gt;/semantic/&lt;shape&gt;.txt</c> (one label per point) and <c>OUT/level-&lt;k&gt;/classes.txt</c>
/// (lines <c>label path</c>, as PartNet's <c>&lt;Cat&gt;-level-k.txt</c>: label = line number, path = the part's node path),
/// which is how labels are matched to the ground truth's parts.
/// </summary>
public static class PartNetPredictionLayout
{
    /// <summary>The folder of level <paramref name="level"/> (1-based).</summary>
    public static string LevelFolder(string output, int level) => Path.Combine(output, string.Create(CultureInfo.InvariantCulture, $"level-{level}"));

    /// <summary>The name (without .txt) of a level's class list; no shape can be called this.</summary>
    public const string ClassesName = "classes";

    /// <summary>The class list file of a level folder.</summary>
    public static string ClassesFile(string levelFolder) => Path.Combine(levelFolder, ClassesName + ".txt");

    /// <summary>The levels present under <paramref name="output"/> (level-1, level-2, … without gaps), or 0.</summary>
    public static int Levels(string output)
    {
        int k = 0;
        while (File.Exists(ClassesFile(LevelFolder(output, k + 1)))) k++;
        return k;
    }

    /// <summary>Writes one shape's prediction at one level: the instances (label = class number), the per-point labels and the class list.</summary>
    public static void Write(string output, int level, string shape, int pointCount, ReadOnlySpan<int> semantic, IReadOnlyList<ScanNetPredictedMask> instances, IReadOnlyList<string> classes)
    {
        ArgumentNullException.ThrowIfNull(instances);
        ArgumentNullException.ThrowIfNull(classes);
        if (shape == ClassesName) throw new ArgumentException($"shape id '{shape}' is the name of the class list file", nameof(shape));
        var dir = LevelFolder(output, level);
        Directory.CreateDirectory(Path.Combine(dir, "semantic"));
        Directory.CreateDirectory(Path.Combine(dir, ScanNetEvaluationFiles.MaskFolder));
        var text = new StringBuilder();
        for (int c = 0; c < classes.Count; c++) text.Append(CultureInfo.InvariantCulture, $"{c + 1} {classes[c]}\n");
        var classesPath = ClassesFile(dir);
        if (!File.Exists(classesPath) || File.ReadAllText(classesPath) != text.ToString()) AtomicFile.WriteAllText(classesPath, text.ToString());
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(dir, "semantic", shape + ".txt"), semantic);
        ScanNetEvaluationFiles.WriteInstancePredictions(dir, shape, pointCount, instances);
    }

    /// <summary>The class list of a level folder: path per label (index = label − 1).</summary>
    public static IReadOnlyList<string> ReadClasses(string levelFolder)
    {
        var path = ClassesFile(levelFolder);
        if (!File.Exists(path)) throw new DataFormatException(levelFolder, "has no classes.txt (lines 'label path'; written by clickscape predict)");
        var result = new List<string>();
        int line = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            line++;
            if (raw.Length == 0) continue;
            int space = raw.IndexOf(' ', StringComparison.Ordinal);
            if (space <= 0 || !int.TryParse(raw.AsSpan(0, space), NumberStyles.Integer, CultureInfo.InvariantCulture, out int label) || label != result.Count + 1)
                throw new DataFormatException(path, $"line {line}: expected '{result.Count + 1} <part path>'");
            result.Add(raw[(space + 1)..]);
        }
        return result;
    }
}
