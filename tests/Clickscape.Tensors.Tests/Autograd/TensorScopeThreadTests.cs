using System.Collections.Concurrent;
using Clickscape.Tensors.Autograd;

namespace Clickscape.Tensors.Tests.Autograd;

/// <summary>A data-loader thread prepares tensors that the training thread owns and frees.</summary>
public sealed class TensorScopeThreadTests
{
    private sealed record Batch(TensorScope Scope, Tensor Features, Tensor Unowned, int LoaderThread, bool LoaderScopeClosed);

    /// <summary>Runs <paramref name="batches"/> loader iterations on a real second thread, handing each batch over a queue.</summary>
    private static BlockingCollection<Batch> StartLoader(int batches, out Thread loader, ConcurrentBag<Tensor> loaderTemporaries)
    {
        var queue = new BlockingCollection<Batch>(boundedCapacity: 2);
        loader = new Thread(() =>
        {
            for (int b = 0; b < batches; b++)
            {
                var scope = TensorScope.Create();
                Tensor features;
                using (scope.Enter())
                {
                    // Intermediates made while preparing the batch belong to the batch's scope too.
                    var raw = Tensor.Full(b + 1, 4, 3);
                    loaderTemporaries.Add(raw);
                    features = raw * 2f;
                }
                bool closed = TensorScope.Current is null;
                var unowned = Tensor.Full(-b, 5); // no scope open on this thread: unowned until adopted
                queue.Add(new Batch(scope, features, unowned, Environment.CurrentManagedThreadId, closed));
            }
            queue.CompleteAdding();
        });
        loader.Start();
        return queue;
    }

    [Fact]
    public void BatchScopeMadeOnALoaderThreadIsFreedByTheTrainingThread()
    {
        var w = Tensor.Ones(3, 2);
        w.RequiresGrad = true;
        var temporaries = new ConcurrentBag<Tensor>();
        var queue = StartLoader(3, out var loader, temporaries);
        var seen = new List<Batch>();
        var activations = new List<Tensor>();
        foreach (var batch in queue.GetConsumingEnumerable())
        {
            Assert.NotEqual(Environment.CurrentManagedThreadId, batch.LoaderThread);
            Assert.True(batch.LoaderScopeClosed);
            using (var step = TensorScope.Begin())
            {
                step.Adopt(batch.Scope);   // the batch's tensors now end with the step
                step.Adopt(batch.Unowned);
                Assert.Equal(3, step.Count);
                var h = batch.Features.MatMul(w);
                activations.Add(h);
                h.Sum().Backward();
                Assert.False(batch.Features.IsDisposed);
            }
            Assert.True(batch.Features.IsDisposed);
            Assert.True(batch.Unowned.IsDisposed);
            seen.Add(batch);
        }
        loader.Join();
        Assert.Equal(3, seen.Count);
        Assert.All(temporaries, t => Assert.True(t.IsDisposed));
        Assert.All(activations, t => Assert.True(t.IsDisposed));
        Assert.False(w.IsDisposed);
        // ∂Σ(XW)/∂W = Xᵀ·1 summed over the batches: rows of X are 2(b + 1) each, 4 rows.
        Assert.All(w.Grad!.ToArray(), g => Assert.Equal(4 * (2 + 4 + 6), g));
    }

    [Fact]
    public void DisposingTheHandedOverScopeOnTheTrainingThreadFreesItsTensors()
    {
        var temporaries = new ConcurrentBag<Tensor>();
        var queue = StartLoader(2, out var loader, temporaries);
        foreach (var batch in queue.GetConsumingEnumerable())
        {
            Assert.Equal(12f * 2 * (batch.Features.Data[0] / 2), batch.Features.Sum().Item());
            batch.Scope.Dispose();
            Assert.True(batch.Features.IsDisposed);
            Assert.False(batch.Unowned.IsDisposed); // unowned: left to the GC unless adopted
        }
        loader.Join();
        Assert.All(temporaries, t => Assert.True(t.IsDisposed));
    }

    [Fact]
    public void AdoptMovesATensorOutOfAnotherScope()
    {
        using var outer = TensorScope.Create();
        Tensor t;
        using (TensorScope.Begin())
        {
            t = Tensor.Ones(2);
            outer.Adopt(t);
        }
        Assert.False(t.IsDisposed);
        Assert.Equal(1, outer.Count);
        outer.Dispose();
        Assert.True(t.IsDisposed);
    }

    [Fact]
    public void EnteredScopeIsCurrentOnlyOnItsThread()
    {
        var scope = TensorScope.Create();
        using (scope.Enter())
        {
            Assert.Same(scope, TensorScope.Current);
            TensorScope? other = scope;
            var thread = new Thread(() => other = TensorScope.Current);
            thread.Start();
            thread.Join();
            Assert.Null(other);
        }
        Assert.Null(TensorScope.Current);
        scope.Dispose();
    }
}
