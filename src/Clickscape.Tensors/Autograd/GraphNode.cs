namespace Clickscape.Tensors.Autograd;

/// <summary>
/// One recorded operation: the inputs it read, the closure that turns its output gradient into input
/// gradients, and the buffers it saved only for that closure (released with the graph).
/// </summary>
internal sealed class GraphNode
{
    internal GraphNode(Tensor[] inputs, Action<Tensor> backward, IDisposable[]? saved)
    {
        Inputs = inputs;
        Backward = backward;
        Saved = saved;
    }

    internal Tensor[] Inputs { get; private set; }

    internal Action<Tensor>? Backward { get; private set; }

    internal IDisposable[]? Saved { get; private set; }

    internal bool Released => Backward is null;

    /// <summary>Drops the closure (and with it the references it captured) and returns saved buffers to the pool.</summary>
    internal void Release()
    {
        Backward = null;
        Inputs = [];
        if (Saved is not null)
            foreach (var s in Saved) s.Dispose();
        Saved = null;
    }
}
