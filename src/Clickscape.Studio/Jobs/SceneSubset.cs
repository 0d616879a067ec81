using Clickscape.Studio.Scenes;

namespace Clickscape.Studio.Jobs;

/// <summary>
/// A dataset folder that holds only some scenes of the served one, as symbolic links at the same relative paths
/// (<c>scans/&lt;scene&gt;</c> stays <c>scans/&lt;scene&gt;</c>), so that <c>train --split all</c> and
/// <c>pseudo-label --split all</c> see exactly the clicked scans, read in place, with their side files (a scene
/// file's siblings that start with its name, e.g. its over-segmentation, are linked too). The served data folder is
/// never written to.
/// </summary>
public static class SceneSubset
{
    /// <summary>Links <paramref name="scenes"/> of <paramref name="catalog"/> under <paramref name="folder"/>; returns the folder.</summary>
    public static string Link(string folder, SceneCatalog catalog, IEnumerable<string> scenes)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(scenes);
        Directory.CreateDirectory(folder);
        foreach (var id in scenes)
        {
            var source = catalog.SourcePath(id);
            var relative = Path.GetRelativePath(catalog.Root, source);
            if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)) relative = Path.GetFileName(source);
            var target = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (Directory.Exists(source))
            {
                if (!Directory.Exists(target)) Directory.CreateSymbolicLink(target, source);
                continue;
            }
            var dir = Path.GetDirectoryName(source)!;
            var stem = Path.GetFileNameWithoutExtension(source);
            foreach (var sibling in Directory.EnumerateFiles(dir).Where(f => Path.GetFileName(f).StartsWith(stem, StringComparison.Ordinal) || Path.GetFileName(f).StartsWith(id, StringComparison.Ordinal)))
            {
                var link = Path.Combine(Path.GetDirectoryName(target)!, Path.GetFileName(sibling));
                if (!File.Exists(link)) File.CreateSymbolicLink(link, sibling);
            }
        }
        return folder;
    }
}
