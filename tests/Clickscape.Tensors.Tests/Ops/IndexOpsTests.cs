using Clickscape.Tensors.Ops;
using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class IndexOpsTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 3, 20)]
    [InlineData(33, 5, 257)]
    public void GatherAndScatterMatchReference(int n, int c, int m)
    {
        var rng = new Random(n + c + m);
        var x = RandomTensors.Uniform(rng, -1, 1, n, c);
        var index = Enumerable.Range(0, m).Select(_ => rng.Next(n)).ToArray();
        var y = x.IndexSelect(index);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < c; j++) Assert.Equal(x[index[i], j], y[i, j]);

        var src = RandomTensors.Uniform(rng, -1, 1, m, c);
        var s = IndexOps.ScatterAdd(src, index, n);
        var expected = new double[n * c];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < c; j++) expected[index[i] * c + j] += src[i, j];
        RandomTensors.AssertClose(expected, s.Data);

        GradCheck.Check(t => t[0].IndexSelect(index), v => Reference.Gather(v[0], c, index), [x]);
        GradCheck.Check(t => IndexOps.ScatterAdd(t[0], index, n), v => Reference.Segment(v[0], c, index, n, "sum"), [src]);
    }

    [Fact]
    public void ScatterAddSkipsNegativeIndicesAndRejectsOutOfRange()
    {
        var src = Tensor.FromArray([1f, 2f, 3f], 3, 1);
        Assert.Equal([4f, 0f], IndexOps.ScatterAdd(src, [0, -1, 0], 2).ToArray());
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => IndexOps.ScatterAdd(src, [0, 5, 0], 2));
        Assert.Contains("index[1] = 5", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => src.IndexSelect([3]));
    }

    [Theory]
    [InlineData(1, 1, 2)]
    [InlineData(7, 3, 4)]
    [InlineData(20, 5, 3)]
    public void KnnGatherMatchesReference(int n, int k, int c)
    {
        var rng = new Random(n * k * c);
        var x = RandomTensors.Uniform(rng, -1, 1, n, c);
        var nb = Enumerable.Range(0, n * k).Select(_ => rng.Next(n)).ToArray();
        var y = IndexOps.KnnGather(x, nb, k);
        Assert.Equal([n, k, c], y.ShapeArray());
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++)
                for (int ch = 0; ch < c; ch++) Assert.Equal(x[nb[i * k + j], ch], y[i, j, ch]);
        GradCheck.Check(t => IndexOps.KnnGather(t[0], nb, k), v => Reference.Gather(v[0], c, nb), [x]);
    }
}
