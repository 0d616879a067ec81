using System.Diagnostics;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;

namespace Clickscape.Models.Profiling;

/// <summary>
/// Optional wall-time breakdown of a training step by layer kind (sub-manifold conv per level, strided conv,
/// BatchNorm-ReLU, heads, …), forward and backward separately. Off unless <see cref="Enabled"/> is set (the
/// <c>CLICKSCAPE_PROFILE=1</c> environment variable sets it at start-up); when off, <see cref="Run"/> is a plain call.
/// </summary>
/// <remarks>
/// <para>Forward: a stopwatch around each layer call. Backward has no hooks in the engine, so a layer call is
/// bracketed by two identity "fence" operations whose backward closures log a timestamp: the fence on the layer's
/// output fires when the layer's backward begins, the fence on its input when it ends. Time between consecutive
/// events goes to the kind on top of a stack of open layers (or "other"). Operations of other branches that the
/// topological order places inside a bracket are charged to that layer, so backward figures are approximate.</para>
/// <para>Each fence copies its tensor once (forward) and adds one gradient (backward); profiling therefore costs a
/// few percent. Not thread-safe: profile one step at a time.</para>
/// </remarks>
public static class LayerProfile
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private static readonly Dictionary<string, (double Forward, double Backward, int Calls)> Totals = [];
    private static readonly Stack<string> Open = new();
    private static long _lastEvent;

    /// <summary>True to record; defaults to the <c>CLICKSCAPE_PROFILE</c> environment variable being "1".</summary>
    public static bool Enabled { get; set; } = Environment.GetEnvironmentVariable("CLICKSCAPE_PROFILE") == "1";

    /// <summary>Runs <paramref name="layer"/> on <paramref name="input"/>, timing it under <paramref name="kind"/> when enabled.</summary>
    public static Tensor Run(string kind, Tensor input, Func<Tensor, Tensor> layer)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(layer);
        if (!Enabled) return layer(input);
        var fencedIn = Fence(input, () => Event(close: kind));
        long t0 = Clock.ElapsedTicks;
        var output = layer(fencedIn);
        Add(kind, Ticks(Clock.ElapsedTicks - t0), 0, 1);
        return Fence(output, () => Event(open: kind));
    }

    /// <summary>Times a step phase that is not a layer (loss, backward total, optimizer) as forward time of <paramref name="kind"/>.</summary>
    public static T Time<T>(string kind, Func<T> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!Enabled) return body();
        long t0 = Clock.ElapsedTicks;
        var result = body();
        Add(kind, Ticks(Clock.ElapsedTicks - t0), 0, 1);
        return result;
    }

    /// <summary>Runs a backward pass, charging its time to the fenced layers (the rest to "other").</summary>
    public static void Backward(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (!Enabled)
        {
            loss.Backward();
            return;
        }
        Open.Clear();
        _lastEvent = Clock.ElapsedTicks;
        loss.Backward();
        Event();
        Open.Clear();
    }

    /// <summary>Clears the totals.</summary>
    public static void Reset()
    {
        Totals.Clear();
        Open.Clear();
    }

    /// <summary>Totals in milliseconds by kind (forward, backward, calls), largest first.</summary>
    public static IReadOnlyList<(string Kind, double ForwardMs, double BackwardMs, int Calls)> Report() =>
        Totals.Select(kv => (kv.Key, kv.Value.Forward, kv.Value.Backward, kv.Value.Calls))
            .OrderByDescending(r => r.Forward + r.Backward).ToList();

    private static double Ticks(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static void Add(string kind, double forward, double backward, int calls)
    {
        var (f, b, c) = Totals.GetValueOrDefault(kind);
        Totals[kind] = (f + forward, b + backward, c + calls);
    }

    private static void Event(string? open = null, string? close = null)
    {
        long now = Clock.ElapsedTicks;
        Add(Open.Count > 0 ? Open.Peek() : "other (backward)", 0, Ticks(now - _lastEvent), 0);
        _lastEvent = now;
        if (open is not null) Open.Push(open);
        if (close is not null && Open.Count > 0 && Open.Peek() == close) Open.Pop();
    }

    /// <summary>Identity with a backward side effect: copies x, and in backward calls <paramref name="onBackward"/> then passes the gradient through.</summary>
    private static Tensor Fence(Tensor x, Action onBackward)
    {
        var y = Tensor.FromSpan(x.Data, x.Shape);
        return Graph.Record(y, [x], gy =>
        {
            onBackward();
            if (x.RequiresGrad)
            {
                var gx = x.GradBuffer();
                System.Numerics.Tensors.TensorPrimitives.Add(gx, gy.Data, gx);
            }
        });
    }
}
