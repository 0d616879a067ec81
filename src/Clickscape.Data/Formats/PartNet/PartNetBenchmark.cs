using System.Globalization;
using System.Text.RegularExpressions;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.PartNet;

/// <summary>
/// PartNet's benchmark part classes (Mo et al., "PartNet", CVPR 2019, §5.1 and §5.3; REFERENCE.md §6): the release's
/// <c>stats/after_merging_label_ids/&lt;Cat&gt;-level-k.txt</c>, one part of the merged hierarchy a line,
/// <c>id path type</c> (<c>3 bottle/normal_bottle/body leaf</c>). The classes of level k of a category are that file's
/// paths in line order (semantic label = line index + 1; 0 = other). A category has the levels whose files exist
/// (PartNet's Bag has only level 1, its Bottle levels 1 and 3). The other files of the folder (<c>Chair.txt</c>,
/// <c>Chair-hier.txt</c>) are not read. <c>stats/</c> sits beside the release's <c>data/</c>.
/// </summary>
public sealed partial class PartNetBenchmark
{
    /// <summary>The release's statistics folder, beside <c>data/</c>.</summary>
    public const string StatsFolderName = "stats";

    /// <summary>The folder of the level lists under <c>stats/</c>.</summary>
    public const string LabelIdsFolderName = "after_merging_label_ids";

    /// <summary>The folder of the split lists under <c>stats/</c>.</summary>
    public const string SplitFolderName = "train_val_test_split";

    private PartNetBenchmark(string folder, IReadOnlyDictionary<string, PartNetBenchmarkCategory> categories)
    {
        Folder = folder;
        Categories = categories;
    }

    /// <summary>The <c>after_merging_label_ids</c> folder read.</summary>
    public string Folder { get; }

    /// <summary>Category name (<c>Chair</c>, as the file names and <c>meta.json</c>'s <c>model_cat</c> spell it) → its levels.</summary>
    public IReadOnlyDictionary<string, PartNetBenchmarkCategory> Categories { get; }

    /// <summary>The benchmark levels of <paramref name="category"/>, or null when the statistics do not list it.</summary>
    public PartNetBenchmarkCategory? For(string category) => Categories.GetValueOrDefault(category);

    /// <summary>
    /// The release's <c>stats/</c> folder for a dataset opened at <paramref name="datasetRoot"/>: <c>ROOT/stats</c> when
    /// opened at the release root, <c>../stats</c> when opened at its <c>data/</c>, <c>../../stats</c> when opened at one
    /// shape folder <c>data/&lt;anno_id&gt;/</c>; the first that holds <c>after_merging_label_ids/</c> or
    /// <c>train_val_test_split/</c>. Null when there is none.
    /// </summary>
    public static string? LocateStats(string datasetRoot)
    {
        ArgumentNullException.ThrowIfNull(datasetRoot);
        var dir = new DirectoryInfo(Path.GetFullPath(datasetRoot));
        for (int up = 0; up < 3 && dir is not null; up++, dir = dir.Parent)
        {
            var stats = Path.Combine(dir.FullName, StatsFolderName);
            if (IsStatsFolder(stats)) return stats;
        }
        return null;
    }

    /// <summary>Whether <paramref name="dir"/> holds <c>after_merging_label_ids/</c> or <c>train_val_test_split/</c>.</summary>
    public static bool IsStatsFolder(string dir) =>
        Directory.Exists(Path.Combine(dir, LabelIdsFolderName)) || Directory.Exists(Path.Combine(dir, SplitFolderName));

    /// <summary>The level lists of the <c>stats/</c> folder <paramref name="statsDir"/>, or null when it has no <c>after_merging_label_ids/</c>.</summary>
    public static PartNetBenchmark? LoadStats(string? statsDir)
    {
        if (statsDir is null) return null;
        var folder = Path.Combine(statsDir, LabelIdsFolderName);
        return Directory.Exists(folder) ? Load(folder) : null;
    }

    /// <summary>Reads every <c>&lt;Cat&gt;-level-k.txt</c> of <paramref name="labelIdsDir"/>; a malformed line is a <see cref="DataFormatException"/> naming file and line.</summary>
    public static PartNetBenchmark Load(string labelIdsDir)
    {
        ArgumentNullException.ThrowIfNull(labelIdsDir);
        if (!Directory.Exists(labelIdsDir)) throw new DataFormatException(labelIdsDir, "no such folder (expected PartNet's stats/after_merging_label_ids/)");
        var levels = new SortedDictionary<string, SortedDictionary<int, IReadOnlyList<string>>>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(labelIdsDir, "*.txt").Order(StringComparer.Ordinal))
        {
            var m = LevelFileName().Match(Path.GetFileName(file));
            if (!m.Success) continue;
            if (!int.TryParse(m.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int level) || level < 1)
                throw new DataFormatException(file, $"level '{m.Groups[2].Value}' in the file name, expected a level ≥ 1 (<Cat>-level-k.txt)");
            var category = m.Groups[1].Value;
            if (!levels.TryGetValue(category, out var byLevel)) levels[category] = byLevel = [];
            byLevel[level] = ReadLevel(file);
        }
        var categories = levels.ToDictionary(kv => kv.Key, kv => new PartNetBenchmarkCategory(kv.Key, kv.Value), StringComparer.Ordinal);
        return new PartNetBenchmark(Path.GetFullPath(labelIdsDir), categories);
    }

    /// <summary>The part paths of one level file, in line order; blank lines are skipped.</summary>
    public static IReadOnlyList<string> ReadLevel(string path)
    {
        var paths = new List<string>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        int line = 0;
        foreach (var raw in InputFile.ReadLines(path))
        {
            line++;
            if (raw.Trim().Length == 0) continue;
            var fields = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 3)
                throw new DataFormatException(path, $"line {line}: {fields.Length} field(s), expected 'id path type' (e.g. '3 bottle/normal_bottle/body leaf')");
            if (!int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw new DataFormatException(path, $"line {line}: id '{fields[0]}' is not a non-negative integer, expected 'id path type'");
            var partPath = fields[1];
            if (partPath.StartsWith('/') || partPath.EndsWith('/') || partPath.Contains("//", StringComparison.Ordinal))
                throw new DataFormatException(path, $"line {line}: part path '{partPath}' has an empty name, expected names joined by '/' from the root");
            if (seen.TryGetValue(partPath, out int first))
                throw new DataFormatException(path, $"line {line}: part path '{partPath}' is listed again (first on line {first}), expected each part once");
            seen[partPath] = line;
            paths.Add(partPath);
        }
        return paths;
    }

    [GeneratedRegex(@"^(.+)-level-([0-9]+)\.txt$", RegexOptions.CultureInvariant)]
    private static partial Regex LevelFileName();
}

/// <summary>
/// The benchmark levels of one PartNet category: level k → the part paths of <c>&lt;Cat&gt;-level-k.txt</c> in line
/// order. A level the category has no file for is missing: for training it takes the classes and labels of the nearest
/// coarser level that exists (the nearest finer one when none is coarser), as Sun et al. duplicate "the labels at the
/// coarser level to the finer level, if the latter was missing"; it is not evaluated.
/// </summary>
public sealed record PartNetBenchmarkCategory(string Category, IReadOnlyDictionary<int, IReadOnlyList<string>> Levels)
{
    /// <summary>The deepest level that has a file.</summary>
    public int MaxLevel => Levels.Keys.DefaultIfEmpty(0).Max();

    /// <summary>Whether level <paramref name="level"/> (1-based) has a file.</summary>
    public bool Exists(int level) => Levels.ContainsKey(level);

    /// <summary>The level whose classes level <paramref name="level"/> uses: itself, else the nearest coarser existing one, else the nearest finer one.</summary>
    public int SourceLevel(int level)
    {
        if (Levels.Count == 0) throw new InvalidOperationException($"PartNet category {Category} has no level files");
        if (Levels.ContainsKey(level)) return level;
        var coarser = Levels.Keys.Where(k => k < level).ToList();
        return coarser.Count > 0 ? coarser.Max() : Levels.Keys.Where(k => k > level).Min();
    }

    /// <summary>The classes (part paths, label = index + 1) of level <paramref name="level"/>, a missing level's copied from <see cref="SourceLevel"/>.</summary>
    public IReadOnlyList<string> ClassesAt(int level) => Levels[SourceLevel(level)];
}
