namespace Clickscape.Tensors.Optim;

/// <summary>
/// Base of the optimizers: a list of parameters, a learning rate that schedules may change each step,
/// and per-parameter state (momentum buffers, moments) owned by the optimizer and never scoped.
/// Parameters whose gradient is null (no backward reached them) are skipped.
/// </summary>
public abstract class Optimizer : IDisposable
{
    /// <summary>Creates the optimizer over <paramref name="parameters"/>.</summary>
    protected Optimizer(IEnumerable<Tensor> parameters, float learningRate)
        : this([new ParameterGroup(parameters?.ToList() ?? throw new ArgumentNullException(nameof(parameters)))], learningRate)
    {
    }

    /// <summary>Creates the optimizer over parameter groups (each parameter in exactly one group).</summary>
    protected Optimizer(IEnumerable<ParameterGroup> groups, float learningRate)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Groups = groups.ToList();
        var parameters = new List<Tensor>();
        var groupOf = new List<int>();
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        for (int g = 0; g < Groups.Count; g++)
            foreach (var p in Groups[g].Parameters)
            {
                if (!seen.Add(p)) throw new ArgumentException($"Optimizer: parameter {p} appears in more than one group");
                parameters.Add(p);
                groupOf.Add(g);
            }
        Parameters = parameters;
        _groupOf = groupOf.ToArray();
        foreach (var p in Parameters)
            if (!p.RequiresGrad || !p.IsLeaf) throw new ArgumentException($"Optimizer: parameter {p} must be a leaf with RequiresGrad = true");
        LearningRate = learningRate;
    }

    private readonly int[] _groupOf;

    /// <summary>The parameter groups; <see cref="Parameters"/> lists their tensors group by group.</summary>
    public IReadOnlyList<ParameterGroup> Groups { get; }

    /// <summary>Weight decay of parameter <paramref name="index"/>: its group's, else <paramref name="defaultDecay"/>.</summary>
    protected float WeightDecayOf(int index, float defaultDecay) => Groups[_groupOf[index]].WeightDecay ?? defaultDecay;

    /// <summary>Learning rate of parameter <paramref name="index"/>: <see cref="LearningRate"/> times its group's scale.</summary>
    protected float LearningRateOf(int index) => LearningRate * Groups[_groupOf[index]].LearningRateScale;

    /// <summary>The tensors updated by <see cref="Step"/>.</summary>
    public IReadOnlyList<Tensor> Parameters { get; }

    /// <summary>Current learning rate.</summary>
    public float LearningRate { get; set; }

    /// <summary>Number of steps taken.</summary>
    public int StepCount { get; private set; }

    /// <summary>The per-parameter state arrays by name (e.g. "exp_avg"), each indexed like <see cref="Parameters"/>.
    /// Overridden by optimizers with state so it can be checkpointed.</summary>
    protected virtual IEnumerable<(string Name, float[]?[] Slots)> StateSlots() => [];

    /// <summary>
    /// The optimizer state as tensors for a checkpoint: "step" (scalar) and "{name}.{parameter index}" with the
    /// parameter's shape (e.g. "exp_avg.3"). Copies; the caller owns them.
    /// </summary>
    public Dictionary<string, Tensor> StateDict()
    {
        var d = new Dictionary<string, Tensor>(StringComparer.Ordinal) { ["step"] = Tensor.Scalar(StepCount).DetachFromScope() };
        foreach (var (name, slots) in StateSlots())
            for (int i = 0; i < slots.Length; i++)
                if (slots[i] is { } state)
                    d[$"{name}.{i}"] = Tensor.FromSpan(state, Parameters[i].Shape).DetachFromScope();
        return d;
    }

    /// <summary>Restores state written by <see cref="StateDict"/> for the same parameter list.</summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, string source = "optimizer state")
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.TryGetValue("step", out var step)) throw new InvalidDataException($"{source}: missing 'step'");
        foreach (var (name, slots) in StateSlots())
            for (int i = 0; i < slots.Length; i++)
            {
                if (!state.TryGetValue($"{name}.{i}", out var t)) { slots[i] = null; continue; }
                if (t.Length != Parameters[i].Length)
                    throw new InvalidDataException($"{source}: '{name}.{i}' has {t.Length} values, parameter {i} has {Parameters[i].Length}");
                slots[i] = t.ToArray();
            }
        StepCount = (int)step.Item();
    }

    /// <summary>Clears every parameter's gradient.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.ZeroGrad();
    }

    /// <summary>Updates every parameter from its gradient.</summary>
    public void Step()
    {
        StepCount++;
        using (Tensor.NoGrad())
        {
            for (int i = 0; i < Parameters.Count; i++)
            {
                var p = Parameters[i];
                if (p.Grad is null) continue;
                Update(i, p.Data, p.Grad.Data);
            }
        }
    }

    /// <summary>Updates parameter <paramref name="index"/> in place.</summary>
    protected abstract void Update(int index, Span<float> parameter, ReadOnlySpan<float> gradient);

    /// <summary>Optimizer state of one parameter, created as zeros on first use.</summary>
    protected static float[] State(ref float[]?[] slots, int index, int length) => slots[index] ??= new float[length];

    /// <summary>Releases optimizer state.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases optimizer state.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
