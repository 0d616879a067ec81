using Clickscape.Models.PartFusion;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Tests.PartFusion;

/// <summary>The network's outputs per level, its variants' structure, and the stop-gradient on the fusion's probabilities.</summary>
public sealed class PartFusionNetTests
{
    private static PartFusionInput Input(Random rng, int shapes, int points)
    {
        var xyz = new List<int>();
        var pointToVoxel = new List<int>();
        var positions = new List<float>();
        var voxelOf = new Dictionary<(int, int, int, int), int>();
        for (int b = 0; b < shapes; b++)
        {
            for (int i = 0; i < points; i++)
            {
                var v = (b, rng.Next(6), rng.Next(6), rng.Next(6));
                if (!voxelOf.TryGetValue(v, out int row))
                {
                    voxelOf[v] = row = voxelOf.Count;
                    xyz.AddRange([v.Item1, v.Item2, v.Item3, v.Item4]);
                }
                pointToVoxel.Add(row);
                positions.AddRange([(v.Item2 + (float)rng.NextDouble()) / 6f, v.Item3 / 6f, v.Item4 / 6f]);
            }
        }
        int voxels = voxelOf.Count;
        var features = Enumerable.Range(0, voxels * 4).Select(_ => (float)rng.NextDouble()).ToArray();
        return PartFusionInput.Create(new SparseTensor(new SparseCoords(xyz.ToArray()), Tensor.FromArray(features, voxels, 4)), pointToVoxel.ToArray(), positions.ToArray());
    }

    private static PartFusionOptions Options(PartFusionVariant variant, bool stop = true, FusionAggregation aggregation = FusionAggregation.Probability) =>
        new([2, 3, 5], variant, [4, 6], 1, 8, stop, aggregation);

    [Theory]
    [InlineData(PartFusionVariant.Baseline)]
    [InlineData(PartFusionVariant.MultiLevel)]
    [InlineData(PartFusionVariant.FusionSingle)]
    [InlineData(PartFusionVariant.FusionMulti)]
    [InlineData(PartFusionVariant.FusionCross)]
    public void EveryVariant_GivesEachLevelItsLogitsAndBothOffsets(PartFusionVariant variant)
    {
        var rng = new Random(1);
        using var scope = TensorScope.Begin();
        using var model = new PartFusionNet(new Random(2), 4, Options(variant));
        var input = Input(rng, 2, 40);
        int v = input.Voxels.Count;
        Assert.Equal(80, input.Weights.Sum());
        Assert.Equal(2, input.Shapes.Count);
        var outputs = model.Forward(input);
        Assert.Equal(3, outputs.Count);
        int[] classes = [2, 3, 5];
        for (int k = 0; k < 3; k++)
        {
            Assert.Equal([v, classes[k]], outputs[k].Semantic.Shape.ToArray());
            Assert.Equal([v, 3], outputs[k].InstanceOffset.Shape.ToArray());
            Assert.Equal([v, 3], outputs[k].RegionOffset.Shape.ToArray());
        }
        var names = model.NamedParameters().Select(p => p.Name).ToList();
        // single-level variants: one network per level (towers 0..2), the others one shared network
        Assert.Equal(variant is PartFusionVariant.Baseline or PartFusionVariant.FusionSingle ? 3 : 1, names.Select(n => n.Split('.')[0]).Distinct().Count());
        int fuseLayers = names.Count(n => n.Contains(".fuse", StringComparison.Ordinal) && n.EndsWith("linear.weight", StringComparison.Ordinal));
        Assert.Equal(variant switch { PartFusionVariant.FusionCross => 9, PartFusionVariant.FusionMulti or PartFusionVariant.FusionSingle => 3, _ => 0 }, fuseLayers);
    }

    [Theory]
    [InlineData(PartFusionVariant.FusionCross, true, FusionAggregation.Probability, false)]
    [InlineData(PartFusionVariant.FusionCross, false, FusionAggregation.Probability, true)]
    [InlineData(PartFusionVariant.FusionMulti, false, FusionAggregation.Probability, true)]
    [InlineData(PartFusionVariant.FusionCross, false, FusionAggregation.OneHot, false)]
    [InlineData(PartFusionVariant.MultiLevel, false, FusionAggregation.Probability, false)]
    public void OffsetLoss_ReachesTheSemanticHead_OnlyThroughAnUnstoppedFusion(PartFusionVariant variant, bool stop, FusionAggregation aggregation, bool reaches)
    {
        var rng = new Random(5);
        using var model = new PartFusionNet(new Random(6), 4, Options(variant, stop, aggregation));
        model.ZeroGrad();
        using (TensorScope.Begin())
        {
            var outputs = model.Forward(Input(rng, 2, 30));
            // a loss on the offsets alone: the semantic heads' last layers get gradient only through the fusion weights
            var loss = outputs[0].InstanceOffset.Square().Sum() + outputs[2].RegionOffset.Square().Sum();
            loss.Backward();
        }
        var semHeads = model.NamedParameters().Where(p => p.Name.Contains(".sem1.", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, semHeads.Count); // weight and bias of 3 levels
        double norm = semHeads.Sum(p => p.Value.Grad is null ? 0 : p.Value.Grad.Data.ToArray().Sum(g => (double)g * g));
        if (reaches) Assert.True(norm > 1e-8, $"semantic heads got no gradient ({norm})");
        else Assert.Equal(0, norm);
        // the instance branch always learns from the offsets
        var ins = model.NamedParameters().First(p => p.Name.EndsWith("level0.ins.linear.weight", StringComparison.Ordinal));
        Assert.Contains(ins.Value.Grad!.Data.ToArray(), g => g != 0);
    }
}
