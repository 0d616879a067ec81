namespace Clickscape.Data.IO;

/// <summary>
/// The canonical path of a file with every symlink along it resolved (POSIX <c>realpath</c>), for containment
/// checks: a path that a file names "inside" a folder (a mask path in a prediction summary) is inside only if
/// its real path is below the folder's real path — a symlink inside the folder that points elsewhere is not.
/// </summary>
public static class RealPath
{
    // Linux gives up after 40 links (MAXSYMLINKS); so do we, which also ends link cycles.
    private const int MaxLinks = 40;

    /// <summary>The real path of <paramref name="path"/>; components that do not exist are kept as written.</summary>
    public static string Of(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        int links = 0;
        return Resolve(Path.GetFullPath(path), ref links, path);
    }

    /// <summary>Whether the real path of <paramref name="path"/> lies strictly below the real path of <paramref name="folder"/>.</summary>
    public static bool IsInside(string path, string folder)
    {
        var real = Of(path);
        var root = Path.TrimEndingDirectorySeparator(Of(folder));
        return real.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static string Resolve(string full, ref int links, string original)
    {
        var root = Path.GetPathRoot(full) ?? "";
        var current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            string? target = new FileInfo(next).LinkTarget; // null for a missing path or one that is not a link
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks) throw new DataFormatException(original, $"more than {MaxLinks} symlinks along the path (a link cycle?)");
            var resolved = Path.GetFullPath(target, current);
            current = Resolve(resolved, ref links, original);
        }
        return current.Length == 0 ? full : current;
    }
}
