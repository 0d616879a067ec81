using System.Text.Json;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Testing;
using Xunit.Abstractions;

namespace Clickscape.Cli.Tests.Commands;

/// <summary>
/// <c>train --method parts</c> → <c>predict</c> → <c>evaluate --metric partnet</c> on PartNet's release layout
/// (<see cref="PartNetRelease"/>: <c>data/</c> + <c>stats/</c>): the benchmark levels and the split files are used; and
/// the real shape with a stats folder given explicitly (<c>data.partnet_stats</c>, <c>--partnet-stats</c>).
/// </summary>
public sealed class PartNetReleaseCommandTests(ITestOutputHelper log) : CommandTest
{
    private string Tiny(string extra = "")
    {
        var path = Path.Combine(Dir, "tiny.json");
        File.WriteAllText(path, "{ \"model\": { \"widths\": [4, 8], \"feature_width\": 8 }, \"data\": { \"batch_size\": 2" + extra + " }, \"train\": { \"epochs\": 50, \"max_steps\": 2 } }");
        return path;
    }

    private static string[] Paths(string list) => list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')[1]).ToArray();

    [Fact]
    public void TrainPredictEvaluate_OnTheReleaseLayout_UseItsBenchmarkLevelsAndSplits()
    {
        var root = Path.Combine(Dir, "partnet");
        PartNetRelease.Write(root);
        var run = Path.Combine(Dir, "run");
        // --split train: stats/train_val_test_split/*.train.json
        var (code, stdout, err) = Run("train", "--method", "parts", "--data", root, "--out", run, "--config", Tiny(), "--threads", "1");
        log.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        Assert.Contains("2 shapes", stdout, StringComparison.Ordinal);
        Assert.Contains("PartNet benchmark levels", stdout, StringComparison.Ordinal);
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))))
        {
            var classes = config.RootElement.GetProperty("model").GetProperty("classes").EnumerateArray()
                .Select(level => level.EnumerateArray().Select(c => c.GetString()!).ToArray()).ToList();
            Assert.Equal([.. Paths(PartNetRelease.ChairLevel1), .. Paths(PartNetRelease.LampLevel1)], classes[0]);
            Assert.Equal([.. Paths(PartNetRelease.ChairLevel3), .. Paths(PartNetRelease.LampLevel1)], classes[2]);
        }

        // the dataset opened at data/: stats found beside it, --split val from the json lists
        var pred = Path.Combine(Dir, "pred");
        (code, stdout, err) = Run("predict", run, "--data", Path.Combine(root, "data"), "--split", "val", "--out", pred);
        log.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        Assert.Equal([.. Paths(PartNetRelease.ChairLevel1), .. Paths(PartNetRelease.LampLevel1)], PartNetPredictionLayout.ReadClasses(PartNetPredictionLayout.LevelFolder(pred, 1)));
        foreach (var shape in new[] { PartNetRelease.Chair, PartNetRelease.Lamp })
            Assert.True(File.Exists(Path.Combine(PartNetPredictionLayout.LevelFolder(pred, 3), shape + ".txt")));

        var json = Path.Combine(Dir, "r.json");
        (code, stdout, err) = Run("evaluate", "--metric", "partnet", "--pred", pred, "--gt", root, "--json", json);
        log.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        Assert.Contains("benchmark levels", stdout, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        foreach (var key in new[] { "ap25", "ap50", "ap75", "miou" })
            Assert.True(doc.RootElement.GetProperty(key).ValueKind is JsonValueKind.Number or JsonValueKind.Null, key);
        var cells = doc.RootElement.GetProperty("result").GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal([1, 3], cells.Where(c => c.GetProperty("category").GetString() == "Chair").Select(c => c.GetProperty("level").GetInt32()));
        Assert.Equal([1], cells.Where(c => c.GetProperty("category").GetString() == "Lamp").Select(c => c.GetProperty("level").GetInt32()));
    }

    [SkippableFact]
    public void RealBottle_TrainsPredictsAndEvaluates_OnBenchmarkLevels_WithAnExplicitStatsFolder()
    {
        var bottle = RealData.Locate("partnet/3763", log);
        var stats = Path.Combine(Dir, "stats");
        var ids = Path.Combine(stats, PartNetBenchmark.LabelIdsFolderName);
        Directory.CreateDirectory(ids);
        File.WriteAllText(Path.Combine(ids, "Bottle-level-1.txt"), "1 bottle/normal_bottle subcomponents\n2 bottle/jug subcomponents\n");
        File.WriteAllText(Path.Combine(ids, "Bottle-level-3.txt"), "3 bottle/normal_bottle/body leaf\n5 bottle/normal_bottle/lid leaf\n7 bottle/normal_bottle/neck leaf\n");
        var run = Path.Combine(Dir, "run");
        var (code, stdout, err) = Run("train", "--method", "parts", "--data", bottle, "--split", "all", "--out", run,
            "--config", Tiny(", \"partnet_stats\": " + JsonSerializer.Serialize(stats)), "--threads", "1");
        log.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        Assert.Contains("PartNet benchmark levels", stdout, StringComparison.Ordinal);
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "config.json"))))
        {
            var classes = config.RootElement.GetProperty("model").GetProperty("classes");
            Assert.Equal(["bottle/normal_bottle", "bottle/jug"], classes[1].EnumerateArray().Select(c => c.GetString())); // level 2 copies level 1
            Assert.Equal(3, classes[2].GetArrayLength());
        }
        var pred = Path.Combine(Dir, "pred");
        (code, stdout, err) = Run("predict", run, "--data", bottle, "--out", pred);
        Assert.True(code == 0, err);
        var json = Path.Combine(Dir, "r.json");
        (code, stdout, err) = Run("evaluate", "--metric", "partnet", "--pred", pred, "--gt", bottle, "--partnet-stats", stats, "--json", json);
        log.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var cells = doc.RootElement.GetProperty("result").GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal([1, 3], cells.Select(c => c.GetProperty("level").GetInt32())); // PartNet's levels, not the depth levels 1, 2
        Assert.Equal(["bottle/normal_bottle/body", "bottle/normal_bottle/lid", "bottle/normal_bottle/neck"],
            cells[1].GetProperty("classPaths").EnumerateArray().Select(c => c.GetString()).Order(StringComparer.Ordinal));

        (code, _, err) = Run("evaluate", "--metric", "partnet", "--pred", pred, "--gt", bottle, "--partnet-stats", Path.Combine(Dir, "nope"));
        Assert.Equal(1, code);
        Assert.Contains("--partnet-stats", err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }
}
