using Clickscape.Models.PointGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Tests.PointGroup;

public sealed class PgUNetTests
{
    /// <summary>n distinct random voxels in a cube of side <paramref name="extent"/>, as N × 3.</summary>
    internal static int[] RandomVoxels(Random rng, int n, int extent)
    {
        var seen = new HashSet<(int, int, int)>();
        var xyz = new List<int>();
        while (seen.Count < n)
        {
            var v = (rng.Next(extent), rng.Next(extent), rng.Next(extent));
            if (seen.Add(v)) xyz.AddRange([v.Item1, v.Item2, v.Item3]);
        }
        return xyz.ToArray();
    }

    [Fact]
    public void ScriptNetwork_HasTheScriptsParameterCount_AndLayerShapes()
    {
        using var model = new PgUNet(new Random(1));
        // RESULTS.md §3: PyTorch's PGUNet has 2,744,823 parameters.
        Assert.Equal(2_744_823, model.ParameterCount());
        var p = model.NamedParameters().ToDictionary(x => x.Name, x => x.Value);
        Assert.Equal([27, 6, 16], p["backbone.input_conv.weight"].Shape.ToArray());
        Assert.Equal([27, 80, 80], p["backbone.unet.u.u.u.u.blocks.1.conv2.weight"].Shape.ToArray());
        Assert.Equal([8, 16, 32], p["backbone.unet.down.weight"].Shape.ToArray());
        Assert.Equal([8, 32, 16], p["backbone.unet.up.weight"].Shape.ToArray());
        Assert.Equal([16, 32], p["backbone.unet.tail.0.proj.weight"].Shape.ToArray());
        Assert.False(p.ContainsKey("backbone.unet.tail.1.proj.weight"));
        Assert.Equal([20, 16], p["sem.weight"].Shape.ToArray());
        Assert.Equal([16, 16], p["emb.3.weight"].Shape.ToArray());
        Assert.Equal([3, 16], p["off.3.weight"].Shape.ToArray());
        var bn = model.Backbone.OutputNorm.Norm;
        Assert.Equal(1e-4f, bn.Eps);
        Assert.Equal(0.1f, bn.Momentum);
        // Conv init: U(±1/√(K³·Cin)).
        float bound = 1f / MathF.Sqrt(27 * 80);
        var w = p["backbone.unet.u.u.u.u.blocks.1.conv2.weight"].Data.ToArray();
        Assert.All(w, v => Assert.InRange(v, -bound, bound));
        Assert.True(w.Max() > 0.9f * bound && w.Min() < -0.9f * bound);
    }

    [Fact]
    public void ScriptNetwork_Forward_GivesOneRowPerVoxelForEachHead()
    {
        var rng = new Random(2);
        var coords = SparseCoords.FromXyz(RandomVoxels(rng, 300, 24));
        using var model = new PgUNet(new Random(3));
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn(rng, 1f, 300, 6);
        var output = model.Forward(new SparseTensor(coords, x));
        Assert.Equal([300, 20], output.Semantic.Shape.ToArray());
        Assert.Equal([300, 16], output.Embedding.Shape.ToArray());
        Assert.Equal([300, 3], output.Offset.Shape.ToArray());
        Assert.All(output.Semantic.Data.ToArray(), v => Assert.True(float.IsFinite(v)));
        // five levels of coordinates were built: 24 → 12 → 6 → 3 → 2 voxels per axis at most
        var level = coords;
        for (int l = 0; l < 4; l++) level = level.Downsample(2);
        Assert.Equal(16, level.TensorStride);
        Assert.True(level.Count <= 8);
    }

    [Fact]
    public void Loss_MatchesAPlainDoubleReference_ForTheOffsetTerm()
    {
        var rng = new Random(4);
        int n = 37;
        var inst = Enumerable.Range(0, n).Select(i => i % 4 == 0 ? -100 : i % 3).ToArray();
        var gt = Enumerable.Range(0, 3 * n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var targets = new PgTargets(new int[n], inst, gt);
        using var scope = TensorScope.Begin();
        var off = Tensor.Randn(rng, 1f, n, 3);
        float got = PgUNetLoss.OffsetL1(off, targets).Item();
        double sum = 0;
        int m = 0;
        for (int i = 0; i < n; i++)
        {
            if (inst[i] < 0) continue;
            m++;
            for (int c = 0; c < 3; c++) sum += Math.Abs(off.Data[3 * i + c] - gt[3 * i + c]);
        }
        Assert.Equal(sum / (m + 1e-6), got, 4);
    }
}
