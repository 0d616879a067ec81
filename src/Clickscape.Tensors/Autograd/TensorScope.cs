namespace Clickscape.Tensors.Autograd;

/// <summary>
/// Disposes every tensor created on this thread while the scope is open (the pooling half of the ownership
/// rule in <see cref="Tensor"/>). A training step is typically one scope:
/// <code>
/// using (TensorScope.Begin())
/// {
///     var loss = Losses.CrossEntropy(model.Forward(x), labels);
///     loss.Backward();
///     optimizer.Step();
///     lossValue = loss.Item();
/// }   // every activation goes back to the pool here
/// </code>
/// Tensors that must outlive the scope are moved out with <see cref="Tensor.DetachFromScope"/>; parameters
/// (anything set to RequiresGrad = true as a leaf), gradients and optimizer state are never scoped.
/// Scopes nest; a tensor belongs to the innermost scope open when it was created.
/// </summary>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? _current;

    private readonly TensorScope? _outer;
    private readonly HashSet<Tensor> _owned = new(ReferenceEqualityComparer.Instance);
    private bool _disposed;

    private TensorScope()
    {
        _outer = _current;
        _current = this;
    }

    /// <summary>Opens a scope on the current thread.</summary>
    public static TensorScope Begin() => new();

    /// <summary>Number of tensors the scope will dispose.</summary>
    public int Count => _owned.Count;

    internal static void Register(Tensor t) => _current?._owned.Add(t);

    internal static void Unregister(Tensor t)
    {
        for (var s = _current; s is not null; s = s._outer)
            if (s._owned.Remove(t)) return;
    }

    /// <summary>Disposes the owned tensors and closes the scope.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_current == this) _current = _outer;
        foreach (var t in _owned) t.Dispose();
        _owned.Clear();
    }
}
