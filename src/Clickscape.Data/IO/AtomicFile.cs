using System.Diagnostics;
using System.Globalization;

namespace Clickscape.Data.IO;

/// <summary>
/// Writes a file so that readers see either the old file or the complete new one, never half of it: the
/// content goes to a temporary file next to the target (<c>.NAME.&lt;pid&gt;.&lt;guid&gt;.tmp</c>), which is
/// flushed and renamed over the target. On any failure (a full disk, an exception in the writer) the temporary
/// file is removed and the target is left as it was; an I/O error names the target, never the temporary file.
/// A process killed mid-write cannot remove its temporary file, so the first write into a folder (per process)
/// removes the stale temporaries of our naming left there by processes that no longer run, untouched for
/// <see cref="StaleAge"/> (<see cref="RemoveStale"/>); once per folder, because a sweep reads the whole folder and a prediction
/// folder can hold thousands of files written one by one.
/// </summary>
public static class AtomicFile
{
    /// <summary>
    /// How long a temporary must have been left untouched before a sweep removes it, on top of its process being
    /// gone: on a folder shared between machines a pid of another machine looks dead here, and its writer may be
    /// at work; a writer that stopped writing minutes ago is not.
    /// </summary>
    public static readonly TimeSpan StaleAge = TimeSpan.FromMinutes(5);

    // The folders swept by this process: a memo that only saves work (a second sweep would find nothing of ours).
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> Swept = new(StringComparer.Ordinal);

    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full)!;
        var name = System.IO.Path.GetFileName(full);
        var temp = TemporaryName(dir, name, ".tmp");
        try
        {
            Directory.CreateDirectory(dir);
            SweepOnce(dir);
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            if (Directory.Exists(full)) throw new IOException($"{full}: is a folder, expected a file to write");
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new IOException($"{full}: cannot write ({e.Message.Replace(temp, full, StringComparison.Ordinal).Replace(full + ": ", "", StringComparison.Ordinal)})", e);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Writes all of <paramref name="text"/> (UTF-8, no BOM) to <paramref name="path"/> atomically.</summary>
    public static void WriteAllText(string path, string text) =>
        Write(path, s =>
        {
            using var w = new StreamWriter(s, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            w.Write(text);
        });

    /// <summary>Writes all of <paramref name="bytes"/> to <paramref name="path"/> atomically.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    /// <summary>A fresh temporary name for <paramref name="name"/> in <paramref name="dir"/>: <c>.NAME.&lt;pid&gt;.&lt;guid&gt;SUFFIX</c>.</summary>
    internal static string TemporaryName(string dir, string name, string suffix) =>
        System.IO.Path.Combine(dir, $".{name}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.{Guid.NewGuid():N}{suffix}");

    /// <summary>Removes the stale temporaries in <paramref name="dir"/> unless this process has already done so.</summary>
    internal static void SweepOnce(string dir)
    {
        if (Swept.TryAdd(dir, true)) RemoveStale(dir);
    }

    /// <summary>
    /// Removes the temporary files and folders in <paramref name="dir"/> of our naming
    /// (<c>.NAME.&lt;pid&gt;.&lt;32 hex&gt;.tmp</c> or <c>.old</c>) whose process is no longer running and which have not
    /// been written for <see cref="StaleAge"/>. Temporaries of a running process (another writer at work) and any
    /// other file are left alone; an <c>.old</c> folder whose
    /// target is missing (its writer died between the two renames of <see cref="AtomicFolder"/>) is put back
    /// instead. Returns how many were removed or restored.
    /// </summary>
    public static int RemoveStale(string dir)
    {
        if (!Directory.Exists(dir)) return 0;
        int removed = 0;
        List<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(dir, ".*").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        foreach (var entry in entries)
        {
            var file = System.IO.Path.GetFileName(entry);
            if (ParseTemporary(file) is not { } pid || IsRunning(pid)) continue;
            try
            {
                if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(entry) < StaleAge) continue;
                // An AtomicFolder killed between its two renames left the old folder aside and no target: put it back.
                var target = System.IO.Path.Combine(dir, file[1..file.LastIndexOf('.', file.Length - 38)]);
                if (file.EndsWith(".old", StringComparison.Ordinal) && Directory.Exists(entry) && !System.IO.Path.Exists(target))
                {
                    Directory.Move(entry, target);
                    removed++;
                    continue;
                }
                if (Directory.Exists(entry) && new DirectoryInfo(entry).LinkTarget is null) Directory.Delete(entry, recursive: true);
                else File.Delete(entry);
                removed++;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: another process may be removing it too.
            }
        }
        return removed;
    }

    /// <summary>The pid of a temporary name of ours (<c>.NAME.&lt;pid&gt;.&lt;32 hex&gt;.tmp|.old</c>), or null when it is not one.</summary>
    internal static int? ParseTemporary(string file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var rest = file.AsSpan();
        if (rest.Length < 1 + 1 + 1 + 1 + 1 + 32 + 4 || rest[0] != '.') return null;
        if (!rest.EndsWith(".tmp", StringComparison.Ordinal) && !rest.EndsWith(".old", StringComparison.Ordinal)) return null;
        rest = rest[..^4];
        var guid = rest[^32..];
        foreach (char c in guid)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return null;
        }
        rest = rest[..^32];
        if (rest.Length < 4 || rest[^1] != '.') return null;
        rest = rest[..^1];
        int dot = rest.LastIndexOf('.');
        if (dot < 2) return null; // ".N." at least: a name of one character or more
        var digits = rest[(dot + 1)..];
        if (digits.IsEmpty) return null;
        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c)) return null;
        }
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: the original error matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
