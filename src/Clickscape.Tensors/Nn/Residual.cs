namespace Clickscape.Tensors.Nn;

/// <summary>
/// A residual block (He et al., "Deep Residual Learning", CVPR 2016): y = body(x) + shortcut(x), with the
/// identity shortcut when none is given (then body must keep the shape).
/// </summary>
public sealed class Residual : Module<Tensor, Tensor>
{
    /// <summary>Creates the block; children are named "body" and "shortcut".</summary>
    public Residual(Module<Tensor, Tensor> body, Module<Tensor, Tensor>? shortcut = null)
    {
        Body = RegisterModule("body", body);
        if (shortcut is not null) Shortcut = RegisterModule("shortcut", shortcut);
    }

    /// <summary>The residual branch.</summary>
    public Module<Tensor, Tensor> Body { get; }

    /// <summary>The projection shortcut, or null for identity.</summary>
    public Module<Tensor, Tensor>? Shortcut { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        var branch = Body.Forward(input);
        return branch + (Shortcut?.Forward(input) ?? input);
    }
}
