using Clickscape.Training.Configs;
using Clickscape.Training.Methods.ClickSeg;
using Clickscape.Training.Methods.Full;
using Clickscape.Training.Methods.SegGroup;
using Clickscape.Training.Methods.Interactive;

namespace Clickscape.Training.Methods;

/// <summary>
/// The training methods by name (<c>--method</c>). Adding a method = one <see cref="Register"/> line in
/// <see cref="CreateDefault"/> with a <see cref="TrainingMethod"/> subclass that names its model, loss, targets
/// and inference.
/// </summary>
public sealed class MethodRegistry
{
    private readonly Dictionary<string, TrainingMethod> _methods = new(StringComparer.Ordinal);

    /// <summary>The methods Clickscape ships.</summary>
    public static MethodRegistry CreateDefault() => new MethodRegistry()
        .Register(new FullMethod(ComponentRegistries.CreateDefault()))
        .Register(new ClickSegMethod(ClickSegVariant.Weak))
        .Register(new ClickSegMethod(ClickSegVariant.Base))
        .Register(new ClickSegMethod(ClickSegVariant.Click))
        .Register(new SegGroupMethod())
        .Register(new InteractiveMethod(InteractiveVariant.Paper))
        .Register(new InteractiveMethod(InteractiveVariant.Fast))
        .Register(new Parts.PartsMethod());

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names => _methods.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Registers <paramref name="method"/> under its name.</summary>
    public MethodRegistry Register(TrainingMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (!_methods.TryAdd(method.Name, method)) throw new ArgumentException($"method registry: '{method.Name}' is already registered");
        return this;
    }

    /// <summary>The method called <paramref name="name"/>; an unknown name is a <see cref="ConfigException"/> listing the known ones.</summary>
    public TrainingMethod Get(string name) =>
        _methods.TryGetValue(name, out var m) ? m : throw new ConfigException($"unknown method '{name}' (registered: {string.Join(", ", Names)})");
}
