namespace Clickscape.Tensors.Autograd;

/// <summary>
/// Disposes the tensors it owns when it ends (the pooling half of the ownership rule in <see cref="Tensor"/>).
/// A training step is typically one scope:
/// <code>
/// using (TensorScope.Begin())
/// {
///     var loss = Losses.CrossEntropy(model.Forward(x), labels);
///     loss.Backward();
///     optimizer.Step();
///     lossValue = loss.Item();
/// }   // every activation goes back to the pool here
/// </code>
/// A tensor belongs to at most one scope: the innermost scope open on the creating thread when it was created,
/// or none. Tensors that must outlive the scope are moved out with <see cref="Tensor.DetachFromScope"/>;
/// parameters (anything set to RequiresGrad = true as a leaf), gradients and optimizer state are never scoped.
/// </summary>
/// <remarks>
/// <para><b>Across threads</b> (a data loader preparing the next batch while the training thread runs the
/// current one). Which scope a new tensor joins is per thread, but a scope itself is an ordinary object that
/// may be handed from thread to thread:</para>
/// <list type="bullet">
/// <item><description>The loader creates a scope that is not bound to any thread with <see cref="Create"/>,
/// makes it current while it builds the batch (<c>using (batch.Enter()) { … }</c>), and passes it along with the
/// batch. The training thread disposes it when the step is done, or moves its tensors into the step's scope with
/// <see cref="Adopt(TensorScope)"/>.</description></item>
/// <item><description>Or the loader builds tensors with no scope open (they are unowned) and the training thread
/// calls <see cref="Adopt(Tensor)"/> on its own scope.</description></item>
/// </list>
/// <para>Membership is guarded by a lock per scope, so adopting from a scope another thread still fills is safe;
/// a tensor itself is used by one thread at a time (the loader hands it over, then stops touching it).</para>
/// </remarks>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? _current;

    private readonly HashSet<Tensor> _owned = new(ReferenceEqualityComparer.Instance);
    private readonly Lock _gate = new();
    private EnterToken? _beginToken;
    private bool _disposed;

    private TensorScope()
    {
    }

    /// <summary>Opens a scope on the current thread (it is current until disposed).</summary>
    public static TensorScope Begin()
    {
        var scope = new TensorScope();
        scope._beginToken = new EnterToken(scope);
        return scope;
    }

    /// <summary>A scope bound to no thread: tensors join it only while a thread has <see cref="Enter"/>ed it.
    /// It can be passed to another thread, which disposes it or adopts its tensors.</summary>
    public static TensorScope Create() => new();

    /// <summary>The innermost scope open on this thread, or null.</summary>
    public static TensorScope? Current => _current;

    /// <summary>Number of tensors the scope will dispose.</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _owned.Count;
        }
    }

    /// <summary>Makes this scope the current one of the calling thread until the returned token is disposed
    /// (tokens must be disposed in reverse order of entering, as <c>using</c> does).</summary>
    public IDisposable Enter()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new EnterToken(this);
    }

    /// <summary>Moves <paramref name="tensor"/> into this scope from whichever scope owns it (on any thread),
    /// or takes it if it is unowned. Returns the tensor.</summary>
    public Tensor Adopt(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ObjectDisposedException.ThrowIf(_disposed, this);
        tensor.Owner?.Remove(tensor);
        Add(tensor);
        return tensor;
    }

    /// <summary>Moves every tensor of <paramref name="other"/> into this scope and disposes <paramref name="other"/>
    /// (which must not be current on any thread any more).</summary>
    public void Adopt(TensorScope other)
    {
        ArgumentNullException.ThrowIfNull(other);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (ReferenceEquals(other, this)) return;
        Tensor[] moved;
        lock (other._gate)
        {
            moved = [.. other._owned];
            other._owned.Clear();
            other._disposed = true;
        }
        other._beginToken?.Dispose();
        lock (_gate)
            foreach (var t in moved)
            {
                _owned.Add(t);
                t.Owner = this;
            }
    }

    internal static void Register(Tensor t) => _current?.Add(t);

    private void Add(Tensor t)
    {
        lock (_gate)
        {
            if (_disposed) return; // an ended scope owns nothing: the tensor stays unowned
            _owned.Add(t);
            t.Owner = this;
        }
    }

    internal void Remove(Tensor t)
    {
        lock (_gate)
        {
            if (_owned.Remove(t)) t.Owner = null;
        }
    }

    /// <summary>Disposes the owned tensors and closes the scope.</summary>
    public void Dispose()
    {
        Tensor[] owned;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            owned = [.. _owned];
            _owned.Clear();
        }
        _beginToken?.Dispose();
        foreach (var t in owned)
        {
            t.Owner = null;
            t.Dispose();
        }
    }

    /// <summary>One entry of a scope on a thread: restores the thread's previous scope when disposed.</summary>
    private sealed class EnterToken : IDisposable
    {
        private readonly TensorScope _scope;
        private readonly TensorScope? _outer;
        private readonly int _thread;
        private bool _exited;

        internal EnterToken(TensorScope scope)
        {
            _scope = scope;
            _outer = _current;
            _thread = Environment.CurrentManagedThreadId;
            _current = scope;
        }

        public void Dispose()
        {
            if (_exited) return;
            _exited = true;
            // Only the entering thread's stack is touched; a scope disposed elsewhere leaves it to that thread.
            if (Environment.CurrentManagedThreadId == _thread && ReferenceEquals(_current, _scope)) _current = _outer;
        }
    }
}
