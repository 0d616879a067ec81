using System.Text.Json;
using System.Text.Json.Nodes;
using Clickscape.Cli.Commands;
using Clickscape.Data.Clicks;
using Clickscape.Data.Datasets;
using Clickscape.Models.ClickSeg;
using Clickscape.Tensors.Threading;
using Clickscape.Training.Data;
using Clickscape.Training.Methods.ClickSeg;
using Clickscape.Training.Prediction;
using Clickscape.Training.Tests.Shared;
using Xunit.Abstractions;

namespace Clickscape.Cli.Tests.Commands;

public sealed class BenchClickSegExactCommandTests(ITestOutputHelper log) : CommandTest
{
    /// <summary>Trains a tiny <paramref name="method"/> run (TinyDataset's configuration, 1 epoch; for the click methods their own loss and inference sections, pseudo labels from epoch 1).</summary>
    private string TrainTiny(string data, string method)
    {
        var json = (JsonObject)TinyDataset.Config(epochs: 1).Json.DeepClone();
        if (method != "full")
        {
            json.Remove("method");
            json.Remove("inference");
            json["loss"] = new JsonObject { ["pseudo_start_epoch"] = 0 };
        }
        var config = Path.Combine(Dir, method + ".json");
        File.WriteAllText(config, json.ToJsonString());
        var run = Path.Combine(Dir, method);
        var (code, output, error) = Run("train", "--method", method, "--data", data, "--out", run, "--config", config);
        Assert.True(code == 0, output + error);
        return run;
    }

    [Fact]
    public void OnATinyRun_PrintsTheThreePiecesExactVsOurs_WithSimulatedOrGivenClicks()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var run = TrainTiny(data, "clickseg");
        var dataset = SceneDataset.Open(data);
        var scene = dataset.Split("train")[0];
        string json = Path.Combine(Dir, "exact.json");
        var (code, output, error) = Run("bench", "clickseg-exact", run, "--scene", scene.Path, "--max-points", "1500", "--threads", "1", "--json", json);
        log.WriteLine(output + error);
        Assert.True(code == 0, error);
        var lines = output.Split('\n');
        Assert.StartsWith($"clickseg-exact: {scene.Name}, 1500 of ", lines[0], StringComparison.Ordinal);
        Assert.Single(lines, l => l.StartsWith("| (a) Eq. 6 fusion |", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("| (b) mean-shift |", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("| (c) PSEUDO_GEN |", StringComparison.Ordinal));

        var root = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        Assert.Equal(1500, (int)root["points"]!);
        Assert.Equal(1500L * 1500, (long)root["point_pairs"]!);
        Assert.True((int)root["voxels"]! < 1500);
        Assert.StartsWith("1t1c, seed 1", (string)root["clicks_from"]!, StringComparison.Ordinal);
        var rows = root["rows"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.Equal(["(a) Eq. 6 fusion", "(b) mean-shift", "(c) PSEUDO_GEN"], rows.Select(r => (string)r["piece"]!));
        foreach (var r in rows)
        {
            Assert.True((double)r["exact_ms"]! > 0);
            Assert.True((double)r["ours_ms"]! >= 0);
        }
        Assert.InRange((double)rows[0]["agreement"]!, 0, 100);
        Assert.InRange((double)rows[2]["agreement"]!, 0, 100);
        Assert.InRange((double)rows[0]["miou_exact"]!, 0, 100);
        Assert.True((int)rows[2]["instances_exact"]! > 0); // one mask per clicked object of an instance class

        // the table is the JSON's rows
        Assert.Equal(BenchClickSegExactCommand.Table(root), output);

        // --clicks: the run's own click set of that (train) scene, all of its clicks inside the crop or not
        var clicks = Path.Combine(run, "clicks", scene.Name + ".json");
        (code, output, error) = Run("bench", "clickseg-exact", run, "--scene", scene.Path, "--max-points", "1500", "--threads", "1", "--clicks", clicks, "--json", json);
        Assert.True(code == 0, error);
        root = JsonNode.Parse(File.ReadAllText(json))!.AsObject();
        int total = ClickSet.Load(clicks).Clicks.Count;
        Assert.Contains($"clicks inside the crop", (string)root["clicks_from"]!, StringComparison.Ordinal);
        Assert.InRange((int)root["clicks"]!, 1, total);
        Assert.Contains("(c) PSEUDO_GEN", output, StringComparison.Ordinal);
    }

    [Fact]
    public void OursPseudoLabels_AreThePseudoLabelersOwn()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 4);
        var run = TrainTiny(data, "clickseg");
        using var threads = ComputeThreads.Use(1);
        using var predictor = Predictor.Open(run);
        var method = (ClickSegMethod)predictor.Method;
        var net = (ClickSegNet)predictor.Model;
        var loss = ClickSegMethod.LossOptions(predictor.Config);
        foreach (var source in SceneDataset.Open(data).Split("train"))
        {
            var scene = PreparedScene.Prepare(source, null, predictor.Config.Data.VoxelSize, requireLabels: false);
            var set = ClickSet.Load(Path.Combine(run, "clicks", source.Name + ".json"));
            var expected = ClickSegPseudoLabeler.Label(net, method, loss, scene, set);

            var seeds = ClickSegPseudoLabeler.Seeds([.. set.Clicks.Where(c => c.Positive)]);
            var o = VoxelOutputs.Of(net, scene);
            var assigned = ClickPseudoLabels.Assign(o.Embedding, o.EmbeddingDims, o.ShiftedPositions(), o.Probabilities, o.Classes,
                [.. seeds.Points.Select(p => scene.PointToVoxel[p])], seeds.Instance, ClickSegInference.TermsOf(net, method.Variant, loss), true, maxIterations: loss.KMeansIterations, threads: 1);
            var (_, ours) = BenchClickSegExactCommand.PseudoLabels(scene.Name, scene.PointToVoxel, assigned, seeds);

            Assert.Equal(expected.Semantic, ours.Semantic);
            Assert.Equal(expected.Instances.Count, ours.Instances.Count);
            Assert.NotEmpty(ours.Instances);
            for (int m = 0; m < ours.Instances.Count; m++)
            {
                Assert.Equal(expected.Instances[m].LabelId, ours.Instances[m].LabelId);
                Assert.Equal(expected.Instances[m].Vertices, ours.Instances[m].Vertices);
                Assert.Equal(expected.Instances[m].Confidence, ours.Instances[m].Confidence, 6);
            }
        }
    }

    [Fact]
    public void BadArguments_AreOneLineErrors()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 3);
        var scene = SceneDataset.Open(data).Scenes[0].Path;
        void OneLine(string expected, params string[] args)
        {
            var (code, _, error) = Run(["bench", "clickseg-exact", .. args]);
            Assert.Equal(1, code);
            Assert.StartsWith("error: ", error, StringComparison.Ordinal);
            Assert.Contains(expected, error, StringComparison.Ordinal);
            Assert.Single(error.Trim().Split('\n'));
        }
        OneLine("no such run folder", Path.Combine(Dir, "nope"), "--scene", scene);
        OneLine("--max-points 0: expected at least 1 point", Path.Combine(Dir, "nope"), "--scene", scene, "--max-points", "0");
        var full = TrainTiny(data, "full");
        OneLine("the run trains 'full'; bench clickseg-exact measures clickseg runs", full, "--scene", scene);
        OneLine("--threads 0", full, "--scene", scene, "--threads", "0");
    }
}
