using Clickscape.Data.Classes;
using Clickscape.Models.PointGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Sparse;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Methods;
using Clickscape.Training.Methods.Full;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Methods;

public sealed class FullMethodTests
{
    [Fact]
    public void DirectionTerm_IsMinusTheMeanCosineOverInstanceVoxels()
    {
        using var scope = TensorScope.Begin();
        var offsets = Tensor.FromArray([1f, 0f, 0f, 0f, 2f, 0f, 5f, 5f, 5f], 3, 3);
        // voxel 0: same direction (cos 1), voxel 1: opposite (cos −1), voxel 2: no instance (ignored)
        var targets = new PgTargets([0, 0, 0], [0, 1, -100], [3f, 0f, 0f, 0f, -1f, 0f, 0f, 0f, 0f]);
        Assert.Equal(0f, PointGroupLoss.Direction(offsets, targets).Item(), 6);
        var targets2 = new PgTargets([0, 0, 0], [0, -100, -100], [3f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f]);
        Assert.Equal(-1f, PointGroupLoss.Direction(offsets, targets2).Item(), 6);
    }

    [Fact]
    public void Loss_HasTheConfiguredTerms_AndTheirWeightedSum()
    {
        var batch = BatchCollator.Collate(
            [new TrainingSample("s", [0, 1, 2, 3], [0.05f, 0.05f, 0.05f, 0.15f, 0.05f, 0.05f, 0.55f, 0.05f, 0.05f, 0.65f, 0.05f, 0.05f],
                new float[24], [0.05f, 0.05f, 0.05f, 0.15f, 0.05f, 0.05f, 0.55f, 0.05f, 0.05f, 0.65f, 0.05f, 0.05f], [5, 5, 7, 7], [1, 1, 2, 2])],
            0.1f, ScanNetBenchmark.Semantic20Ids);
        var method = MethodRegistry.CreateDefault().Get("full");
        var config = TinyDataset.Config().With("loss", System.Text.Json.Nodes.JsonNode.Parse(
            """{ "type": "PGLoss-v1m1", "semantic_weight": 2, "offset_weight": 3, "direction_weight": 0.5, "discriminative_weight": 0.25 }"""));
        using var model = method.CreateModel(config, 1);
        var loss = method.CreateLoss(config);
        using var scope = TensorScope.Begin();
        var terms = method.Loss(model, loss, batch);
        var t = terms.Terms.ToDictionary(p => p.Name, p => p.Value.Item());
        Assert.Equal(["semantic", "offset", "direction", "discriminative"], terms.Terms.Select(p => p.Name));
        Assert.Equal(2 * t["semantic"] + 3 * t["offset"] + 0.5f * t["direction"] + 0.25f * t["discriminative"], terms.Total.Item(), 4);
        Assert.True(t["discriminative"] > 0);
    }

    [Fact]
    public void Inference_GivesEveryPointItsVoxelsOutputs()
    {
        var (scene, _) = TinyDataset.Scene(0, 2000);
        var source = new Clickscape.Data.SceneSource("s", "s", "memory", () => scene);
        var prepared = PreparedScene.Prepare(source, null, 0.1f, requireLabels: true);
        var method = MethodRegistry.CreateDefault().Get("full");
        using var model = method.CreateModel(TinyDataset.Config(), 2);
        var outputs = FullInference.Outputs((Module<SparseTensor, PgUNetOutput>)model, prepared);
        Assert.Equal(prepared.PointCount * 20, outputs.Probabilities.Length);
        Assert.Equal(prepared.PointCount * 3, outputs.Offsets.Length);
        var first = new Dictionary<int, int>();
        for (int i = 0; i < prepared.PointCount; i++)
        {
            int v = prepared.PointToVoxel[i];
            if (!first.TryAdd(v, i))
            {
                int j = first[v];
                Assert.True(outputs.Probabilities.AsSpan(20 * i, 20).SequenceEqual(outputs.Probabilities.AsSpan(20 * j, 20)));
                Assert.True(outputs.Offsets.AsSpan(3 * i, 3).SequenceEqual(outputs.Offsets.AsSpan(3 * j, 3)));
            }
            Assert.Equal(1f, outputs.Probabilities.AsSpan(20 * i, 20).ToArray().Sum(), 4);
        }
        Assert.True(first.Count < prepared.PointCount, "the test needs voxels holding several points");
        Assert.True(model.Training, "inference must leave the model in the mode it found it in");
        var prediction = method.Predict(model, TinyDataset.Config(), prepared);
        Assert.Equal(prepared.PointCount, prediction.Semantic.Length);
        Assert.All(prediction.Semantic, l => Assert.True(ScanNetBenchmark.IsSemanticClass(l)));
    }
}
