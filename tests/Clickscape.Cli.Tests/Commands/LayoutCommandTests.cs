using System.Buffers.Binary;
using Clickscape.Data.Clicks;
using Clickscape.Data.Formats.Pcd;
using Clickscape.Data.Formats.S3dis;
using Clickscape.Data.Formats.SemanticKitti;
using Clickscape.Data.Formats.Npy;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Cli.Tests.Commands;

/// <summary>Every command on the layouts users bring: N×8 arrays, mmdetection3d bins, raw ScanNet categories.</summary>
public sealed class LayoutCommandTests : CommandTest
{
    /// <summary>
    /// An N×8 float32 array x y z r g b sem ins: a floor (class 2, no instance) and three 0.3 m boxes (class 5,
    /// instances 1..3) 1 m apart, densely sampled so a kNN over-segmentation keeps them apart.
    /// </summary>
    private static float[] Room(int seed)
    {
        var rng = new Random(seed);
        var rows = new List<float>();
        for (int i = 0; i < 400; i++)
            rows.AddRange([(float)(rng.NextDouble() * 4), (float)(rng.NextDouble() * 1), 0, 120, 120, 120, 2, 0]);
        for (int k = 1; k <= 3; k++)
        {
            for (int i = 0; i < 150; i++)
                rows.AddRange([k + (float)(rng.NextDouble() * 0.3), 0.3f + (float)(rng.NextDouble() * 0.3), 0.5f + (float)(rng.NextDouble() * 0.3), 200, 40 * k, 30, 5, k]);
        }
        return [.. rows];
    }

    private string WriteArrays()
    {
        var data = Directory.CreateDirectory(Path.Combine(Dir, "arrays")).FullName;
        foreach (var (id, seed) in new[] { ("room_a", 1), ("room_b", 2) })
        {
            var rows = Room(seed);
            NpyWriter.Write(Path.Combine(data, id + ".npy"), new NpyArray(rows, [rows.Length / 8, 8]));
        }
        return data;
    }

    [Fact]
    public void EightColumnArrays_RefusedWithoutColumns_ThenInfoOversegmentAndClicksAgreeOnTheScenes()
    {
        var data = WriteArrays();
        var (code, _, error) = Run("info", data);
        Assert.Equal(1, code);
        Assert.Contains("--columns x,y,z,r,g,b,sem,ins", error, StringComparison.Ordinal);

        const string columns = "x,y,z,r,g,b,sem,ins";
        (code, var output, error) = Run("info", data, "--columns", columns);
        Assert.True(code == 0, error);
        Assert.Contains("room_a  [npy]", output, StringComparison.Ordinal);
        Assert.Contains("  instances  3", output, StringComparison.Ordinal);
        Assert.Contains("dataset: 2 scenes, 1700 points", output, StringComparison.Ordinal);

        (code, output, error) = Run("oversegment", data, "--columns", columns);
        Assert.True(code == 0, error);
        Assert.True(File.Exists(Path.Combine(data, "room_a.0.030000.segs.json")), output);
        Assert.True(File.Exists(Path.Combine(data, "room_b.0.030000.segs.json")), output);

        var clicks = Path.Combine(Dir, "clicks");
        (code, output, error) = Run("clicks", "simulate", data, "--policy", "maxseg", "--out", clicks, "--columns", columns);
        Assert.True(code == 0, error);
        Assert.Contains("2 scenes, 6 clicks", output, StringComparison.Ordinal);
        var set = ClickSet.Load(Path.Combine(clicks, "room_b.json"));
        Assert.Equal([1, 2, 3], set.Clicks.Select(c => c.Object).Order());
        Assert.All(set.Clicks, c => Assert.Equal(5, c.Label));

        (code, _, error) = Run("info", data, "--columns", "x,y,z,q");
        Assert.Equal(1, code);
        Assert.Contains("'q'", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void TrainPredictPseudoLabel_ReadArraysWithColumns_TheRunRemembersThem()
    {
        var data = WriteArrays();
        var config = Path.Combine(Dir, "tiny.json");
        File.WriteAllText(config, Clickscape.Training.Tests.Shared.TinyDataset.Config(epochs: 1).ToJsonString());
        var run = Path.Combine(Dir, "run");
        var (code, _, error) = Run("train", "--method", "full", "--data", data, "--split", "all", "--out", run, "--config", config);
        Assert.Equal(1, code);
        Assert.Contains("--columns x,y,z,r,g,b,sem,ins", error, StringComparison.Ordinal);

        const string columns = "x,y,z,r,g,b,sem,ins";
        (code, _, error) = Run("train", "--method", "full", "--data", data, "--split", "all", "--out", run, "--config", config, "--columns", columns);
        Assert.True(code == 0, error);
        Assert.Contains("\"columns\": \"x,y,z,r,g,b,sem,ins\"", File.ReadAllText(Path.Combine(run, "config.json")), StringComparison.Ordinal);

        // predict reads the arrays with the run's columns; its own --columns overrides them (a wrong one is refused)
        var pred = Path.Combine(Dir, "pred");
        (code, var output, error) = Run("predict", run, "--data", data, "--split", "all", "--out", pred);
        Assert.True(code == 0, error);
        Assert.Contains("2 scenes", output, StringComparison.Ordinal);
        Assert.Equal(850, File.ReadAllLines(Path.Combine(pred, "semantic", "room_a.txt")).Length);
        (code, _, error) = Run("predict", run, "--data", data, "--split", "all", "--out", pred, "--columns", "x,y,z");
        Assert.Equal(1, code);
        Assert.Single(error.Trim().Split('\n'));
        (code, _, error) = Run("pseudo-label", run, "--data", data, "--clicks", Dir, "--out", Path.Combine(Dir, "p"), "--columns", "x,y,z,q");
        Assert.Equal(1, code);
        Assert.Contains("'q'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvertAndRender_ReadTheArrayWithColumns()
    {
        var data = WriteArrays();
        var ply = Path.Combine(Dir, "a.ply");
        var (code, _, error) = Run("convert", Path.Combine(data, "room_a.npy"), ply, "--columns", "x,y,z,r,g,b,sem,ins");
        Assert.True(code == 0, error);
        var back = PlyScene.Load(ply);
        var rows = Room(1);
        Assert.Equal(Enumerable.Range(0, rows.Length / 8).Select(i => (int)rows[(8 * i) + 7]), back.InstanceIds!);

        var png = Path.Combine(Dir, "a.png");
        (code, _, error) = Run("render", Path.Combine(data, "room_a.npy"), "--out", png, "--color", "instance", "--columns", "x,y,z,r,g,b,sem,ins");
        Assert.True(code == 0, error);
        Assert.True(new FileInfo(png).Length > 100);
        (code, _, error) = Run("render", data, "--out", png, "--columns", "x,y,z,r,g,b,sem,ins");
        Assert.Equal(1, code);
        Assert.Contains("holds 2 scenes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MmDetection3dBinLayout_InfoListsOneScene_NotKittiGarbage()
    {
        var rows = Room(3);
        int n = rows.Length / 8;
        var points = new byte[24 * n];
        var ins = new byte[8 * n];
        var sem = new byte[8 * n];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 6; c++) BinaryPrimitives.WriteSingleLittleEndian(points.AsSpan((24 * i) + (4 * c)), rows[(8 * i) + c]);
            BinaryPrimitives.WriteInt64LittleEndian(sem.AsSpan(8 * i), (long)rows[(8 * i) + 6]);
            BinaryPrimitives.WriteInt64LittleEndian(ins.AsSpan(8 * i), (long)rows[(8 * i) + 7]);
        }
        var root = Path.Combine(Dir, "scannet");
        foreach (var (folder, bytes) in new[] { ("points", points), ("instance_mask", ins), ("semantic_mask", sem) })
        {
            Directory.CreateDirectory(Path.Combine(root, folder));
            File.WriteAllBytes(Path.Combine(root, folder, "scene0011_00.bin"), bytes);
        }
        var (code, output, error) = Run("info", root);
        Assert.True(code == 0, error);
        Assert.Contains("scene0011_00  [mmdet3d-bin]", output, StringComparison.Ordinal);
        Assert.Contains("  points     850", output, StringComparison.Ordinal);
        Assert.Contains("  instances  3", output, StringComparison.Ordinal);
        Assert.Matches(@"\n\s+5\s+chair\s+450\s+3\n", output);
        Assert.DoesNotContain("semantickitti", output, StringComparison.Ordinal);
        Assert.DoesNotContain("dataset:", output, StringComparison.Ordinal); // one scene, the masks are not scenes
    }

    [Fact]
    public void Info_LabelsTsv_MapsRawScanNetCategories()
    {
        var n = 30;
        var scene = new Scene("s", [.. Enumerable.Range(0, 3 * n).Select(i => (float)(i % 7))])
        {
            SemanticLabels = [.. Enumerable.Range(0, n).Select(i => i < 15 ? 5 : 0)],
            InstanceIds = [.. Enumerable.Range(0, n).Select(i => i < 15 ? 1 : 0)],
        };
        var scans = Path.Combine(Dir, "scans");
        ScanNetSceneWriter.Write(scans, "scene0000_00", scene, [.. Enumerable.Range(0, n)]);
        File.Delete(Path.Combine(scans, "scene0000_00", ScanNetSceneWriter.LabelsFileName("scene0000_00")));
        var tsv = Path.Combine(Dir, "labels.tsv");
        File.WriteAllText(tsv, "id\traw_category\tcategory\tcount\tnyu40id\n1\tchair\tchair\t10\t33\n");
        var (code, output, error) = Run("info", Dir, "--labels-tsv", tsv);
        Assert.True(code == 0, error);
        Assert.Matches(@"\n\s+33\s+toilet\s+15\s+1\n", output); // the tsv's mapping, not the built-in one (chair = 5)
        (code, output, _) = Run("info", Dir);
        Assert.Equal(0, code);
        Assert.Matches(@"\n\s+5\s+chair\s+15\s+1\n", output);
        (code, _, error) = Run("info", Dir, "--labels-tsv", Path.Combine(Dir, "none.tsv"));
        Assert.Equal(1, code);
        Assert.Contains("--labels-tsv", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_GtAsADataset_ScoresAPerfectSemanticPrediction()
    {
        var data = WriteArrays();
        var pred = Directory.CreateDirectory(Path.Combine(Dir, "pred")).FullName;
        var rows = Room(1);
        File.WriteAllLines(Path.Combine(pred, "room_a.txt"), Enumerable.Range(0, rows.Length / 8).Select(i => ((int)rows[(8 * i) + 6]).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var (code, output, error) = Run("evaluate", "--pred", pred, "--gt", data, "--metric", "scannet-semantic", "--columns", "x,y,z,r,g,b,sem,ins");
        Assert.True(code == 0, error);
        Assert.Matches(@"accuracy\s+1\.000", output);
        File.WriteAllText(Path.Combine(pred, "room_z.txt"), "0\n");
        (code, _, error) = Run("evaluate", "--pred", pred, "--gt", data, "--metric", "scannet-semantic", "--columns", "x,y,z,r,g,b,sem,ins");
        Assert.Equal(1, code);
        Assert.Contains("predicts scene 'room_z', which", error, StringComparison.Ordinal);
    }

    /// <summary>The room of <see cref="Room"/> as a scene, with the floor and box classes given.</summary>
    private static Scene RoomScene(string name, int seed, int floorClass, int boxClass)
    {
        var rows = Room(seed);
        int n = rows.Length / 8;
        return new Scene(name, [.. Enumerable.Range(0, n).SelectMany(i => new[] { rows[8 * i], rows[(8 * i) + 1], rows[(8 * i) + 2] })])
        {
            Colors = [.. Enumerable.Range(0, n).SelectMany(i => new[] { (byte)rows[(8 * i) + 3], (byte)rows[(8 * i) + 4], (byte)rows[(8 * i) + 5] })],
            SemanticLabels = [.. Enumerable.Range(0, n).Select(i => rows[(8 * i) + 7] == 0 ? floorClass : boxClass)],
            InstanceIds = [.. Enumerable.Range(0, n).Select(i => (int)rows[(8 * i) + 7])],
        };
    }

    [Fact]
    public void EveryCommand_OnEveryPointCloudLayout_S3disKittiPlyPcd()
    {
        var data = Directory.CreateDirectory(Path.Combine(Dir, "mixed")).FullName;
        var room = RoomScene("office_1", 4, floorClass: 2, boxClass: 9);
        S3disRoom.Save(Path.Combine(data, "s3dis", "Area_1", "office_1"), room);
        var sweep = RoomScene("000001", 5, floorClass: 40, boxClass: 10);
        SemanticKittiScan.Save(Path.Combine(data, "kitti", "velodyne", "000001.bin"), Path.Combine(data, "kitti", "labels", "000001.label"), sweep);
        var cloud = RoomScene("cloud", 6, floorClass: 2, boxClass: 5);
        PlyScene.Save(Path.Combine(data, "ply", "cloud.ply"), cloud, new PlyWriteOptions { Labels = true, Instances = true });
        var pcd = RoomScene("scan", 7, floorClass: 2, boxClass: 7);
        var text = new System.Text.StringBuilder($"FIELDS x y z label object\nSIZE 4 4 4 4 4\nTYPE F F F U U\nPOINTS {pcd.PointCount}\nDATA ascii\n");
        for (int i = 0; i < pcd.PointCount; i++)
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{pcd.Positions[3 * i]} {pcd.Positions[(3 * i) + 1]} {pcd.Positions[(3 * i) + 2]} {pcd.SemanticLabels![i]} {pcd.InstanceIds![i]}\n");
        Directory.CreateDirectory(Path.Combine(data, "pcd"));
        File.WriteAllText(Path.Combine(data, "pcd", "scan.pcd"), text.ToString());
        var ids = new[] { "000001", "scan", "cloud", "office_1" };

        var (code, output, error) = Run("info", data);
        Assert.True(code == 0, error);
        Assert.Contains("dataset: 4 scenes", output, StringComparison.Ordinal);
        Assert.Contains("000001  [semantickitti]", output, StringComparison.Ordinal);
        Assert.Contains("scan  [pcd]", output, StringComparison.Ordinal);

        (code, output, error) = Run("oversegment", data);
        Assert.True(code == 0, error);
        foreach (var (id, dir) in new[] { ("000001", "kitti/velodyne"), ("scan", "pcd"), ("cloud", "ply"), ("office_1", "s3dis/Area_1/office_1") })
            Assert.True(File.Exists(Path.Combine(data, dir, id + ".0.030000.segs.json")), output);

        var clicks = Path.Combine(Dir, "clicks");
        (code, output, error) = Run("clicks", "simulate", data, "--policy", "maxseg", "--out", clicks);
        Assert.True(code == 0, error);
        Assert.True(output.Contains("4 scenes, 13 clicks", StringComparison.Ordinal), output); // S3DIS: the floor file is an instance too
        var scenes = Clickscape.Data.Datasets.SceneDataset.Open(data);
        foreach (var id in ids)
        {
            var scene = scenes.Find(id)!.Load();
            var set = ClickSet.Load(Path.Combine(clicks, id + ".json"));
            Assert.Null(set.Validate(scene));
            Assert.Equal(scene.InstanceIds!.Where(k => k != 0).Distinct().Order(), set.Clicks.Select(c => c.Object).Order());
            Assert.Equal(id == "office_1" ? 4 : 3, set.Clicks.Count);
        }

        foreach (var id in ids)
        {
            var png = Path.Combine(Dir, id + ".png");
            (code, _, error) = Run("render", scenes.Find(id)!.Path, "--out", png, "--color", "instance");
            Assert.True(code == 0, error);
            Assert.True(File.Exists(png));
        }

        // S3DIS metric against the room itself as ground truth: a prediction equal to it scores 1.
        var pred = Directory.CreateDirectory(Path.Combine(Dir, "pred")).FullName;
        var loaded = scenes.Find("office_1")!.Load();
        File.WriteAllLines(Path.Combine(pred, "office_1.txt"), Enumerable.Range(0, loaded.PointCount).Select(i => $"{loaded.SemanticLabels![i] - 1} {loaded.InstanceIds![i]}"));
        (code, output, error) = Run("evaluate", "--pred", pred, "--gt", Path.Combine(data, "s3dis"), "--metric", "s3dis");
        Assert.True(code == 0, error);
        Assert.Matches(@"\nmean\s+1\.000\s+1\.000\s+1\.000\s+1\.000", output);
    }
}
