using System.Text.Json.Nodes;
using Clickscape.Models.PointGroup;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Optim;
using Clickscape.Training.Engine;
using Clickscape.Training.Hooks;
using Clickscape.Training.Methods.Full;

namespace Clickscape.Training.Configs;

/// <summary>What a model factory gets: input channels, semantic classes and the initialization seed.</summary>
public sealed record ModelContext(int InChannels, int Classes, int Seed);

/// <summary>What a schedule factory gets: the base learning rate and the run's total steps.</summary>
public sealed record ScheduleContext(float BaseLearningRate, int TotalSteps);

/// <summary>An optimizer with the trainer-level settings of its section.</summary>
/// <param name="Optimizer">The optimizer over the model's parameter groups.</param>
/// <param name="BaseLearningRate">The section's <c>lr</c> (the schedule starts from it).</param>
/// <param name="ClipGradNorm">Global gradient-norm clip (0 = off).</param>
public sealed record OptimizerSetup(Optimizer Optimizer, float BaseLearningRate, float ClipGradNorm);

/// <summary>
/// The component registries of training (Pointcept's MODELS, LOSSES, OPTIMIZERS, SCHEDULERS, HOOKS), filled with
/// what Clickscape ships by <see cref="CreateDefault"/>. Names are versioned (<c>PG-v1m1</c>): a changed component
/// is registered under a new name so that old configurations keep their meaning.
/// </summary>
public sealed class ComponentRegistries
{
    /// <summary>Networks.</summary>
    public ComponentRegistry<ModelContext, Module> Models { get; } = new("model");

    /// <summary>Losses (the context is the method name).</summary>
    public ComponentRegistry<string, object> Losses { get; } = new("loss");

    /// <summary>Optimizers over a model's parameters.</summary>
    public ComponentRegistry<Module, OptimizerSetup> Optimizers { get; } = new("optimizer");

    /// <summary>Learning-rate schedules.</summary>
    public ComponentRegistry<ScheduleContext, LearningRateSchedule> Schedules { get; } = new("schedule");

    /// <summary>Trainer hooks.</summary>
    public ComponentRegistry<Unit, ITrainingHook> Hooks { get; } = new("hook");

    /// <summary>No context.</summary>
    public readonly record struct Unit;

    /// <summary>The registries with every shipped component.</summary>
    public static ComponentRegistries CreateDefault()
    {
        var r = new ComponentRegistries();
        r.Models.Register("PG-v1m1", (section, ctx) =>
        {
            var o = ConfigBinding.Bind<PointGroupModelOptions>(section, "model", "type");
            if (o.Widths.Length == 0 || o.Widths.Any(w => w < 1)) throw new ConfigException("config model.widths: expected at least one positive width");
            if (o.Blocks < 1 || o.Embedding < 1) throw new ConfigException("config model: blocks and embedding must be ≥ 1");
            return new PgUNet(new Random(ctx.Seed), ctx.InChannels, o.Widths, o.Blocks, ctx.Classes, o.Embedding, o.BnEps, o.BnMomentum, o.Fusion);
        });
        r.Losses.Register("PGLoss-v1m1", (section, method) => new PointGroupLoss(ConfigBinding.Bind<PointGroupLossOptions>(section, "loss", "type")));
        r.Optimizers.Register("Adam", (section, model) => CreateOptimizer(section, model, "Adam"));
        r.Optimizers.Register("AdamW", (section, model) => CreateOptimizer(section, model, "AdamW"));
        r.Optimizers.Register("SGD", (section, model) => CreateOptimizer(section, model, "SGD"));
        r.Schedules.Register("Constant", (section, ctx) => Warmup(section, ctx, new PolySchedule(ctx.BaseLearningRate, int.MaxValue, 0f)));
        r.Schedules.Register("Poly", (section, ctx) => Warmup(section, ctx, new PolySchedule(ctx.BaseLearningRate, WarmupOptions(section).Remaining(ctx), WarmupOptions(section).Power)));
        r.Schedules.Register("Cosine", (section, ctx) => Warmup(section, ctx, new CosineSchedule(ctx.BaseLearningRate, WarmupOptions(section).Remaining(ctx), WarmupOptions(section).MinLr)));
        r.Schedules.Register("Step", (section, ctx) =>
        {
            var o = WarmupOptions(section);
            return Warmup(section, ctx, new StepSchedule(ctx.BaseLearningRate, Math.Max(1, (int)(o.StepFraction * ctx.TotalSteps)), o.Gamma));
        });
        r.Schedules.Register("MultiStep", (section, ctx) =>
        {
            var o = WarmupOptions(section);
            if (o.Milestones.Any(m => !(m > 0 && m < 1))) throw new ConfigException("config schedule.milestones: expected fractions of the run in (0, 1)");
            return Warmup(section, ctx, new MultiStepSchedule(ctx.BaseLearningRate, o.Milestones.Order().Select(m => (int)(m * ctx.TotalSteps)).ToArray(), o.Gamma));
        });
        r.Hooks.Register("Evaluate-v1", (section, _) => new EvaluationHook(ConfigBinding.Bind<EvaluationHookOptions>(section, "hooks.Evaluate-v1", "type")));
        r.Hooks.Register("PseudoEvaluate-v1", (section, _) => new PseudoLabelEvaluationHook(ConfigBinding.Bind<PseudoLabelEvaluationHookOptions>(section, "hooks.PseudoEvaluate-v1", "type")));
        r.Hooks.Register("Checkpoint-v1", (section, _) => new CheckpointHook(ConfigBinding.Bind<CheckpointHookOptions>(section, "hooks.Checkpoint-v1", "type")));
        return r;
    }

    private static OptimizerSetup CreateOptimizer(JsonObject section, Module model, string type)
    {
        var o = ConfigBinding.Bind<OptimizerOptions>(section, "optimizer", "type");
        if (!(o.Lr > 0)) throw new ConfigException($"config optimizer.lr {o.Lr}: expected > 0");
        if (o.Betas.Length != 2) throw new ConfigException("config optimizer.betas: expected [beta1, beta2]");
        var groups = ParameterGroups(model, o.NoDecayOnNormAndBias);
        Optimizer optimizer = type switch
        {
            "Adam" => new Adam(groups, o.Lr, o.Betas[0], o.Betas[1], o.Eps, o.WeightDecay),
            "AdamW" => new Adam(groups, o.Lr, o.Betas[0], o.Betas[1], o.Eps, o.WeightDecay, decoupled: true),
            _ => new Sgd(groups, o.Lr, o.Momentum, o.WeightDecay, o.Nesterov),
        };
        return new OptimizerSetup(optimizer, o.Lr, o.ClipGradNorm);
    }

    /// <summary>One group with decay (weights of rank ≥ 2: convolutions, linear layers) and, when asked, one without
    /// (rank ≤ 1: biases and BatchNorm γ, β).</summary>
    public static IReadOnlyList<ParameterGroup> ParameterGroups(Module model, bool noDecayOnNormAndBias)
    {
        ArgumentNullException.ThrowIfNull(model);
        var all = model.Parameters();
        if (!noDecayOnNormAndBias) return [new ParameterGroup(all)];
        return [new ParameterGroup(all.Where(p => p.Rank >= 2).ToList()), new ParameterGroup(all.Where(p => p.Rank < 2).ToList(), WeightDecay: 0f)];
    }

    private static ScheduleOptions WarmupOptions(JsonObject section) => ConfigBinding.Bind<ScheduleOptions>(section, "schedule", "type");

    private static LearningRateSchedule Warmup(JsonObject section, ScheduleContext ctx, LearningRateSchedule inner)
    {
        var o = WarmupOptions(section);
        return o.WarmupSteps > 0 ? new WarmupSchedule(inner, o.WarmupSteps) : inner;
    }
}

/// <summary>The optimizer section.</summary>
public sealed class OptimizerOptions
{
    /// <summary>Base learning rate.</summary>
    public float Lr { get; set; } = 1e-3f;

    /// <summary>Weight decay λ of the decayed group.</summary>
    public float WeightDecay { get; set; }

    /// <summary>Put biases and BatchNorm parameters in a group without weight decay.</summary>
    public bool NoDecayOnNormAndBias { get; set; } = true;

    /// <summary>Adam β₁, β₂.</summary>
    public float[] Betas { get; set; } = [0.9f, 0.999f];

    /// <summary>Adam ε.</summary>
    public float Eps { get; set; } = 1e-8f;

    /// <summary>SGD momentum.</summary>
    public float Momentum { get; set; } = 0.9f;

    /// <summary>SGD Nesterov momentum.</summary>
    public bool Nesterov { get; set; }

    /// <summary>Clip the global gradient norm to this (0 = off).</summary>
    public float ClipGradNorm { get; set; }
}

/// <summary>The schedule section (fields used by the schedule types that need them).</summary>
public sealed class ScheduleOptions
{
    /// <summary>Linear warm-up steps before the schedule.</summary>
    public int WarmupSteps { get; set; }

    /// <summary>Poly power (PointGroup 0.9).</summary>
    public float Power { get; set; } = 0.9f;

    /// <summary>Cosine floor.</summary>
    public float MinLr { get; set; }

    /// <summary>Step: decay every this fraction of the run.</summary>
    public float StepFraction { get; set; } = 0.5f;

    /// <summary>Step: decay factor.</summary>
    public float Gamma { get; set; } = 0.1f;

    /// <summary>MultiStep: the fractions of the run at which the rate is multiplied by gamma (the part fusion paper: 0.5, 0.75).</summary>
    public float[] Milestones { get; set; } = [0.5f, 0.75f];

    internal int Remaining(ScheduleContext ctx) => Math.Max(1, ctx.TotalSteps - WarmupSteps);
}
