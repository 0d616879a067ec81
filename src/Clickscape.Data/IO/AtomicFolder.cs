namespace Clickscape.Data.IO;

/// <summary>
/// Writes a folder of several files as a unit: the writer fills a temporary sibling folder
/// (<c>.NAME.&lt;pid&gt;.&lt;guid&gt;.tmp</c>, which scene enumeration skips like every dot folder), and only when
/// it has finished is that folder renamed to the target. An interrupted or failed write leaves the old folder
/// (or none), never a folder with some of its files. A folder already at the target is moved aside
/// (<c>.NAME.&lt;pid&gt;.&lt;guid&gt;.old</c>) just before the rename and deleted after it, so between the two renames
/// — two metadata operations — the target is briefly absent. Stale temporaries of dead processes are removed
/// first (<see cref="AtomicFile.RemoveStale"/>, once per parent folder and process).
/// </summary>
public static class AtomicFolder
{
    /// <summary>Writes the folder <paramref name="path"/> through <paramref name="write"/>, which gets the temporary folder to fill.</summary>
    public static void Write(string path, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var parent = Path.GetDirectoryName(full) ?? throw new ArgumentException($"{path}: cannot write a root folder as a unit");
        var name = Path.GetFileName(full);
        Directory.CreateDirectory(parent);
        AtomicFile.SweepOnce(parent);
        if (File.Exists(full)) throw new IOException($"{full}: is a file, expected a folder to write");
        var temp = AtomicFile.TemporaryName(parent, name, ".tmp");
        Directory.CreateDirectory(temp);
        try
        {
            write(temp);
            string? old = null;
            if (Directory.Exists(full))
            {
                old = AtomicFile.TemporaryName(parent, name, ".old");
                Directory.Move(full, old);
            }
            try
            {
                Directory.Move(temp, full);
            }
            catch
            {
                if (old is not null) Directory.Move(old, full);
                throw;
            }
            if (old is not null) TryDelete(old);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new IOException($"{full}: cannot write ({e.Message.Replace(temp, full, StringComparison.Ordinal)})", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a stale temporary is removed by the next write of the same folder.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
