using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class ShapeTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void ConcatAndSliceAreInverse(int axis)
    {
        var rng = new Random(axis);
        var a = RandomTensors.Uniform(rng, -1, 1, 3, 2, 5);
        var shapeB = new[] { 3, 2, 5 };
        shapeB[axis] = 7;
        var b = RandomTensors.Uniform(rng, -1, 1, shapeB);
        var c = Tensor.Concat([a, b], axis);
        Assert.Equal(a.Dim(axis) + 7, c.Dim(axis));
        Assert.Equal(a.ToArray(), c.Slice(axis, 0, a.Dim(axis)).ToArray());
        Assert.Equal(b.ToArray(), c.Slice(axis, a.Dim(axis), 7).ToArray());
        // Reference on a spot: element-by-element indexing.
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 2; j++)
                for (int k = 0; k < 5; k++)
                    Assert.Equal(a[i, j, k], c[i, j, k]);
        GradCheck.Check(t => Tensor.Concat([t[0], t[1]], axis), v => Reference.Concat(v, [a.ShapeArray(), b.ShapeArray()], axis), [a, b]);
        GradCheck.Check(t => t[0].Slice(axis, 1, 1), v => Reference.Slice(v[0], c.ShapeArray(), axis, 1, 1), [c]);
    }

    [Fact]
    public void ReshapeAndTranspose()
    {
        var rng = new Random(2);
        var x = RandomTensors.Uniform(rng, -1, 1, 7, 33);
        var r = x.Reshape(-1, 7);
        Assert.Equal([33, 7], r.ShapeArray());
        Assert.Equal(x.ToArray(), r.ToArray());
        var t = x.Transpose();
        for (int i = 0; i < 7; i++)
            for (int j = 0; j < 33; j++) Assert.Equal(x[i, j], t[j, i]);
        GradCheck.Check(u => u[0].Reshape(3, 77), v => v[0], [RandomTensors.Uniform(rng, -1, 1, 7, 33)]);
        GradCheck.Check(u => u[0].Transpose(), v => Reference.Transpose(v[0], 7, 3), [RandomTensors.Uniform(rng, -1, 1, 7, 3)]);
        Assert.Throws<ArgumentException>(() => x.Reshape(5, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => x.Slice(1, 30, 5));
    }
}
