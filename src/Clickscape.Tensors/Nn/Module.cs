namespace Clickscape.Tensors.Nn;

/// <summary>
/// A network component with named parameters (trained), buffers (state such as running statistics) and
/// child modules. Names are dotted paths (<c>encoder.0.weight</c>) as in PyTorch's state dicts, so
/// checkpoints written by <see cref="Serialization.SafeTensors"/> line up with other frameworks.
/// </summary>
/// <remarks>Parameters and buffers belong to the module (never scoped); <see cref="Dispose"/> returns them to the pool.</remarks>
public abstract class Module : IDisposable
{
    private readonly List<(string Name, Tensor Value)> _parameters = [];
    private readonly List<(string Name, Tensor Value)> _buffers = [];
    private readonly List<(string Name, Module Value)> _children = [];

    /// <summary>True in training mode (dropout active, batch statistics), false in evaluation mode.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Registers a trainable parameter (sets RequiresGrad) and returns it.</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckName(name);
        value.DetachFromScope();
        value.RequiresGrad = true;
        _parameters.Add((name, value));
        return value;
    }

    /// <summary>Registers a non-trainable state tensor and returns it.</summary>
    protected Tensor RegisterBuffer(string name, Tensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        CheckName(name);
        value.DetachFromScope();
        _buffers.Add((name, value));
        return value;
    }

    /// <summary>Registers a child module and returns it.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        CheckName(name);
        _children.Add((name, module));
        return module;
    }

    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('.', StringComparison.Ordinal))
            throw new ArgumentException($"{GetType().Name}: member name '{name}' must be non-empty and contain no '.'");
        if (_parameters.Exists(p => p.Name == name) || _buffers.Exists(p => p.Name == name) || _children.Exists(p => p.Name == name))
            throw new ArgumentException($"{GetType().Name}: a member named '{name}' is already registered");
    }

    /// <summary>All parameters with dotted names, depth-first in registration order.</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedParameters(string prefix = "")
    {
        foreach (var (n, p) in _parameters) yield return (prefix + n, p);
        foreach (var (n, c) in _children)
            foreach (var item in c.NamedParameters(prefix + n + "."))
                yield return item;
    }

    /// <summary>All buffers with dotted names.</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedBuffers(string prefix = "")
    {
        foreach (var (n, p) in _buffers) yield return (prefix + n, p);
        foreach (var (n, c) in _children)
            foreach (var item in c.NamedBuffers(prefix + n + "."))
                yield return item;
    }

    /// <summary>The trainable parameters (for an optimizer).</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Value).ToList();

    /// <summary>Parameters and buffers by name: what a checkpoint stores.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>();
        foreach (var (n, t) in NamedParameters()) d[n] = t;
        foreach (var (n, t) in NamedBuffers()) d[n] = t;
        return d;
    }

    /// <summary>Copies values into this module's parameters and buffers by name. With <paramref name="strict"/>,
    /// missing or unexpected names are an error. Shapes must match.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true, string source = "state dict")
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        if (strict)
        {
            var missing = own.Keys.Where(k => !state.ContainsKey(k)).ToList();
            if (missing.Count > 0) throw new InvalidDataException($"{source}: missing tensors {string.Join(", ", missing)}");
            var extra = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (extra.Count > 0) throw new InvalidDataException($"{source}: unexpected tensors {string.Join(", ", extra)}");
        }
        foreach (var (name, target) in own)
        {
            if (!state.TryGetValue(name, out var src)) continue;
            if (!target.SameShape(src))
                throw new InvalidDataException($"{source}: tensor '{name}' has shape {Tensor.ShapeString(src.Shape)}, the model expects {Tensor.ShapeString(target.Shape)}");
            src.Data.CopyTo(target.Data);
        }
    }

    /// <summary>Switches this module and its children to training mode.</summary>
    public void Train(bool training = true)
    {
        Training = training;
        foreach (var (_, c) in _children) c.Train(training);
    }

    /// <summary>Switches to evaluation mode.</summary>
    public void Eval() => Train(false);

    /// <summary>
    /// Switches to evaluation mode until the returned scope is disposed, which puts the previous mode back:
    /// inference inside a training run writes <c>using var evalMode = model.EvalScope();</c>.
    /// </summary>
    public IDisposable EvalScope()
    {
        var scope = new ModeScope(this, Training);
        Eval();
        return scope;
    }

    private sealed class ModeScope(Module module, bool training) : IDisposable
    {
        public void Dispose() => module.Train(training);
    }

    /// <summary>Clears the gradients of all parameters.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in NamedParameters()) p.ZeroGrad();
    }

    /// <summary>Number of trainable scalars.</summary>
    public long ParameterCount() => NamedParameters().Sum(p => (long)p.Value.Length);

    /// <summary>Returns parameters, their gradients and buffers to the pool.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes owned tensors and children.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        foreach (var (_, p) in _parameters) { p.Grad?.Dispose(); p.Dispose(); }
        foreach (var (_, b) in _buffers) b.Dispose();
        foreach (var (_, c) in _children) c.Dispose();
    }
}

/// <summary>A module with a typed forward function.</summary>
public abstract class Module<TIn, TOut> : Module
{
    /// <summary>Computes the module's output.</summary>
    public abstract TOut Forward(TIn input);
}
