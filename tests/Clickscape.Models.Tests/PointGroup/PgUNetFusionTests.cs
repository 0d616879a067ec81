using Clickscape.Models.PointGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Tests.PointGroup;

/// <summary>The part fusion module as a drop-in for the scene network (Sun et al. §4.2): per scene, gradient stopped.</summary>
public sealed class PgUNetFusionTests
{
    /// <summary>Two scenes in one batch (batch coordinates 0 and 1), 60 voxels each.</summary>
    private static (SparseCoords Coords, float[] Features) Batch(Random rng)
    {
        var xyz = new List<int>();
        for (int b = 0; b < 2; b++)
        {
            var scene = PgUNetTests.RandomVoxels(rng, 60, 6);
            for (int i = 0; i < 60; i++) xyz.AddRange([b, scene[3 * i], scene[3 * i + 1], scene[3 * i + 2]]);
        }
        return (new SparseCoords(xyz.ToArray()), Enumerable.Range(0, 120 * 3).Select(_ => (float)rng.NextDouble()).ToArray());
    }

    [Fact]
    public void Fusion_AddsOnlyTheFuseLayerAndAWiderOffsetInput()
    {
        using var plain = new PgUNet(new Random(1), 3, [4, 6], 1, 5, 4);
        using var fused = new PgUNet(new Random(1), 3, [4, 6], 1, 5, 4, fusion: true);
        var extra = fused.NamedParameters().Select(p => p.Name).Except(plain.NamedParameters().Select(p => p.Name)).Order().ToList();
        Assert.Equal(["fuse.bn.bias", "fuse.bn.weight", "fuse.linear.weight"], extra);
        Assert.Equal([4, 8], fused.NamedParameters().Single(p => p.Name == "off.0.weight").Value.Shape.ToArray());
    }

    [Fact]
    public void FusedOffsets_StayWithinTheirScene_AndSendNoGradientToTheSemanticHead()
    {
        var rng = new Random(2);
        var (coords, features) = Batch(rng);
        using var model = new PgUNet(new Random(3), 3, [4, 6], 1, 5, 4, fusion: true);
        model.ZeroGrad();
        using (TensorScope.Begin())
        {
            model.Forward(new SparseTensor(coords, Tensor.FromArray(features, 120, 3))).Offset.Square().Sum().Backward();
        }
        Assert.All(model.SemanticHead.Weight.Grad?.Data.ToArray() ?? [], g => Assert.Equal(0f, g));
        Assert.Contains(model.Fusion!.Linear.Weight.Grad!.Data.ToArray(), g => g != 0);

        // evaluation mode (BatchNorm from running statistics): scene 1's features do not move scene 0's offsets
        model.Eval();
        float[] Offsets(float[] f)
        {
            using var scope = TensorScope.Begin();
            using var noGrad = Tensor.NoGrad();
            return model.Forward(new SparseTensor(coords, Tensor.FromArray(f, 120, 3))).Offset.Data.ToArray();
        }
        var before = Offsets(features);
        var changed = (float[])features.Clone();
        for (int i = 60 * 3; i < changed.Length; i++) changed[i] += 2f;
        var after = Offsets(changed);
        Assert.Equal(before[..(60 * 3)], after[..(60 * 3)]);
        Assert.NotEqual(before[(60 * 3)..], after[(60 * 3)..]);
    }
}
