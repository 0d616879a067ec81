using System.Text.Json.Nodes;

namespace Clickscape.Training.Configs;

/// <summary>
/// One registry per component kind (models, losses, optimizers, schedules, hooks), Pointcept's <c>Registry</c>:
/// a component is created from its configuration section by the section's <c>"type"</c>, a versioned name such as
/// <c>"PG-v1m1"</c> (PointGroup, version 1, modification 1) so that a changed component gets a new name and old
/// configs keep meaning what they meant.
/// </summary>
/// <typeparam name="TContext">What a factory needs besides its section (sizes, the parameter list, …).</typeparam>
/// <typeparam name="T">The component.</typeparam>
public sealed class ComponentRegistry<TContext, T>
{
    private readonly Dictionary<string, Func<JsonObject, TContext, T>> _factories = new(StringComparer.Ordinal);

    /// <summary>Creates an empty registry for components of <paramref name="kind"/> (e.g. "model").</summary>
    public ComponentRegistry(string kind) => Kind = kind;

    /// <summary>The kind, as the configuration section names it.</summary>
    public string Kind { get; }

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names => _factories.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Registers <paramref name="factory"/> under <paramref name="name"/>; a name registered twice is an error.</summary>
    public ComponentRegistry<TContext, T> Register(string name, Func<JsonObject, TContext, T> factory)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_factories.TryAdd(name, factory)) throw new ArgumentException($"{Kind} registry: '{name}' is already registered");
        return this;
    }

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    public bool Contains(string name) => _factories.ContainsKey(name);

    /// <summary>Creates the component that <paramref name="section"/> describes.</summary>
    public T Create(JsonNode? section, TContext context, string? where = null)
    {
        where ??= Kind;
        string type = ConfigBinding.TypeOf(section, where);
        if (!_factories.TryGetValue(type, out var factory))
            throw new ConfigException($"config section '{where}': unknown {Kind} type '{type}' (registered: {string.Join(", ", Names)})");
        return factory((JsonObject)section!, context);
    }
}
