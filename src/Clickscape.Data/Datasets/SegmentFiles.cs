using System.Globalization;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;

namespace Clickscape.Data.Datasets;

/// <summary>
/// How over-segmentation files are named and found: by scene id, whatever threshold k they were made with.
/// A ScanNet scene folder keeps the Segmentator's own name <c>&lt;scene&gt;_vh_clean_2.&lt;k as %f&gt;.segs.json</c>
/// (REFERENCE.md §1.1); every other scene gets <c>&lt;scene id&gt;.&lt;k as %f&gt;.segs.json</c>. Lookup accepts both
/// spellings, and for a scene file also the file's own stem (what earlier versions wrote beside <c>x_vert_all.npy</c>).
/// </summary>
public static class SegmentFiles
{
    /// <summary>The file name ending every over-segmentation has.</summary>
    public const string Suffix = ".segs.json";

    private const string ScanNetInfix = "_vh_clean_2";

    /// <summary>The name to write the segmentation of scene <paramref name="sceneId"/> under.</summary>
    public static string FileName(string sceneId, float kThresh, bool scanNetScene) =>
        scanNetScene ? SegmentsFile.FileName(sceneId, kThresh) : $"{sceneId}.{((double)kThresh).ToString("F6", CultureInfo.InvariantCulture)}{Suffix}";

    /// <summary>
    /// The over-segmentation files in <paramref name="dir"/> (and in <c>dir/&lt;id&gt;/</c>) of a scene known by
    /// <paramref name="stems"/> (its id first), ordinal order: <c>&lt;stem&gt;[_vh_clean_2].&lt;number&gt;.segs.json</c>.
    /// </summary>
    public static IReadOnlyList<string> Candidates(string dir, IReadOnlyList<string> stems)
    {
        ArgumentNullException.ThrowIfNull(stems);
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var folder in new[] { dir, Path.Combine(dir, stems[0]) })
        {
            if (!Directory.Exists(folder)) continue;
            foreach (var file in Directory.EnumerateFiles(folder, "*" + Suffix))
            {
                var name = Path.GetFileName(file);
                if (stems.Any(stem => Matches(name, stem))) found.Add(file);
            }
        }
        return [.. found];
    }

    /// <summary>
    /// The one over-segmentation among <paramref name="candidates"/>, or null when there is none; several (made with
    /// different k) are a <see cref="DataFormatException"/>, since which one was meant cannot be known.
    /// </summary>
    public static string? Choose(IReadOnlyList<string> candidates, string sceneId)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return candidates.Count switch
        {
            0 => null,
            1 => candidates[0],
            _ => throw new DataFormatException(Path.GetDirectoryName(candidates[0]) ?? ".",
                $"scene '{sceneId}' has {candidates.Count} over-segmentations ({string.Join(", ", candidates.Select(Path.GetFileName))}); keep one, or put the one to use in a folder and pass it with --segments"),
        };
    }

    private static bool Matches(string name, string stem)
    {
        if (!name.StartsWith(stem, StringComparison.Ordinal)) return false;
        var rest = name[stem.Length..^Suffix.Length];
        if (rest.StartsWith(ScanNetInfix, StringComparison.Ordinal)) rest = rest[ScanNetInfix.Length..];
        return rest.Length > 1 && rest[0] == '.'
            && double.TryParse(rest[1..], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double k) && k >= 0;
    }
}
