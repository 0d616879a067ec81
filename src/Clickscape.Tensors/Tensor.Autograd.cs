using Clickscape.Tensors.Autograd;

namespace Clickscape.Tensors;

public sealed partial class Tensor
{
    /// <summary>Stops graph recording on this thread until the returned scope is disposed:
    /// <c>using (Tensor.NoGrad()) { … }</c>.</summary>
    public static NoGradScope NoGrad() => new();

    /// <summary>
    /// Back-propagates from this tensor: adds d(this)/d(leaf) · <paramref name="gradient"/> into the
    /// <see cref="Grad"/> of every leaf that requires grad. <paramref name="gradient"/> may be omitted for
    /// a one-element tensor (it is then 1). Unless <paramref name="retainGraph"/>, the graph is released
    /// afterwards: buffers saved for backward return to the pool and a second backward throws.
    /// </summary>
    public void Backward(Tensor? gradient = null, bool retainGraph = false) => Graph.RunBackward(this, gradient, retainGraph);
}
