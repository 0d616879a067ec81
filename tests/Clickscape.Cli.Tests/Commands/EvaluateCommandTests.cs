using System.Text.Json;
using Clickscape.Data.Formats.ScanNet;

namespace Clickscape.Cli.Tests.Commands;

public sealed class EvaluateCommandTests : CommandTest
{
    /// <summary>Scene "scene0000_00": chair 5001 on 0..199 and table 7001 on 200..349 of 500 vertices.</summary>
    private (string Pred, string Gt) WriteScanNetInstanceCase()
    {
        var gtDir = Path.Combine(Dir, "gt");
        var predDir = Path.Combine(Dir, "pred");
        var gt = new int[500];
        Array.Fill(gt, 5001, 0, 200);
        Array.Fill(gt, 7001, 200, 150);
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(gtDir, "scene0000_00.txt"), gt);
        ScanNetEvaluationFiles.WriteInstancePredictions(predDir, "scene0000_00", 500,
        [
            new ScanNetPredictedMask(Enumerable.Range(0, 200).ToArray(), 5, 0.9),
            new ScanNetPredictedMask(Enumerable.Range(200, 150).ToArray(), 7, 0.25),
        ]);
        return (predDir, gtDir);
    }

    [Fact]
    public void ScanNetInstance_PrintsTable_WritesOfficialCsvAndJson()
    {
        var (pred, gt) = WriteScanNetInstanceCase();
        var csv = Path.Combine(Dir, "out", "result.csv");
        var json = Path.Combine(Dir, "out", "result.json");
        var (code, output, error) = Run("evaluate", "--pred", pred, "--gt", gt, "--csv", csv, "--json", json);
        Assert.True(code == 0, error);
        Assert.Contains("average", output, StringComparison.Ordinal);
        Assert.Contains("1.000", output, StringComparison.Ordinal);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("class,class id,ap,ap50,ap25", lines[0]);
        Assert.Equal(19, lines.Length);
        Assert.Equal("cabinet,3,nan,nan,nan", lines[1]);
        Assert.Equal("chair,5,1.0,1.0,1.0", lines[3]);
        Assert.Equal("shower curtain,28,nan,nan,nan", lines[14]);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var result = doc.RootElement.GetProperty("result");
        Assert.Equal(1.0, result.GetProperty("ap").GetDouble());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("classAp")[0].ValueKind);
        Assert.True(result.GetProperty("notes").GetArrayLength() > 0);
    }

    [Fact]
    public void ScanNetSemantic_PrintsIouAndMean()
    {
        var gtDir = Path.Combine(Dir, "sgt");
        var predDir = Path.Combine(Dir, "spred");
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(gtDir, "a.txt"), [1, 1, 2, 2]);
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(predDir, "a.txt"), [1, 2, 2, 2]);
        var (code, output, error) = Run("evaluate", "--metric", "scannet-semantic", "--pred", predDir, "--gt", gtDir);
        Assert.True(code == 0, error);
        // wall 1/2, floor 2/3 -> mean 7/12 = 0.583.
        Assert.Contains("0.583", output, StringComparison.Ordinal);
    }

    [Fact]
    public void MaskWithWrongLength_IsOneLineErrorNamingTheFile()
    {
        var (pred, gt) = WriteScanNetInstanceCase();
        var mask = Path.Combine(pred, "pred_mask", "scene0000_00_1.txt");
        File.WriteAllText(mask, "1\n1\n");
        var (code, _, error) = Run("evaluate", "--pred", pred, "--gt", gt);
        Assert.Equal(1, code);
        Assert.Contains("scene0000_00_1.txt", error, StringComparison.Ordinal);
        Assert.Contains("500 vertices", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("pred_mask/missing.txt 5 0.5", "mask file not found")]
    [InlineData("pred_mask/scene0000_00_0.txt 5 nan", "confidence")]
    [InlineData("pred_mask/scene0000_00_0.txt 5 NaN", "confidence is NaN")]
    [InlineData("pred_mask/scene0000_00_0.txt -3 0.5", "out of range")]
    [InlineData("pred_mask/scene0000_00_0.txt 5", "expected 'relpath labelId confidence'")]
    public void BadSummaryLine_IsOneLineError(string line, string expected)
    {
        var (pred, gt) = WriteScanNetInstanceCase();
        File.WriteAllText(Path.Combine(pred, "scene0000_00.txt"), line + "\n");
        var (code, _, error) = Run("evaluate", "--pred", pred, "--gt", gt);
        Assert.Equal(1, code);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingGtFile_IsError()
    {
        var (pred, _) = WriteScanNetInstanceCase();
        var emptyGt = Directory.CreateDirectory(Path.Combine(Dir, "nogt")).FullName;
        var (code, _, error) = Run("evaluate", "--pred", pred, "--gt", emptyGt);
        Assert.Equal(1, code);
        Assert.Contains("scene0000_00.txt", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Coco_EvaluatesJsonFiles()
    {
        var gt = Path.Combine(Dir, "gt.json");
        var res = Path.Combine(Dir, "res.json");
        File.WriteAllText(gt, """
            {"images":[{"id":1,"height":10,"width":10}],
             "categories":[{"id":3,"name":"x"}],
             "annotations":[{"id":1,"image_id":1,"category_id":3,"iscrowd":0,"area":16,
                             "segmentation":{"counts":[22,4,6,4,6,4,6,4,44],"size":[10,10]}}]}
            """);
        File.WriteAllText(res, """[{"image_id":1,"category_id":3,"score":0.9,"segmentation":{"counts":[22,4,6,4,6,4,6,4,44],"size":[10,10]}}]""");
        var (code, output, error) = Run("evaluate", "--metric", "coco", "--pred", res, "--gt", gt);
        Assert.True(code == 0, error);
        Assert.Contains("AP50", output, StringComparison.Ordinal);
        Assert.Contains("1.000", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Interactive_ReadsClickTable()
    {
        var dir = Directory.CreateDirectory(Path.Combine(Dir, "clicks")).FullName;
        File.WriteAllText(Path.Combine(dir, "clicks.csv"), "scene,object,class,iou_1,iou_2,iou_3\ns,1,5,0.5,0.86,0.95\ns,2,7,0.1,0.2,0.3\n");
        var (code, output, error) = Run("evaluate", "--metric", "interactive", "--pred", dir, "--gt", dir);
        Assert.True(code == 0, error);
        // NoC@90 = (3 + 20) / 2 = 11.5.
        Assert.Contains("11.500", output, StringComparison.Ordinal);
    }

    [Fact]
    public void S3dis_ReadsSemanticInstanceColumns()
    {
        var gtDir = Directory.CreateDirectory(Path.Combine(Dir, "s3gt")).FullName;
        var predDir = Directory.CreateDirectory(Path.Combine(Dir, "s3pred")).FullName;
        // GT: chair (8) instance 1 on 4 points; prediction covers 2 of them -> IoU .5 -> Cov .5, TP at >= .5.
        File.WriteAllText(Path.Combine(gtDir, "Area_5_office_1.txt"), "0 0 0 8 1\n1 0 0 8 1\n2 0 0 8 1\n3 0 0 8 1\n");
        File.WriteAllText(Path.Combine(predDir, "Area_5_office_1.txt"), "8 4\n8 4\n8 -1\n8 -1\n");
        var (code, output, error) = Run("evaluate", "--metric", "s3dis", "--pred", predDir, "--gt", gtDir);
        Assert.True(code == 0, error);
        Assert.Contains("chair", output, StringComparison.Ordinal);
        Assert.Contains("0.500", output, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(predDir, "Area_5_office_1.txt"), "8 4\n13 4\n8 -1\n8 -1\n");
        (code, _, error) = Run("evaluate", "--metric", "s3dis", "--pred", predDir, "--gt", gtDir);
        Assert.Equal(1, code);
        Assert.Contains("out of range", error, StringComparison.Ordinal);
    }

    [Fact]
    public void PartNet_ReadsLevelFolders()
    {
        var gtDir = Path.Combine(Dir, "pngt");
        var predDir = Path.Combine(Dir, "pnpred");
        // Part 1 on points 0..3, "other" on 4..5; the prediction covers 0..5 -> other removed -> IoU 1.
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(gtDir, "3763.txt"), [1001, 1001, 1001, 1001, 0, 0]);
        ScanNetEvaluationFiles.WriteInstancePredictions(predDir, "3763", 6, [new ScanNetPredictedMask([0, 1, 2, 3, 4, 5], 1, 0.9)]);
        var json = Path.Combine(Dir, "pn.json");
        var (code, output, error) = Run("evaluate", "--metric", "partnet", "--pred", predDir, "--gt", gtDir, "--json", json);
        Assert.True(code == 0, error);
        Assert.Contains("1.000", output, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(1.0, doc.RootElement.GetProperty("result").GetProperty("meanAp")[1].GetDouble(), 6);
    }
}
