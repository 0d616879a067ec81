using System.Numerics.Tensors;
using Clickscape.Tensors.Autograd;

namespace Clickscape.Tensors;

/// <summary>
/// A dense, contiguous, row-major float32 tensor of rank 0–4 that can take part in reverse-mode autograd.
/// </summary>
/// <remarks>
/// <para><b>Ownership and disposal (the one rule to remember).</b> Storage is rented from a pool
/// (<see cref="TensorStoragePool"/>). Whoever receives a tensor owns it: every factory and every operation
/// returns a NEW tensor owned by the caller. <see cref="Dispose"/> returns the storage to the pool; using a
/// disposed tensor throws <see cref="ObjectDisposedException"/>. Forgetting to dispose is safe (the GC reclaims
/// the array) — it only costs pooling. Three things make this practical in a training step:</para>
/// <list type="number">
/// <item><description><see cref="TensorScope"/>: <c>using (TensorScope.Begin()) { … }</c> disposes every tensor
/// created inside the scope when it ends, except those moved out with <see cref="DetachFromScope"/>. Gradients
/// (<see cref="Grad"/>), module parameters and optimizer state are never scoped. A scope can be handed across
/// threads (<see cref="TensorScope.Create"/>, <see cref="TensorScope.Adopt(Tensor)"/>), so a data-loader thread
/// prepares tensors that the training thread owns and frees.</description></item>
/// <item><description>The graph owns what an operation saves only for its backward (dropout masks, softmax
/// probabilities, im2col columns, argmax indices). <see cref="Backward(Tensor?, bool)"/> releases the graph —
/// those buffers go back to the pool and the backward closures are dropped — unless <c>retainGraph</c> is true.
/// A second backward through a released graph throws.</description></item>
/// <item><description>Operations keep references to their inputs for backward: do not dispose an input (or an
/// intermediate result) before calling <c>Backward()</c>. Doing so throws <see cref="ObjectDisposedException"/>,
/// never reads stale data: a disposed tensor's array goes back to the pool and may already hold another tensor,
/// so before running an operation's backward the graph checks that the operation's output and every input it
/// recorded are alive (the check is in one place, <c>Graph.RunBackward</c>, so a closure may read its inputs'
/// storage freely). The rule for custom operations that follows from it: a backward closure reads only the
/// tensors passed as <c>inputs</c> to <see cref="Graph.Record"/>, the output, tensors it reads through
/// <see cref="Data"/> at backward time (which throws when disposed), and buffers handed to the graph as
/// <c>saved</c> — never a raw array of any other tensor.</description></item>
/// </list>
/// <para><b>Gradients.</b> Leaves created with <see cref="RequiresGrad"/> = true accumulate into
/// <see cref="Grad"/> across backward calls until <see cref="ZeroGrad"/>. Gradients of intermediate tensors
/// are temporary and freed during backward. Inside <c>using (Tensor.NoGrad())</c> no graph is recorded.</para>
/// <para><b>Custom operations</b> (e.g. sparse convolution) compute their output with any kernel and then call
/// <see cref="Graph.Record"/> with a backward closure that adds input gradients into
/// <see cref="GradBuffer"/> / <see cref="AccumulateGrad"/>.</para>
/// </remarks>
public sealed partial class Tensor : IDisposable
{
    /// <summary>Highest supported rank.</summary>
    public const int MaxRank = 4;

    private float[]? _storage;
    private readonly int[] _shape;
    private readonly bool _pooled;

    // Autograd state (see Autograd/Graph.cs).
    internal GraphNode? Node;
    internal float[]? TransientGrad; // gradient of a non-leaf while backward runs, pooled
    internal TensorScope? Owner;       // the scope that disposes this tensor (see TensorScope), or null
    private bool _requiresGrad;

    internal Tensor(float[] storage, int[] shape, bool pooled)
    {
        _storage = storage;
        _shape = shape;
        _pooled = pooled;
        Length = checked((int)ShapeLength(shape));
        TensorScope.Register(this);
    }

    /// <summary>Number of elements.</summary>
    public int Length { get; }

    /// <summary>Number of dimensions (0 for a scalar).</summary>
    public int Rank => _shape.Length;

    /// <summary>The dimensions, outermost first.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>Size of dimension <paramref name="axis"/> (negative counts from the end).</summary>
    public int Dim(int axis) => _shape[NormalizeAxis(axis)];

    /// <summary>A copy of the shape.</summary>
    public int[] ShapeArray() => (int[])_shape.Clone();

    /// <summary>True once <see cref="Dispose"/> has run.</summary>
    public bool IsDisposed => _storage is null;

    /// <summary>The elements, row-major. Writing into the data of a tensor that is part of a recorded graph
    /// invalidates its backward.</summary>
    public Span<float> Data => Storage.AsSpan(0, Length);

    /// <summary>The backing array (its length may exceed <see cref="Length"/>; elements past it are garbage).
    /// For kernels that must capture storage in a closure.</summary>
    internal float[] Storage => _storage ?? throw new ObjectDisposedException(nameof(Tensor), $"tensor {ShapeString(_shape)} was disposed");

    /// <summary>Whether gradients flow to this tensor. Settable on leaves only; results of operations on
    /// inputs that require grad require grad themselves (unless recorded under <see cref="NoGrad"/>).</summary>
    public bool RequiresGrad
    {
        get => _requiresGrad;
        set
        {
            if (Node is not null && !value) throw new InvalidOperationException("RequiresGrad: cannot turn off gradients of a non-leaf tensor; use Detach()");
            _requiresGrad = value;
            if (value) DetachFromScope();
        }
    }

    /// <summary>True when this tensor was not produced by a recorded operation.</summary>
    public bool IsLeaf => Node is null;

    /// <summary>Accumulated gradient of a leaf (null until a backward reaches it). Not scoped.</summary>
    public Tensor? Grad { get; set; }

    // ---------------------------------------------------------------- factories

    /// <summary>An uninitialized pooled tensor (contents are whatever the pool held).</summary>
    public static Tensor Empty(params ReadOnlySpan<int> shape)
    {
        int[] s = ValidateShape(shape);
        long n = ShapeLength(s);
        return new Tensor(TensorStoragePool.Rent((int)n), s, pooled: true);
    }

    /// <summary>A pooled tensor of zeros.</summary>
    public static Tensor Zeros(params ReadOnlySpan<int> shape)
    {
        var t = Empty(shape);
        t.Data.Clear();
        return t;
    }

    /// <summary>A pooled tensor of ones.</summary>
    public static Tensor Ones(params ReadOnlySpan<int> shape) => Full(1f, shape);

    /// <summary>A pooled tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params ReadOnlySpan<int> shape)
    {
        var t = Empty(shape);
        t.Data.Fill(value);
        return t;
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => Full(value, ReadOnlySpan<int>.Empty);

    /// <summary>A pooled tensor holding a copy of <paramref name="data"/> with the given shape.</summary>
    public static Tensor FromArray(float[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromSpan(data, shape);
    }

    /// <summary>A pooled tensor holding a copy of <paramref name="data"/> with the given shape.</summary>
    public static Tensor FromSpan(ReadOnlySpan<float> data, ReadOnlySpan<int> shape)
    {
        int[] s = ValidateShape(shape);
        if (ShapeLength(s) != data.Length)
            throw new ArgumentException($"Tensor.FromArray: {data.Length} values cannot fill shape {ShapeString(s)} ({ShapeLength(s)} elements)");
        var t = Empty(s);
        data.CopyTo(t.Data);
        return t;
    }

    /// <summary>Normal(0, std²) samples from a seeded generator (Box–Muller).</summary>
    public static Tensor Randn(Random random, float std, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = Empty(shape);
        var d = t.Data;
        for (int i = 0; i < d.Length; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(), u2 = random.NextDouble();
            double r = Math.Sqrt(-2.0 * Math.Log(u1));
            d[i] = (float)(std * r * Math.Cos(2 * Math.PI * u2));
            if (i + 1 < d.Length) d[i + 1] = (float)(std * r * Math.Sin(2 * Math.PI * u2));
        }
        return t;
    }

    /// <summary>Uniform samples in [low, high) from a seeded generator.</summary>
    public static Tensor Uniform(Random random, float low, float high, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(random);
        var t = Empty(shape);
        var d = t.Data;
        for (int i = 0; i < d.Length; i++) d[i] = (float)(low + (high - low) * random.NextDouble());
        return t;
    }

    // ---------------------------------------------------------------- accessors

    /// <summary>The single value of a one-element tensor.</summary>
    public float Item()
    {
        if (Length != 1) throw new InvalidOperationException($"Item(): tensor {ShapeString(_shape)} has {Length} elements, expected 1");
        return Data[0];
    }

    /// <summary>A copy of the elements.</summary>
    public float[] ToArray() => Data.ToArray();

    /// <summary>Element at a row-major multi-index.</summary>
    [System.Runtime.CompilerServices.IndexerName("Element")]
    public float this[params ReadOnlySpan<int> index]
    {
        get => Data[Offset(index)];
        set => Data[Offset(index)] = value;
    }

    private int Offset(ReadOnlySpan<int> index)
    {
        if (index.Length != Rank) throw new ArgumentException($"index has {index.Length} coordinates, tensor {ShapeString(_shape)} has rank {Rank}");
        int off = 0;
        for (int i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)_shape[i]) throw new ArgumentOutOfRangeException(nameof(index), $"index {index[i]} out of range for dimension {i} of size {_shape[i]}");
            off = off * _shape[i] + index[i];
        }
        return off;
    }

    /// <summary>A copy that is not part of any graph (a leaf with RequiresGrad = false).</summary>
    public Tensor Detach()
    {
        var t = Empty(_shape);
        Data.CopyTo(t.Data);
        return t;
    }

    /// <summary>Clears the accumulated gradient (keeps its buffer).</summary>
    public void ZeroGrad() => Grad?.Data.Clear();

    /// <summary>Removes this tensor from the enclosing <see cref="TensorScope"/> so it outlives it.
    /// Returns this tensor for chaining.</summary>
    public Tensor DetachFromScope()
    {
        Owner?.Remove(this);
        return this;
    }

    /// <summary>Returns the storage to the pool. Idempotent.</summary>
    public void Dispose()
    {
        var s = _storage;
        if (s is null) return;
        _storage = null;
        if (_pooled) TensorStoragePool.Return(s);
        if (TransientGrad is not null)
        {
            TensorStoragePool.Return(TransientGrad);
            TransientGrad = null;
        }
    }

    // ---------------------------------------------------------------- gradient accumulation (for backward closures)

    /// <summary>
    /// The buffer that backward closures add this tensor's gradient into: <see cref="Grad"/> for a leaf
    /// (created as zeros on first use), a temporary pooled buffer for a non-leaf. Only valid for tensors with
    /// <see cref="RequiresGrad"/>; call it from inside a backward closure.
    /// </summary>
    public Span<float> GradBuffer() => GradStorage().AsSpan(0, Length);

    /// <summary>The array behind <see cref="GradBuffer"/> (for kernels that capture it in a closure).</summary>
    internal float[] GradStorage()
    {
        if (_storage is null) throw new ObjectDisposedException(nameof(Tensor), $"GradBuffer(): tensor {ShapeString(_shape)} was disposed");
        if (!_requiresGrad) throw new InvalidOperationException($"GradBuffer(): tensor {ShapeString(_shape)} does not require grad");
        if (Node is null)
        {
            if (Grad is null)
            {
                var g = new Tensor(TensorStoragePool.Rent(Length), (int[])_shape.Clone(), pooled: true);
                g.DetachFromScope();
                g.Data.Clear();
                Grad = g;
            }
            else if (Grad.Length != Length)
            {
                throw new InvalidOperationException($"Grad has shape {ShapeString(Grad._shape)}, tensor has {ShapeString(_shape)}");
            }
            return Grad.Storage;
        }
        if (TransientGrad is null)
        {
            TransientGrad = TensorStoragePool.Rent(Length);
            TransientGrad.AsSpan(0, Length).Clear();
        }
        return TransientGrad;
    }

    /// <summary>Adds <paramref name="gradient"/> into this tensor's gradient (no-op when it does not require grad).</summary>
    public void AccumulateGrad(ReadOnlySpan<float> gradient)
    {
        if (!_requiresGrad) return;
        if (gradient.Length != Length) throw new ArgumentException($"AccumulateGrad: gradient has {gradient.Length} elements, tensor {ShapeString(_shape)} has {Length}");
        if (Node is not null && TransientGrad is null && _storage is not null)
        {
            // First gradient of an intermediate: copy it instead of clearing a buffer and adding (one pass, not two).
            TransientGrad = TensorStoragePool.Rent(Length);
            gradient.CopyTo(TransientGrad);
            return;
        }
        var g = GradBuffer();
        TensorPrimitives.Add(g, gradient, g);
    }

    internal void SetRequiresGradFromGraph() => _requiresGrad = true;

    // ---------------------------------------------------------------- shape utilities

    internal static long ShapeLength(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape) n *= d;
        return n;
    }

    internal static int[] ValidateShape(ReadOnlySpan<int> shape)
    {
        if (shape.Length > MaxRank) throw new ArgumentException($"shape {ShapeString(shape)}: rank {shape.Length} exceeds the maximum {MaxRank}");
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0) throw new ArgumentException($"shape {ShapeString(shape)}: dimensions must be ≥ 0");
            n *= d;
            if (n > Array.MaxLength) throw new ArgumentException($"shape {ShapeString(shape)}: more than {Array.MaxLength} elements");
        }
        return shape.ToArray();
    }

    internal int NormalizeAxis(int axis)
    {
        int a = axis < 0 ? axis + Rank : axis;
        if ((uint)a >= (uint)Rank) throw new ArgumentOutOfRangeException(nameof(axis), $"axis {axis} out of range for tensor {ShapeString(_shape)}");
        return a;
    }

    internal static string ShapeString(ReadOnlySpan<int> shape) => "[" + string.Join(",", shape.ToArray()) + "]";

    /// <summary>Shape as text, e.g. "[2,3]".</summary>
    public override string ToString() => $"Tensor{ShapeString(_shape)}{(RequiresGrad ? " requires_grad" : "")}";

    internal bool SameShape(Tensor other) => _shape.AsSpan().SequenceEqual(other._shape);
}

