using System.Numerics.Tensors;

namespace Clickscape.Tensors.Autograd;

/// <summary>
/// Reverse-mode automatic differentiation: recording operations and running backward.
/// </summary>
/// <remarks>
/// Every operation is a function <c>y = f(x₁…xₙ)</c> recorded as a <see cref="GraphNode"/> on its output.
/// Backward (<see cref="Tensor.Backward(Tensor?, bool)"/>) sorts the tensors reachable from the root
/// topologically (depth-first post-order, as micrograd does) and visits them in reverse, so a node's
/// closure runs only after every consumer has added into its output gradient.
/// </remarks>
public static class Graph
{
    /// <summary>
    /// Records <paramref name="output"/> = f(<paramref name="inputs"/>) for autograd and returns
    /// <paramref name="output"/>. This is the public way to define a custom differentiable operation:
    /// compute the output with any kernel, then call Record with a closure that receives the gradient of
    /// the output (a read-only tensor of the output's shape) and ADDS each input's gradient into
    /// <c>input.GradBuffer()</c> (or calls <c>input.AccumulateGrad(span)</c>), skipping inputs whose
    /// <see cref="Tensor.RequiresGrad"/> is false.
    /// </summary>
    /// <param name="output">The freshly computed result (a leaf not yet in any graph).</param>
    /// <param name="inputs">The tensors the result depends on differentiably.</param>
    /// <param name="backward">Gradient rule; runs at most once unless backward is called with retainGraph.</param>
    /// <param name="saved">Buffers kept only for <paramref name="backward"/>; disposed when the graph is
    /// released (or immediately when nothing requires grad).</param>
    /// <remarks>When grad mode is off or no input requires grad, nothing is recorded and the output is a
    /// plain leaf.</remarks>
    public static Tensor Record(Tensor output, Tensor[] inputs, Action<Tensor> backward, params IDisposable[] saved)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(backward);
        if (output.Node is not null) throw new InvalidOperationException("Graph.Record: the output is already the result of a recorded operation");
        if (!IsRecording(inputs))
        {
            foreach (var s in saved) s.Dispose();
            return output;
        }
        output.Node = new GraphNode((Tensor[])inputs.Clone(), backward, saved.Length == 0 ? null : saved);
        output.SetRequiresGradFromGraph();
        return output;
    }

    /// <summary>True when an operation on these inputs will be recorded (grad mode on and some input
    /// requires grad). Operations use it to skip saving buffers that only backward needs.</summary>
    public static bool IsRecording(ReadOnlySpan<Tensor> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs)
            if (t.RequiresGrad) return true;
        return false;
    }

    internal static void RunBackward(Tensor root, Tensor? gradient, bool retainGraph)
    {
        if (!root.RequiresGrad) throw new InvalidOperationException($"Backward(): tensor {root} does not require grad (no input of the computation had RequiresGrad = true)");
        if (gradient is null && root.Length != 1)
            throw new InvalidOperationException($"Backward(): tensor {root} is not a scalar; pass the gradient of the output explicitly");
        if (gradient is not null && gradient.Length != root.Length)
            throw new ArgumentException($"Backward(): gradient {gradient} does not match tensor {root}");

        if (root.IsDisposed) throw new ObjectDisposedException(nameof(Tensor), $"Backward(): tensor {root} was disposed");
        var order = TopologicalOrder(root);

        // Seed dL/droot.
        var seed = root.GradBuffer();
        if (gradient is null) seed[0] += 1f;
        else TensorPrimitives.Add(seed, gradient.Data, seed);

        for (int i = order.Count - 1; i >= 0; i--)
        {
            var t = order[i];
            var node = t.Node;
            if (node is null) continue; // leaf: gradient already accumulated into .Grad
            var g = t.TransientGrad;
            if (g is null) continue;     // no gradient reached this tensor
            if (node.Released)
                throw new InvalidOperationException($"Backward(): the graph through {t} was already released by an earlier backward; pass retainGraph: true to the first call");
            EnsureAlive(t, node);
            t.TransientGrad = null;
            using (var gradTensor = new Tensor(g, t.ShapeArray(), pooled: true).DetachFromScope())
            using (Tensor.NoGrad())
            {
                node.Backward!(gradTensor);
            }
            if (!retainGraph) node.Release();
        }
    }

    /// <summary>
    /// The disposal check every backward closure relies on (see "Ownership and disposal" on <see cref="Tensor"/>):
    /// before an operation's backward runs, its output and every input it recorded must still own their storage.
    /// A disposed tensor's array may already belong to another tensor, so a closure reading it would compute a
    /// silently wrong gradient; this turns that into an <see cref="ObjectDisposedException"/> naming the tensor.
    /// </summary>
    private static void EnsureAlive(Tensor output, GraphNode node)
    {
        if (output.IsDisposed)
            throw new ObjectDisposedException(nameof(Tensor), $"Backward(): the intermediate tensor {output} was disposed before Backward() reached it; keep every tensor of the graph alive until Backward() returns");
        foreach (var input in node.Inputs)
            if (input.IsDisposed)
                throw new ObjectDisposedException(nameof(Tensor), $"Backward(): an input {input} of the operation that produced {output} was disposed before Backward(); keep every tensor of the graph alive until Backward() returns");
    }

    private static List<Tensor> TopologicalOrder(Tensor root)
    {
        var order = new List<Tensor>();
        var visited = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Tensor T, int Next)>();
        stack.Push((root, 0));
        visited.Add(root);
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.Node?.Inputs ?? [];
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.RequiresGrad && visited.Add(child)) stack.Push((child, 0));
            }
            else
            {
                order.Add(t);
            }
        }
        return order;
    }
}
