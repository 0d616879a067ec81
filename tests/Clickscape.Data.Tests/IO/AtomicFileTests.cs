using System.Diagnostics;
using Clickscape.Data.IO;
using Clickscape.Data.Tests.Formats;

namespace Clickscape.Data.Tests.IO;

/// <summary>Attack: interrupted writes left <c>.NAME.&lt;pid&gt;.&lt;guid&gt;.tmp</c> files forever; write errors named the temporary file.</summary>
public class AtomicFileTests
{
    /// <summary>The pid of a process that has just exited (so no process runs under it, barring reuse in the meantime).</summary>
    private static int DeadPid()
    {
        using var p = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        p.WaitForExit();
        return p.Id;
    }

    [Fact]
    public void StaleTemporariesOfDeadProcesses_AreRemoved_OthersKept()
    {
        if (OperatingSystem.IsWindows()) return;
        var dir = TestScenes.TempDir();
        string guid = Guid.NewGuid().ToString("N");
        var stale = Path.Combine(dir, $".scan.ply.{DeadPid()}.{guid}.tmp");
        var staleFolder = Path.Combine(dir, $".scan.ply.{DeadPid()}.{Guid.NewGuid():N}.tmp");
        var live = Path.Combine(dir, $".scan.ply.{Environment.ProcessId}.{guid}.tmp"); // a writer of ours at work
        var other = Path.Combine(dir, $".scan.ply.12.notaguid.tmp");
        var otherName = Path.Combine(dir, $".other.ply.{DeadPid()}.{guid}.tmp");
        var recent = Path.Combine(dir, $".scan.ply.{DeadPid()}.{Guid.NewGuid():N}.tmp"); // dead pid, but written just now
        foreach (var f in new[] { stale, live, other, otherName, recent }) File.WriteAllText(f, "half");
        Directory.CreateDirectory(Path.Combine(staleFolder, "sub"));
        var longAgo = DateTime.UtcNow.AddHours(-1);
        foreach (var f in new[] { stale, live, other, otherName }) File.SetLastWriteTimeUtc(f, longAgo);
        Directory.SetLastWriteTimeUtc(staleFolder, longAgo);

        AtomicFile.WriteAllText(Path.Combine(dir, "scan.ply"), "whole");

        Assert.Equal("whole", File.ReadAllText(Path.Combine(dir, "scan.ply")));
        Assert.False(File.Exists(stale));
        Assert.False(Directory.Exists(staleFolder));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(recent)); // perhaps a writer on another machine sharing the folder
        Assert.True(File.Exists(other));
        Assert.False(File.Exists(otherName)); // the sweep covers the folder: every dead writer's temporaries
    }

    [Fact]
    public void WriteError_NamesTheTarget_NotTheTemporaryFile()
    {
        var dir = TestScenes.TempDir();
        var target = Path.Combine(dir, "out.ply");
        Directory.CreateDirectory(target); // a folder where the file should go
        var e = Assert.Throws<IOException>(() => AtomicFile.WriteAllText(target, "x"));
        Assert.Contains(target, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(".tmp", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir, ".*"));
    }

    [Fact]
    public void FailingWriter_LeavesTheOldFile_AndNoTemporary()
    {
        var dir = TestScenes.TempDir();
        var target = Path.Combine(dir, "a.txt");
        File.WriteAllText(target, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(target, s =>
        {
            s.WriteByte(1);
            throw new InvalidOperationException("writer failed");
        }));
        Assert.Equal("old", File.ReadAllText(target));
        Assert.Single(Directory.GetFileSystemEntries(dir));
    }

    [Theory]
    [InlineData(".scan.ply.123.0123456789abcdef0123456789abcdef.tmp", 123)]
    [InlineData(".scan.ply.123.0123456789abcdef0123456789abcdef.old", 123)]
    [InlineData(".scan.ply.123.0123456789ABCDEF0123456789abcdef.tmp", null)]
    [InlineData(".scan.ply.12a.0123456789abcdef0123456789abcdef.tmp", null)]
    [InlineData(".scan.ply.123.0123456789abcdef0123456789abcde.tmp", null)]
    [InlineData("scan.ply.123.0123456789abcdef0123456789abcdef.tmp", null)]
    [InlineData(".scan.ply.123.0123456789abcdef0123456789abcdef.txt", null)]
    [InlineData(".a.7.0123456789abcdef0123456789abcdef.tmp", 7)]
    [InlineData("..7.0123456789abcdef0123456789abcdef.tmp", null)]
    [InlineData(".git", null)]
    public void OurTemporaryNames_AreRecognised_NothingElse(string file, int? pid)
    {
        Assert.Equal(pid, AtomicFile.ParseTemporary(file));
    }
}
