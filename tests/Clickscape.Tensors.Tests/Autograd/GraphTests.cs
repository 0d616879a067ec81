using Clickscape.Tensors.Autograd;

namespace Clickscape.Tensors.Tests.Autograd;

public class GraphTests
{
    [Fact]
    public void GradientsAccumulateAcrossBackwardCalls()
    {
        var x = Tensor.FromArray([1f, 2f, 3f], 3);
        x.RequiresGrad = true;
        (x * x).Sum().Backward();
        Assert.Equal([2f, 4f, 6f], x.Grad!.ToArray());
        (x * 3f).Sum().Backward();
        Assert.Equal([5f, 7f, 9f], x.Grad!.ToArray());
        x.ZeroGrad();
        Assert.Equal([0f, 0f, 0f], x.Grad!.ToArray());
    }

    [Fact]
    public void DiamondGraphSumsBothPaths()
    {
        // y = (x·2) ⊙ (x + 1) → dy/dx = 2(x + 1) + 2x = 4x + 2
        var x = Tensor.FromArray([0.5f, -1f], 2);
        x.RequiresGrad = true;
        var a = x * 2f;
        var b = x + 1f;
        (a * b).Sum().Backward();
        Assert.Equal([4f, -2f], x.Grad!.ToArray());
    }

    [Fact]
    public void NoGradRecordsNothing()
    {
        var x = Tensor.FromArray([1f], 1);
        x.RequiresGrad = true;
        Tensor y;
        using (Tensor.NoGrad()) y = x * 2f;
        Assert.False(y.RequiresGrad);
        Assert.True(y.IsLeaf);
        Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.True(GradMode.IsEnabled);
    }

    [Fact]
    public void DetachCutsTheGraph()
    {
        var x = Tensor.FromArray([1f, 2f], 2);
        x.RequiresGrad = true;
        var d = (x * 2f).Detach();
        Assert.False(d.RequiresGrad);
        Assert.Equal([2f, 4f], d.ToArray());
    }

    [Fact]
    public void ReleasedGraphThrowsUnlessRetained()
    {
        var x = Tensor.FromArray([1f, 2f], 2);
        x.RequiresGrad = true;
        var y = (x * x).Sum();
        y.Backward(retainGraph: true);
        y.Backward();
        Assert.Equal([4f, 8f], x.Grad!.ToArray());
        var ex = Assert.Throws<InvalidOperationException>(() => y.Backward());
        Assert.Contains("released", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonScalarBackwardNeedsGradient()
    {
        var x = Tensor.FromArray([1f, 2f], 2);
        x.RequiresGrad = true;
        var y = x * 3f;
        Assert.Throws<InvalidOperationException>(() => y.Backward());
        y.Backward(Tensor.FromArray([1f, 10f], 2));
        Assert.Equal([3f, 30f], x.Grad!.ToArray());
    }

    [Fact]
    public void CustomOperationThroughGraphRecord()
    {
        // A user-defined cube: y = x³, dy/dx = 3x².
        static Tensor Cube(Tensor x)
        {
            var y = Tensor.Empty(x.Shape);
            for (int i = 0; i < x.Length; i++) y.Data[i] = x.Data[i] * x.Data[i] * x.Data[i];
            return Graph.Record(y, [x], g =>
            {
                var gx = x.GradBuffer();
                for (int i = 0; i < x.Length; i++) gx[i] += 3 * x.Data[i] * x.Data[i] * g.Data[i];
            });
        }
        var rng = new Random(3);
        GradCheck.Check(t => Cube(t[0]), v => Reference.Map(v[0], a => a * a * a), [RandomTensors.Uniform(rng, -1, 1, 7)]);
    }

    [Fact]
    public void SavedBuffersAreDisposedWhenGraphIsReleased()
    {
        var saved = Tensor.Zeros(4).DetachFromScope();
        var x = Tensor.FromArray([1f], 1);
        x.RequiresGrad = true;
        var y = Graph.Record(Tensor.FromArray([2f], 1), [x], g => x.AccumulateGrad(g.Data), saved);
        Assert.False(saved.IsDisposed);
        y.Backward();
        Assert.True(saved.IsDisposed);
        Assert.Equal(1f, x.Grad!.Item());
    }

    [Fact]
    public void ScopeDisposesIntermediatesButNotParametersOrGrads()
    {
        var w = Tensor.FromArray([1f, 2f], 2);
        w.RequiresGrad = true;
        Tensor inner, loss;
        float value;
        using (TensorScope.Begin())
        {
            inner = w * 3f;
            loss = inner.Sum();
            loss.Backward();
            value = loss.Item();
        }
        Assert.Equal(9f, value);
        Assert.True(inner.IsDisposed);
        Assert.True(loss.IsDisposed);
        Assert.False(w.IsDisposed);
        Assert.Equal([3f, 3f], w.Grad!.ToArray());
        Assert.Throws<ObjectDisposedException>(() => inner.Data.ToArray());
    }

    [Fact]
    public void DetachFromScopeKeepsATensor()
    {
        Tensor kept;
        using (TensorScope.Begin()) kept = Tensor.Ones(3).DetachFromScope();
        Assert.False(kept.IsDisposed);
        Assert.Equal(3f, kept.Sum().Item());
    }
}
