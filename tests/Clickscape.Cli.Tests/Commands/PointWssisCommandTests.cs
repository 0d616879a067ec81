using System.Text.Json;

namespace Clickscape.Cli.Tests.Commands;

public sealed class PointWssisCommandTests : CommandTest
{
    /// <summary>synth images → train --method pointwssis → predict (teacher and student) → evaluate --metric coco --gt DIR
    /// --split val --json: the documented interface end to end, with the keys ap, ap50, ap75.</summary>
    [Fact]
    public void SynthTrainPredictEvaluate_EndToEnd()
    {
        var data = Path.Combine(Dir, "data");
        Assert.Equal(0, Run("synth", "images", "--count", "8", "--out", data, "--size", "64", "64", "--seed", "2").Code);
        var config = Path.Combine(Dir, "small.json");
        File.WriteAllText(config, """{"input_size": 64, "teacher_steps": 2, "student_steps": 2, "refine_steps": 1, "refine_batch_size": 2, "refine_crop_size": 32, "batch_size": 2}""");
        var run = Path.Combine(Dir, "run");
        var (code, output, error) = Run("train", "--method", "pointwssis", "--data", data, "--out", run, "--full-fraction", "0.5", "--config", config, "--seed", "1");
        Assert.True(code == 0, error);
        Assert.Contains("pseudo labels point adaptive", output, StringComparison.Ordinal);
        Assert.Contains("\"full_fraction\": 0.5", File.ReadAllText(Path.Combine(run, "config.json")), StringComparison.Ordinal);
        foreach (var model in new[] { "teacher", "student" })
        {
            var pred = Path.Combine(Dir, model + ".json");
            var p = Run("predict", run, "--model", model, "--data", data, "--split", "val", "--out", pred);
            Assert.True(p.Code == 0, p.Err);
            using var results = JsonDocument.Parse(File.ReadAllText(pred));
            Assert.Equal(JsonValueKind.Array, results.RootElement.ValueKind);
            var json = Path.Combine(Dir, model + "-eval.json");
            var e = Run("evaluate", "--metric", "coco", "--pred", pred, "--gt", data, "--split", "val", "--json", json);
            Assert.True(e.Code == 0, e.Err);
            Assert.Contains("over 2 image(s)", e.Out, StringComparison.Ordinal);
            using var metrics = JsonDocument.Parse(File.ReadAllText(json));
            foreach (var key in new[] { "ap", "ap50", "ap75" })
                Assert.InRange(metrics.RootElement.GetProperty(key).GetDouble(), 0, 1);
        }
    }

    [Theory]
    [InlineData("--full-fraction", "1.5")]
    [InlineData("--config", "missing.json")]
    [InlineData("--max-steps", "5")]
    public void BadOptions_AreOneLineErrors(string option, string value)
    {
        var data = Path.Combine(Dir, "data");
        Assert.Equal(0, Run("synth", "images", "--count", "3", "--out", data, "--size", "32", "32").Code);
        var (code, _, error) = Run("train", "--method", "pointwssis", "--data", data, "--out", Path.Combine(Dir, "run"), option, value);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public void PredictWithAModelTheRunLacks_IsAOneLineError()
    {
        var data = Path.Combine(Dir, "data");
        Assert.Equal(0, Run("synth", "images", "--count", "4", "--out", data, "--size", "64", "64").Code);
        var config = Path.Combine(Dir, "c.json");
        File.WriteAllText(config, """{"input_size": 64, "teacher_steps": 1, "student_steps": 0, "refine": false, "batch_size": 2}""");
        var run = Path.Combine(Dir, "run");
        Assert.Equal(0, Run("train", "--method", "pointwssis", "--data", data, "--out", run, "--config", config).Code);
        var (code, _, error) = Run("predict", run, "--model", "student", "--data", data, "--out", Path.Combine(Dir, "p.json"));
        Assert.Equal(1, code);
        Assert.Contains("student", error, StringComparison.Ordinal);
    }

    [Fact]
    public void EvaluateCocoSplitWithAJsonGroundTruth_IsAUsageError()
    {
        var gt = Path.Combine(Dir, "gt.json");
        File.WriteAllText(gt, """{"images": [], "annotations": [], "categories": []}""");
        var pred = Path.Combine(Dir, "p.json");
        File.WriteAllText(pred, "[]");
        var (code, _, error) = Run("evaluate", "--metric", "coco", "--pred", pred, "--gt", gt, "--split", "val");
        Assert.Equal(1, code);
        Assert.Contains("image dataset folder", error, StringComparison.Ordinal);
    }
}
