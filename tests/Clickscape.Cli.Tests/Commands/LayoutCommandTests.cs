using System.Buffers.Binary;
using Clickscape.Data.Clicks;
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
        Assert.Contains("holds no scene 'room_z'", error, StringComparison.Ordinal);
    }
}
