using System.Buffers.Binary;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.MmDetection3d;
using Clickscape.Data.Formats.Npy;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.Formats.SemanticKitti;
using Clickscape.Data.IO;
using Clickscape.Testing;
using Clickscape.Geometry.Scenes;
using Xunit.Abstractions;

namespace Clickscape.Data.Tests.Formats.MmDetection3d;

/// <summary>The mmdetection3d ScanNet / S3DIS layouts, old (.npy) and new (points/ + masks .bin), on files generated here.</summary>
public class MmDetection3dLayoutTests(ITestOutputHelper output)
{
    /// <summary>n points: x y z r g b with whole-number colours, semantic ids cycling over <paramref name="classes"/>, instances 1..k.</summary>
    private static (float[] Rows, long[] Semantic, long[] Instance) Scene(int seed, int n, int[] classes, int instances)
    {
        var rng = new Random(seed);
        var rows = new float[6 * n];
        var semantic = new long[n];
        var instance = new long[n];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 3; c++) rows[(6 * i) + c] = (float)(rng.NextDouble() * 4 - 2);
            for (int c = 3; c < 6; c++) rows[(6 * i) + c] = rng.Next(256);
            semantic[i] = classes[i % classes.Length];
            instance[i] = i % (instances + 1);
        }
        return (rows, semantic, instance);
    }

    private static void WriteFloats(string path, float[] values)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        File.WriteAllBytes(path, bytes);
    }

    private static void WriteInt64(string path, long[] values)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), values[i]);
        File.WriteAllBytes(path, bytes);
    }

    private static void AssertPoints(float[] rows, Scene scene)
    {
        int n = rows.Length / 6;
        Assert.Equal(n, scene.PointCount);
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 3; c++) Assert.Equal(rows[(6 * i) + c], scene.Positions[(3 * i) + c]);
            for (int c = 0; c < 3; c++) Assert.Equal((byte)rows[(6 * i) + 3 + c], scene.Colors![(3 * i) + c]);
        }
    }

    private static int[] Ints(long[] v) => [.. v.Select(x => (int)x)];

    [Fact]
    public void OldNpyFolder_VertAndVertAllAreOneScene_BoxFilesAreNotScenes()
    {
        var dir = Path.Combine(TestScenes.TempDir(), "scannet_instance_data");
        Directory.CreateDirectory(dir);
        var a = Scene(1, 50, [1, 2, 5], 4);
        NpyWriter.Write(Path.Combine(dir, "scene0001_00_vert.npy"), new NpyArray(a.Rows, [50, 6]));
        NpyWriter.Write(Path.Combine(dir, "scene0001_00_sem_label.npy"), new NpyArray(a.Semantic, [50]));
        NpyWriter.Write(Path.Combine(dir, "scene0001_00_ins_label.npy"), new NpyArray(a.Instance, [50]));
        NpyWriter.Write(Path.Combine(dir, "scene0001_00_aligned_bbox.npy"), new NpyArray(new float[4 * 7], [4, 7]));
        NpyWriter.Write(Path.Combine(dir, "scene0001_00_unaligned_bbox.npy"), new NpyArray(new float[4 * 7], [4, 7]));
        NpyWriter.Write(Path.Combine(dir, "scene0001_00_axis_align_matrix.npy"), new NpyArray(new float[16], [4, 4]));
        // scene0002_00: a 30-point _vert (sampled) and a 70-point _vert_all, each with its labels.
        var sampled = Scene(2, 30, [3], 2);
        var all = Scene(3, 70, [7, 33], 5);
        NpyWriter.Write(Path.Combine(dir, "scene0002_00_vert.npy"), new NpyArray(sampled.Rows, [30, 6]));
        NpyWriter.Write(Path.Combine(dir, "scene0002_00_sem_label.npy"), new NpyArray(sampled.Semantic, [30]));
        NpyWriter.Write(Path.Combine(dir, "scene0002_00_vert_all.npy"), new NpyArray(all.Rows, [70, 6]));
        NpyWriter.Write(Path.Combine(dir, "scene0002_00_sem_label_all.npy"), new NpyArray(all.Semantic.Select(v => (uint)v).ToArray(), [70]));
        NpyWriter.Write(Path.Combine(dir, "scene0002_00_ins_label_all.npy"), new NpyArray(all.Instance.Select(v => (uint)v).ToArray(), [70]));
        // A box file whose scene is missing is not a scene either.
        NpyWriter.Write(Path.Combine(dir, "scene0009_00_bbox.npy"), new NpyArray(new float[14], [2, 7]));

        var dataset = SceneDataset.Open(dir);
        Assert.Equal(["scene0001_00", "scene0002_00"], dataset.Scenes.Select(s => s.Name));
        Assert.All(dataset.Scenes, s => Assert.Equal("scannet-npy", s.Format));
        var first = dataset.Scenes[0].Load();
        AssertPoints(a.Rows, first);
        Assert.Equal(Ints(a.Semantic), first.SemanticLabels);
        Assert.Equal(Ints(a.Instance), first.InstanceIds);
        Assert.Equal("nyu40", first.Classes!.Name);
        var second = dataset.Scenes[1].Load();
        Assert.Equal("scene0002_00", second.Name);
        AssertPoints(all.Rows, second);
        Assert.Equal(Ints(all.Semantic), second.SemanticLabels);
        Assert.Equal(Ints(all.Instance), second.InstanceIds);

        // Opening a variant or side file directly: the variant is that scene; a side file is a clear error.
        Assert.Equal(30, SceneLoader.Load(Path.Combine(dir, "scene0002_00_vert.npy")).PointCount);
        var e = Assert.Throws<DataFormatException>(() => SceneLoader.Load(Path.Combine(dir, "scene0001_00_aligned_bbox.npy")));
        Assert.Contains("side file", e.Message, StringComparison.Ordinal);
        Assert.Contains("scene0001_00", e.Message, StringComparison.Ordinal);
        Assert.Throws<DataFormatException>(() => SceneLoader.Load(Path.Combine(dir, "scene0001_00_sem_label.npy")));
    }

    [Fact]
    public void OldNpyS3dis_PointFilesWithLabels_ClassIndicesBecomeS3disIds()
    {
        var dir = Path.Combine(TestScenes.TempDir(), "s3dis_data");
        Directory.CreateDirectory(dir);
        var room = Scene(4, 40, [0, 1, 2, 8, 12], 6);
        NpyWriter.Write(Path.Combine(dir, "Area_1_office_1_point.npy"), new NpyArray(room.Rows, [40, 6]));
        NpyWriter.Write(Path.Combine(dir, "Area_1_office_1_sem_label.npy"), new NpyArray(room.Semantic, [40]));
        NpyWriter.Write(Path.Combine(dir, "Area_1_office_1_ins_label.npy"), new NpyArray(room.Instance, [40]));
        var source = Assert.Single(SceneDataset.Open(dir).Scenes);
        Assert.Equal(("Area_1_office_1", "s3dis-npy"), (source.Name, source.Format));
        var scene = source.Load();
        AssertPoints(room.Rows, scene);
        Assert.Equal(room.Semantic.Select(v => (int)v + 1), scene.SemanticLabels!);
        Assert.Equal("s3dis", scene.Classes!.Name);
        Assert.Equal("ceiling", scene.Classes.Find(scene.SemanticLabels![0])!.Name);

        NpyWriter.Write(Path.Combine(dir, "Area_1_office_1_sem_label.npy"), new NpyArray(Enumerable.Repeat(13L, 40).ToArray(), [40]));
        Assert.Contains("expected 0..12", Assert.Throws<DataFormatException>(() => source.Load()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("scannet", "scene0003_00")]
    [InlineData("s3dis", "Area_2_hallway_1")]
    public void NewBinLayout_PointsWithMasks_ReadExactly_MasksAreNotScenes(string dataset, string id)
    {
        var root = Path.Combine(TestScenes.TempDir(), dataset);
        var s = Scene(5, 64, dataset == "s3dis" ? [0, 4, 12] : [1, 3, 39], 7);
        WriteFloats(Path.Combine(root, "points", id + ".bin"), s.Rows);
        WriteInt64(Path.Combine(root, "instance_mask", id + ".bin"), s.Instance);
        WriteInt64(Path.Combine(root, "semantic_mask", id + ".bin"), s.Semantic);

        var source = Assert.Single(SceneDataset.Open(root).Scenes);
        Assert.Equal((id, "mmdet3d-bin"), (source.Name, source.Format));
        var scene = source.Load();
        AssertPoints(s.Rows, scene);
        Assert.Equal(Ints(s.Instance), scene.InstanceIds);
        Assert.Equal(dataset == "s3dis" ? s.Semantic.Select(v => (int)v + 1) : Ints(s.Semantic), scene.SemanticLabels!);
        Assert.Equal(dataset == "s3dis" ? "s3dis" : "nyu40", scene.Classes!.Name);
        Assert.Equal("mmdet3d-bin", SceneLoader.DetectFormat(Path.Combine(root, "points", id + ".bin")));
        var e = Assert.Throws<DataFormatException>(() => SceneLoader.Load(Path.Combine(root, "instance_mask", id + ".bin")));
        Assert.Contains("mask file", e.Message, StringComparison.Ordinal);

        // Masks for a different point count: refused, naming both sizes.
        WriteInt64(Path.Combine(root, "semantic_mask", id + ".bin"), s.Semantic[..63]);
        Assert.Contains("63 labels", Assert.Throws<DataFormatException>(() => source.Load()).Message, StringComparison.Ordinal);
        WriteInt64(Path.Combine(root, "semantic_mask", id + ".bin"), s.Semantic);
        WriteFloats(Path.Combine(root, "points", id + ".bin"), s.Rows[..^6].Concat(new float[4]).ToArray());
        Assert.Contains("the masks hold 64 points", Assert.Throws<DataFormatException>(() => source.Load()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoneBin_XyzRgbIsNotReadAsKitti_KittiSweepStillIs()
    {
        var dir = TestScenes.TempDir();
        var s = Scene(6, 20, [1], 1); // 20 rows × 24 bytes = 480 bytes, also a multiple of 16
        WriteFloats(Path.Combine(dir, "copied.bin"), s.Rows);
        Assert.Equal("mmdet3d-bin", SceneLoader.DetectFormat(Path.Combine(dir, "copied.bin")));
        AssertPoints(s.Rows, SceneLoader.Load(Path.Combine(dir, "copied.bin")));

        var sweep = new Scene("000001", [.. Enumerable.Range(0, 60).Select(i => (float)Math.Sin(i) * 10.37f)]);
        SemanticKittiScan.Save(Path.Combine(dir, "sweep.bin"), null, sweep, [.. Enumerable.Range(0, 20).Select(i => i * 0.013f)]);
        Assert.Equal("semantickitti", SceneLoader.DetectFormat(Path.Combine(dir, "sweep.bin")));
        Assert.Equal(sweep.Positions, SceneLoader.Load(Path.Combine(dir, "sweep.bin")).Positions);

        File.WriteAllBytes(Path.Combine(dir, "odd.bin"), new byte[20]);
        Assert.Contains("neither SemanticKITTI", Assert.Throws<DataFormatException>(() => SceneLoader.Load(Path.Combine(dir, "odd.bin"))).Message, StringComparison.Ordinal);
        // A listing names it (and its load fails the same way) rather than leaving it out in silence; LAZ likewise.
        File.WriteAllBytes(Path.Combine(dir, "tiles.laz"), new byte[8]);
        var listed = SceneLoader.Enumerate(dir).ToDictionary(s => s.Name);
        Assert.Equal(["copied", "odd", "sweep", "tiles"], listed.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("neither SemanticKITTI", Assert.Throws<DataFormatException>(() => listed["odd"].Load()).Message, StringComparison.Ordinal);
        Assert.Contains("decompress it", Assert.Throws<DataFormatException>(() => listed["tiles"].Load()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OneScanInThreePreprocessings_IsOneScene_TheOthersListedAsAlternatives()
    {
        var root = Path.Combine(TestScenes.TempDir(), "scannet");
        var s = Scene(7, 30, [5], 2);
        var mesh = new Scene("scene0004_00", [.. Enumerable.Range(0, 30).SelectMany(i => new[] { s.Rows[6 * i], s.Rows[(6 * i) + 1], s.Rows[(6 * i) + 2] })])
        {
            Colors = [.. Enumerable.Range(0, 30).SelectMany(i => new[] { (byte)s.Rows[(6 * i) + 3], (byte)s.Rows[(6 * i) + 4], (byte)s.Rows[(6 * i) + 5] })],
            SemanticLabels = Ints(s.Semantic),
            InstanceIds = Ints(s.Instance),
        };
        ScanNetSceneWriter.Write(Path.Combine(root, "scans"), "scene0004_00", mesh, [.. Enumerable.Range(0, 30)]);
        WriteFloats(Path.Combine(root, "points", "scene0004_00.bin"), s.Rows);
        WriteInt64(Path.Combine(root, "instance_mask", "scene0004_00.bin"), s.Instance);
        NpyWriter.Write(Path.Combine(root, "scannet_instance_data", "scene0004_00_vert.npy"), new NpyArray(s.Rows, [30, 6]));
        var dataset = SceneDataset.Open(root);
        var only = Assert.Single(dataset.Scenes);
        Assert.Equal("scannet", only.Format);
        Assert.Equal(["mmdet3d-bin", "scannet-npy"], dataset.Alternatives.Select(a => a.Format).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public void RealScanNetSample_VertAllLayout_ReadsExactly()
    {
        var folder = RealData.Locate("scannet/scene0000_00", output);
        if (folder is null) return;
        var dataset = SceneDataset.Open(folder);
        var source = Assert.Single(dataset.Scenes);
        Assert.Equal(("scene0000_00", "scannet-npy"), (source.Name, source.Format));
        var scene = source.Load();
        Assert.Equal(81369, scene.PointCount);
        var vert = NpyReader.Read(Path.Combine(folder, "scene0000_00_vert_all.npy"));
        Assert.Equal([81369, 6], vert.Shape);
        var raw = vert.ToSingleArray();
        for (int i = 0; i < scene.PointCount; i += 97)
        {
            for (int c = 0; c < 3; c++) Assert.Equal(raw[(6 * i) + c], scene.Positions[(3 * i) + c]);
            for (int c = 0; c < 3; c++) Assert.Equal((byte)raw[(6 * i) + 3 + c], scene.Colors![(3 * i) + c]);
        }
        Assert.Equal(NpyReader.Read(Path.Combine(folder, "scene0000_00_sem_label_all.npy")).ToInt32Array(), scene.SemanticLabels);
        Assert.Equal(NpyReader.Read(Path.Combine(folder, "scene0000_00_ins_label_all.npy")).ToInt32Array(), scene.InstanceIds);
        Assert.Equal(67, scene.InstanceIds!.Where(k => k != 0).Distinct().Count());
        // The same scene through the folder above it: one scene, same id.
        Assert.Equal(["scene0000_00"], SceneDataset.Open(Path.GetDirectoryName(folder)!).Scenes.Where(s => s.Format == "scannet-npy").Select(s => s.Name));
    }
}

public class PointceptSceneTests
{
    [Fact]
    public void ScanNetFolder_Segment20BecomesNyu40_InstanceMinusOneIsNone()
    {
        var root = Path.Combine(TestScenes.TempDir(), "train");
        var dir = Directory.CreateDirectory(Path.Combine(root, "scene0005_00")).FullName;
        const int n = 12;
        NpyWriter.Write(Path.Combine(dir, "coord.npy"), new NpyArray(Enumerable.Range(0, 3 * n).Select(i => i * 0.1f).ToArray(), [n, 3]));
        NpyWriter.Write(Path.Combine(dir, "color.npy"), new NpyArray(Enumerable.Range(0, 3 * n).Select(i => (byte)(i * 7)).ToArray(), [n, 3]));
        NpyWriter.Write(Path.Combine(dir, "segment20.npy"), new NpyArray(Enumerable.Range(0, n).Select(i => (short)((i % 4) - 1)).ToArray(), [n]));
        NpyWriter.Write(Path.Combine(dir, "instance.npy"), new NpyArray(Enumerable.Range(0, n).Select(i => (short)((i % 3) - 1)).ToArray(), [n]));
        var source = Assert.Single(Clickscape.Data.Datasets.SceneDataset.Open(root).Scenes);
        Assert.Equal(("scene0005_00", "pointcept"), (source.Name, source.Format));
        var scene = source.Load();
        // index -1 → unlabelled, 0 → wall (1), 1 → floor (2), 2 → cabinet (3)
        Assert.Equal(Enumerable.Range(0, n).Select(i => (i % 4) switch { 0 => 0, 1 => 1, 2 => 2, _ => 3 }), scene.SemanticLabels!);
        Assert.Equal(Enumerable.Range(0, n).Select(i => i % 3), scene.InstanceIds!);
        Assert.Equal((byte)(5 * 7), scene.Colors![5]);
        NpyWriter.Write(Path.Combine(dir, "segment20.npy"), new NpyArray(Enumerable.Repeat((short)20, n).ToArray(), [n]));
        Assert.Contains("expected 0..19", Assert.Throws<DataFormatException>(() => source.Load()).Message, StringComparison.Ordinal);
    }
}
