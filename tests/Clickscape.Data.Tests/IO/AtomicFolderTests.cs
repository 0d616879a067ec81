using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Data.Tests.Formats;

namespace Clickscape.Data.Tests.IO;

/// <summary>Attack: an interrupted <c>synth</c> left a scene folder with 3 of its 4 files, which <c>info</c> accepted.</summary>
public class AtomicFolderTests
{
    [Fact]
    public void InterruptedWrite_LeavesNoFolder_AndNoTemporary()
    {
        var parent = TestScenes.TempDir();
        var target = Path.Combine(parent, "scene0000_00");
        Assert.Throws<InvalidOperationException>(() => AtomicFolder.Write(target, dir =>
        {
            File.WriteAllText(Path.Combine(dir, "a.ply"), "1");
            File.WriteAllText(Path.Combine(dir, "b.json"), "2");
            File.WriteAllText(Path.Combine(dir, "c.json"), "3");
            throw new InvalidOperationException("killed before the fourth file");
        }));
        Assert.Empty(Directory.GetFileSystemEntries(parent));
    }

    [Fact]
    public void Write_ReplacesTheFolderAsAUnit()
    {
        var parent = TestScenes.TempDir();
        var target = Path.Combine(parent, "shape");
        AtomicFolder.Write(target, dir => File.WriteAllText(Path.Combine(dir, "old-only.txt"), "old"));
        AtomicFolder.Write(target, dir => File.WriteAllText(Path.Combine(dir, "new.txt"), "new"));
        Assert.Equal(["new.txt"], Directory.GetFileSystemEntries(target).Select(Path.GetFileName));
        Assert.Equal(["shape"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName));
        // A failed rewrite keeps the folder that was there.
        Assert.Throws<InvalidOperationException>(() => AtomicFolder.Write(target, _ => throw new InvalidOperationException("no")));
        Assert.Equal("new", File.ReadAllText(Path.Combine(target, "new.txt")));
        Assert.Equal(["shape"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName));
    }

    [Fact]
    public void ScanNetSceneWriter_WritesTheFourFilesAsAUnit_ReplacingStaleOnes()
    {
        var scans = TestScenes.TempDir();
        var scene = TestScenes.Random(3, 30);
        var segs = Enumerable.Range(0, 30).Select(i => i / 5).ToArray();
        Directory.CreateDirectory(Path.Combine(scans, "scene0001_00"));
        File.WriteAllText(Path.Combine(scans, "scene0001_00", "scene0001_00_vh_clean_2.0.020000.segs.json"), "{}"); // from an earlier run
        ScanNetSceneWriter.Write(scans, "scene0001_00", scene, segs);
        var files = Directory.GetFiles(Path.Combine(scans, "scene0001_00")).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(4, files.Length);
        Assert.DoesNotContain("scene0001_00_vh_clean_2.0.020000.segs.json", files);
        Assert.Equal(["scene0001_00"], Directory.GetFileSystemEntries(scans).Select(Path.GetFileName));
        Assert.Equal(30, ScanNetScene.Load(Path.Combine(scans, "scene0001_00")).PointCount);
    }

    /// <summary>A writer killed between moving the old folder aside and moving the new one in left no target: the
    /// next sweep puts the old folder back (and drops the unfinished new one) instead of deleting both.</summary>
    [Fact]
    public void FolderSetAsideByADeadWriter_IsPutBack()
    {
        if (OperatingSystem.IsWindows()) return;
        int dead;
        using (var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            p.WaitForExit();
            dead = p.Id;
        }
        var parent = TestScenes.TempDir();
        var old = Path.Combine(parent, $".shape.{dead}.{Guid.NewGuid():N}.old");
        var unfinished = Path.Combine(parent, $".shape.{dead}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(old);
        File.WriteAllText(Path.Combine(old, "result.json"), "[]");
        Directory.CreateDirectory(unfinished);
        Directory.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-1));
        Directory.SetLastWriteTimeUtc(unfinished, DateTime.UtcNow.AddHours(-1));
        Assert.Equal(2, AtomicFile.RemoveStale(parent));
        Assert.Equal(["shape"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName));
        Assert.Equal("[]", File.ReadAllText(Path.Combine(parent, "shape", "result.json")));
    }
}
