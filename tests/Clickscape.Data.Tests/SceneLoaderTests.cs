using Clickscape.Data.Formats.Npy;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.S3dis;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.Formats.SemanticKitti;
using Clickscape.Data.Formats.Text;
using Clickscape.Data.IO;
using Clickscape.Data.Tests.Formats;
using Clickscape.Data.Tests.Formats.PartNet;

namespace Clickscape.Data.Tests;

public class SceneLoaderTests
{
    [Fact]
    public void Enumerate_ASymlinkLoop_ListsEachSceneOnce()
    {
        var root = TestScenes.TempDir();
        var scene = TestScenes.Random(1, 40);
        Directory.CreateDirectory(Path.Combine(root, "a"));
        PlyScene.Save(Path.Combine(root, "a", "room.ply"), scene);
        Directory.CreateSymbolicLink(Path.Combine(root, "a", "up"), ".."); // a/up → root: an endless tree without the check
        Directory.CreateSymbolicLink(Path.Combine(root, "b"), "a");          // a second name for a
        var sources = SceneLoader.Enumerate(root).ToList();
        Assert.Single(sources);
        Assert.Equal("room", sources[0].Name);
    }

    [Fact]
    public void Enumerate_AFolderNamedLikeASceneFile_IsAnError()
    {
        var root = TestScenes.TempDir();
        Directory.CreateDirectory(Path.Combine(root, "room.ply"));
        var e = Assert.Throws<DataFormatException>(() => SceneLoader.Enumerate(root).ToList());
        Assert.Contains("is a folder, expected a .ply scene file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enumerate_FindsEveryLayout_AndLoadDetectsEachFormat()
    {
        var root = TestScenes.TempDir();
        var scene = TestScenes.Random(1, 60);
        scene.Normals = null;
        ScanNetSceneWriter.Write(Path.Combine(root, "scannet", "scans"), "scene0000_00", scene, Enumerable.Range(0, 60).ToArray());
        ScanNetSplits.Write(ScanNetSplits.PathOf(Path.Combine(root, "scannet"), "train"), ["scene0000_00"]);
        PartNetShapeWriter.Write(Path.Combine(root, "partnet", "777"), PartNetShapeTests.Chair(40, 1));
        var room = TestScenes.Random(2, 30, faces: false, maxLabel: 12);
        for (int i = 0; i < 30; i++) room.SemanticLabels![i] += 1;
        S3disRoom.Save(Path.Combine(root, "s3dis", "Area_1", "office_1"), room);
        NpyScene.Save(Path.Combine(root, "npy", "scene0005_00_vert_all.npy"), scene);
        NpyWriter.Write(Path.Combine(root, "npy", "scene0005_00_sem_label_all.npy"), new NpyArray(scene.SemanticLabels!, [60]));
        Directory.CreateDirectory(Path.Combine(root, "files"));
        SemanticKittiScan.Save(Path.Combine(root, "files", "000001.bin"), Path.Combine(root, "files", "000001.label"), scene);
        TextPointCloud.Save(Path.Combine(root, "files", "cloud.xyz"), scene);
        PlyScene.Save(Path.Combine(root, "files", "mesh.ply"), scene);
        NpyScene.Save(Path.Combine(root, "files", "points.npy"), scene);
        File.WriteAllText(Path.Combine(root, "files", "notes.txt"), "not a point cloud\n");

        var sources = SceneLoader.Enumerate(root).ToList();
        Assert.Equal(
            new[] { "semantickitti", "text", "ply", "npy", "scannet-npy", "partnet", "s3dis", "scannet" },
            sources.Select(s => s.Format));
        foreach (var s in sources)
        {
            var loaded = s.Load();
            Assert.Null(loaded.Validate());
            Assert.True(loaded.PointCount is 60 or 40 or 30, $"{s.Path}: {loaded.PointCount} points");
        }
        Assert.Equal(scene.InstanceIds, SceneLoader.Load(Path.Combine(root, "scannet", "scans", "scene0000_00")).InstanceIds);
        Assert.Equal(scene.SemanticLabels, SceneLoader.Load(Path.Combine(root, "npy")).SemanticLabels);
        Assert.Equal(scene.Positions, SceneLoader.Load(Path.Combine(root, "files", "cloud.xyz")).Positions);
        Assert.Equal("scannet", SceneLoader.DetectFormat(Path.Combine(root, "scannet", "scans", "scene0000_00")));
    }

    [Fact]
    public void UnsupportedOrMissing_ThrowClearErrors()
    {
        var root = TestScenes.TempDir();
        File.WriteAllText(Path.Combine(root, "a.obj"), "v 0 0 0\n");
        Assert.Contains("unsupported file type '.obj'", Assert.Throws<DataFormatException>(() => SceneLoader.Load(Path.Combine(root, "a.obj"))).Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => SceneLoader.Load(Path.Combine(root, "none.ply")));
        Assert.Contains("not a scene folder", Assert.Throws<DataFormatException>(() => SceneLoader.Load(root)).Message, StringComparison.Ordinal);
        Assert.Empty(SceneLoader.Enumerate(root));
    }
}
