namespace Clickscape.Tensors.Autograd;

/// <summary>
/// Whether operations on the current thread record a graph. Disabled inside <see cref="Tensor.NoGrad"/>
/// (evaluation, optimizer updates, running-statistics updates).
/// </summary>
public static class GradMode
{
    [ThreadStatic] private static int _disabledDepth;

    /// <summary>True when operations record backward closures on this thread.</summary>
    public static bool IsEnabled => _disabledDepth == 0;

    internal static void Disable() => _disabledDepth++;

    internal static void Restore() => _disabledDepth--;
}

/// <summary>The scope returned by <see cref="Tensor.NoGrad"/>; disposing it re-enables recording.</summary>
public sealed class NoGradScope : IDisposable
{
    private bool _disposed;

    internal NoGradScope() => GradMode.Disable();

    /// <summary>Ends the no-grad region.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        GradMode.Restore();
    }
}
