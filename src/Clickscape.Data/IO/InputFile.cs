using System.Runtime.InteropServices;
using System.Text;

namespace Clickscape.Data.IO;

/// <summary>
/// Opens the files a user hands us, after checking that each is a regular file. A FIFO would block the open
/// forever and a device (<c>/dev/zero</c>, or a symlink to it) never ends, so both are refused up front with
/// a one-line <see cref="DataFormatException"/>, as is a folder where a file is expected and a missing file.
/// Every reader goes through here instead of <see cref="File"/>.
/// </summary>
public static partial class InputFile
{
    // File type bits of st_mode (POSIX <sys/stat.h>; the runtime's System.Native shim passes them through).
    private const int TypeMask = 0xF000;
    private const int RegularType = 0x8000;
    private const int DirectoryType = 0x4000;
    private const int FifoType = 0x1000;
    private const int CharacterDeviceType = 0x2000;
    private const int BlockDeviceType = 0x6000;
    private const int SocketType = 0xC000;

    /// <summary>
    /// Throws <see cref="DataFormatException"/> unless <paramref name="path"/> (after following symlinks) is a
    /// regular file: "no such file", "is a folder, expected a file", "is a FIFO, expected a regular file" ….
    /// </summary>
    public static void RequireRegular(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) throw new DataFormatException(path, "is a folder, expected a file");
        if (!File.Exists(path)) throw new DataFormatException(path, "no such file");
        if (OperatingSystem.IsWindows()) return;
        int type = FileType(path);
        if (type is < 0 or RegularType) return; // stat unavailable: let the open decide
        string kind = type switch
        {
            FifoType => "a FIFO (named pipe)",
            CharacterDeviceType => "a character device",
            BlockDeviceType => "a block device",
            SocketType => "a socket",
            DirectoryType => "a folder",
            _ => "not a regular file",
        };
        string via = new FileInfo(path).LinkTarget is { } target ? $" (a symlink to {target})" : "";
        throw new DataFormatException(path, $"is {kind}{via}, expected a regular file");
    }

    /// <summary>
    /// For an optional input file: false when nothing is at <paramref name="path"/>, true for a regular file, and
    /// a <see cref="DataFormatException"/> for a folder, FIFO or device there — never skipped in silence.
    /// </summary>
    public static bool IsPresent(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path) && !Directory.Exists(path)) return false;
        RequireRegular(path);
        return true;
    }

    /// <summary>Whether <paramref name="path"/> exists and is a regular file (symlinks followed).</summary>
    public static bool IsRegular(string path)
    {
        if (!File.Exists(path)) return false;
        if (OperatingSystem.IsWindows()) return true;
        int type = FileType(path);
        return type is < 0 or RegularType;
    }

    /// <summary>All bytes of the regular file <paramref name="path"/>.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        RequireRegular(path);
        return File.ReadAllBytes(path);
    }

    /// <summary>All text (UTF-8) of the regular file <paramref name="path"/>.</summary>
    public static string ReadAllText(string path)
    {
        RequireRegular(path);
        return File.ReadAllText(path, Encoding.UTF8);
    }

    /// <summary>The lines of the regular file <paramref name="path"/>, read lazily.</summary>
    public static IEnumerable<string> ReadLines(string path)
    {
        RequireRegular(path);
        return File.ReadLines(path);
    }

    /// <summary>All lines of the regular file <paramref name="path"/>.</summary>
    public static string[] ReadAllLines(string path)
    {
        RequireRegular(path);
        return File.ReadAllLines(path);
    }

    /// <summary>Opens the regular file <paramref name="path"/> for reading.</summary>
    public static FileStream OpenRead(string path)
    {
        RequireRegular(path);
        return File.OpenRead(path);
    }

    /// <summary>The S_IFMT bits of <paramref name="path"/> (symlinks followed), or −1 when they cannot be read.</summary>
    private static int FileType(string path)
    {
        try
        {
            return Stat(path, out var status) == 0 ? status.Mode & TypeMask : -1;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return -1;
        }
    }

    /// <summary>
    /// The runtime's own stat shim (the one <see cref="FileInfo"/> uses): its FileStatus struct begins with
    /// Flags and Mode (int32 each) on every platform, unlike libc's <c>struct stat</c>. The rest of the struct
    /// is room we do not read.
    /// </summary>
    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, out FileStatus status);

    [StructLayout(LayoutKind.Sequential, Size = 256)]
    private struct FileStatus
    {
        public int Flags;
        public int Mode;
    }
}
