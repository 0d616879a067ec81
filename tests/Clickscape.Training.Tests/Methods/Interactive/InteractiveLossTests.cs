using System.Text.Json.Nodes;
using Clickscape.Data.Datasets;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Optim;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Methods;
using Clickscape.Training.Methods.Interactive;
using Clickscape.Training.Randomness;
using Clickscape.Training.Tests.Shared;
using Xunit.Abstractions;

namespace Clickscape.Training.Tests.Methods.Interactive;

public sealed class InteractiveLossTests(ITestOutputHelper log) : TempFolder
{
    internal static TrainConfig Config(string method, string extraLoss = "")
    {
        var m = (InteractiveMethod)MethodRegistry.CreateDefault().Get(method);
        var json = m.Configure(ConfigLoader.LoadPreset("cpu"));
        json["method"] = method;
        json = ConfigLoader.Merge(json, JsonNode.Parse($$"""
            {
              "data": { "voxel_size": 0.05, "batch_size": 2, "augment": { "enabled": false } },
              "train": { "epochs": 2, "seed": 5, "threads": 1 },
              "model": { "type": "{{m.ModelType}}", "widths": [8, 16, 24], "blocks": 1, "head_width": 8 },
              "loss": { "type": "InteractiveCE-v1" {{extraLoss}} },
              "optimizer": { "lr": 0.01 }
            }
            """)!.AsObject());
        return TrainConfig.FromJson(json);
    }

    private (InteractiveMethod Method, TrainConfig Config, object Loss, List<PreparedScene> Scenes) Setup(string method, string extraLoss = "")
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 3, points: 4000);
        var dataset = SceneDataset.Open(data);
        var scenes = dataset.Split("train");
        var config = Config(method, extraLoss);
        var m = (InteractiveMethod)MethodRegistry.CreateDefault().Get(method);
        var prepared = scenes.Select(s => PreparedScene.Prepare(s, null, 0.05f, requireLabels: true)).ToList();
        var loss = m.CreateLoss(config, new TrainingData(dataset, scenes, null, Dir, false, _ => { }));
        return (m, config, loss, prepared.Select(p => m.TrainingScene(loss, p)).ToList());
    }

    [Fact]
    public void TrainingScene_MakesWallsAndFloorsObjects()
    {
        var (_, _, _, scenes) = Setup("interactive");
        foreach (var s in scenes)
        {
            // PointGroup's preparation drops the instances of wall (1) and floor (2); the interactive method keeps them
            for (int i = 0; i < s.PointCount; i++)
            {
                if (s.Semantic[i] is 1 or 2) Assert.NotEqual(0, s.Instance[i]);
                if (s.Semantic[i] == 0) Assert.Equal(0, s.Instance[i]);
            }
            Assert.Contains(s.Semantic, v => v is 1 or 2);
        }
    }

    [Theory]
    [InlineData("interactive")]
    [InlineData("interactive-fast")]
    [InlineData("interactive", ", \"error_click_probability\": 1")]
    public void ShortTraining_OnOneScene_LowersTheLoss(string method, string extraLoss = "")
    {
        var (m, config, loss, scenes) = Setup(method, extraLoss);
        using var model = m.CreateModel(config, 3);
        model.Train();
        using var optimizer = new Adam(model.Parameters(), 0.01f);
        var sample = TrainingSample.Plain(scenes[0]);
        var batch = BatchCollator.Collate([sample, sample], 0.05f, m.ClassIds);
        var losses = new List<float>();
        for (int step = 0; step < 40; step++)
        {
            using var scope = TensorScope.Begin();
            optimizer.ZeroGrad();
            // the same batch index every step: the same object and clicks, so the network can fit them
            var terms = m.Loss(model, loss, batch);
            terms.Total.Backward();
            optimizer.Step();
            losses.Add(terms.Total.Item());
        }
        log.WriteLine(string.Join(" ", losses.Select(l => l.ToString("F3", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.All(losses, l => Assert.True(float.IsFinite(l)));
        Assert.True(losses.Skip(35).Average() < 0.5 * losses.Take(3).Average(), $"loss {losses[0]} → {losses[^1]}");
    }
}
