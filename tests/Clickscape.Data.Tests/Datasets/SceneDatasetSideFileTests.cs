using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.Npy;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Data.Tests.Formats;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Datasets;

public class SceneDatasetSideFileTests
{
    [Fact]
    public void Segments_FoundByIdWhateverK_InASegmentsFolderToo_SeveralAreAnError()
    {
        var root = TestScenes.TempDir();
        var scene = TestScenes.Random(3, 40, faces: false);
        NpyScene.Save(Path.Combine(root, "room_a.npy"), scene);
        NpyScene.Save(Path.Combine(root, "room_b.npy"), scene);
        var dataset = SceneDataset.Open(root);
        var a = dataset.Find("room_a")!;
        var b = dataset.Find("room_b")!;
        Assert.Null(dataset.SegmentsPath(a));

        var segIds = Enumerable.Range(0, 40).Select(i => i / 10).ToArray();
        var written = SceneDataset.SegmentsOutputPath(a, 0.05f, null);
        Assert.Equal(Path.Combine(root, "room_a.0.050000.segs.json"), written);
        new SegmentsFile("room_a", segIds, 0.05f, 20).Write(written);
        Assert.Equal(written, dataset.SegmentsPath(a));
        Assert.Null(dataset.SegmentsPath(b)); // room_a's file is not room_b's
        Assert.Equal(segIds, dataset.Segments(a, a.Load()));
        Assert.Contains("run clickscape oversegment", Assert.Throws<DataFormatException>(() => dataset.Segments(b, b.Load())).Message, StringComparison.Ordinal);

        new SegmentsFile("room_a", segIds, 0.2f, 20).Write(Path.Combine(root, "room_a.0.200000.segs.json"));
        Assert.Contains("2 over-segmentations", Assert.Throws<DataFormatException>(() => dataset.SegmentsPath(a)).Message, StringComparison.Ordinal);

        // A separate folder is searched instead, ScanNet spelling accepted; a wrong length is an error.
        var segsDir = Directory.CreateDirectory(Path.Combine(TestScenes.TempDir(), "segs")).FullName;
        new SegmentsFile("room_b", segIds[..39], 0.01f, 20).Write(Path.Combine(segsDir, SegmentsFile.FileName("room_b")));
        var withDir = SceneDataset.Open(root, new SceneDatasetOptions { Segments = segsDir });
        Assert.Equal(Path.Combine(segsDir, "room_b_vh_clean_2.0.010000.segs.json"), withDir.SegmentsPath(withDir.Find("room_b")!));
        Assert.Null(withDir.SegmentsPath(withDir.Find("room_a")!));
        Assert.Contains("39 segment ids", Assert.Throws<DataFormatException>(() => withDir.Segments(withDir.Find("room_b")!, b.Load())).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ScanNetSceneFolder_KeepsTheSegmentatorName_MeshWithoutFileIsSegmented()
    {
        var root = TestScenes.TempDir();
        var scene = TestScenes.Random(4, 30);
        scene.Normals = null;
        var dir = Directory.CreateDirectory(Path.Combine(root, "scans", "scene0007_00")).FullName;
        PlyScene.Save(Path.Combine(dir, ScanNetSceneWriter.MeshFileName("scene0007_00")), scene);
        var dataset = SceneDataset.Open(root);
        var source = Assert.Single(dataset.Scenes);
        Assert.Equal(Path.Combine(dir, "scene0007_00_vh_clean_2.0.010000.segs.json"), SceneDataset.SegmentsOutputPath(source, 0.01f, null));
        var loaded = source.Load();
        Assert.Equal(Clickscape.Geometry.Segmentation.MeshSegmentator.Segment(loaded.Positions, loaded.Faces!), dataset.Segments(source, loaded));
    }

    [Fact]
    public void Clicks_Predictions_PseudoLabels_ByScenId()
    {
        var root = TestScenes.TempDir();
        PlyScene.Save(Path.Combine(root, "s1.ply"), new Scene("s1", new float[9]));
        var clicks = Directory.CreateDirectory(Path.Combine(TestScenes.TempDir(), "clicks")).FullName;
        File.WriteAllText(Path.Combine(clicks, "s1.json"), "{}");
        var pred = Path.Combine(TestScenes.TempDir(), "pred");
        Directory.CreateDirectory(Path.Combine(pred, "semantic"));
        File.WriteAllText(Path.Combine(pred, "semantic", "s1.txt"), "0\n0\n0\n");
        var dataset = SceneDataset.Open(root, new SceneDatasetOptions { Clicks = clicks, Predictions = pred, PseudoLabels = Path.Combine(root, "none") });
        var s1 = Assert.Single(dataset.Scenes);
        Assert.Equal(Path.Combine(clicks, "s1.json"), dataset.ClicksPath(s1));
        Assert.True(dataset.Predictions!.Has("s1"));
        Assert.Equal(Path.Combine(pred, "instance", "s1.txt"), dataset.Predictions.InstancePath("s1"));
        Assert.False(dataset.PseudoLabels!.Has("s1"));
        Assert.Null(SceneDataset.Open(root).ClicksPath(s1));
        Assert.Throws<DirectoryNotFoundException>(() => SceneDataset.Open(root, new SceneDatasetOptions { Segments = Path.Combine(root, "nope") }));
    }
}
