using System.Diagnostics;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.Text;
using Clickscape.Data.IO;
using Clickscape.Data.Tests.Formats;

namespace Clickscape.Data.Tests.IO;

/// <summary>Attack: inputs that are not regular files (a FIFO hung the reader, a symlink to /dev/zero never ended).</summary>
public class InputFileTests
{
    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    /// <summary>The reader must refuse up front; run it on a worker so that a regression shows as a failure, not a stuck suite.</summary>
    private static DataFormatException RefusedWithoutBlocking(Func<object> read)
    {
        var task = Task.Run(read);
        try
        {
            Assert.True(task.Wait(TimeSpan.FromSeconds(20)), "the reader blocked on a non-regular file");
        }
        catch (AggregateException)
        {
            // The expected outcome: the read failed; checked below.
        }
        var e = Assert.IsType<DataFormatException>(task.Exception?.InnerException);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void Fifo_IsRefusedUpFront()
    {
        if (OperatingSystem.IsWindows()) return;
        var fifo = Path.Combine(TestScenes.TempDir(), "scan.ply");
        MakeFifo(fifo);
        var e = RefusedWithoutBlocking(() => PlyReader.Read(fifo));
        Assert.Contains("FIFO", e.Message, StringComparison.Ordinal);
        Assert.False(InputFile.IsRegular(fifo));
    }

    [Fact]
    public void SymlinkToAnEndlessDevice_IsRefused()
    {
        if (OperatingSystem.IsWindows() || !File.Exists("/dev/zero")) return;
        var link = Path.Combine(TestScenes.TempDir(), "zero.xyz");
        File.CreateSymbolicLink(link, "/dev/zero");
        var e = RefusedWithoutBlocking(() => TextTable.Read(link));
        Assert.Contains("character device", e.Message, StringComparison.Ordinal);
        Assert.Contains("/dev/zero", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FolderWhereAFileIsExpected_IsRefused_AndOptionalFilesAreNotSkippedInSilence()
    {
        var dir = TestScenes.TempDir();
        var folder = Path.Combine(dir, "x.ply");
        Directory.CreateDirectory(folder);
        var e = Assert.Throws<DataFormatException>(() => InputFile.ReadAllBytes(folder));
        Assert.Contains("is a folder", e.Message, StringComparison.Ordinal);
        Assert.Throws<DataFormatException>(() => InputFile.IsPresent(folder));
        Assert.False(InputFile.IsPresent(Path.Combine(dir, "absent.ply")));
        var file = Path.Combine(dir, "a.txt");
        File.WriteAllText(file, "1 2 3\n");
        Assert.True(InputFile.IsPresent(file));
        Assert.True(InputFile.IsRegular(file));
        Assert.Equal("1 2 3\n", InputFile.ReadAllText(file));
        Assert.Throws<DataFormatException>(() => InputFile.ReadAllBytes(Path.Combine(dir, "absent.ply")));
    }
}
