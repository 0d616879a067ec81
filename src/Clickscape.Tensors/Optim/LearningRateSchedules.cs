namespace Clickscape.Tensors.Optim;

/// <summary>
/// A learning rate as a function of the step (0-based). Apply it with
/// <c>optimizer.LearningRate = schedule.At(step)</c> before each step.
/// </summary>
public abstract class LearningRateSchedule
{
    /// <summary>Learning rate at <paramref name="step"/>.</summary>
    public abstract float At(int step);
}

/// <summary>η·γ^⌊step/stepSize⌋ (PyTorch StepLR).</summary>
public sealed class StepSchedule(float baseRate, int stepSize, float gamma = 0.1f) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override float At(int step) => baseRate * MathF.Pow(gamma, step / Math.Max(1, stepSize));
}

/// <summary>η·γ^(number of milestones ≤ step) (PyTorch MultiStepLR); milestones are steps, ascending.</summary>
public sealed class MultiStepSchedule(float baseRate, IReadOnlyList<int> milestones, float gamma = 0.1f) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override float At(int step) => baseRate * MathF.Pow(gamma, milestones.Count(m => step >= m));
}

/// <summary>Cosine annealing (Loshchilov &amp; Hutter, SGDR 2017): η_min + ½(η − η_min)(1 + cos(π·step/T)), constant after T.</summary>
public sealed class CosineSchedule(float baseRate, int totalSteps, float minRate = 0f) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override float At(int step)
    {
        double t = Math.Min(step, totalSteps) / (double)Math.Max(1, totalSteps);
        return (float)(minRate + 0.5 * (baseRate - minRate) * (1 + Math.Cos(Math.PI * t)));
    }
}

/// <summary>Polynomial decay η·(1 − step/T)^power (the "poly" policy of DeepLab and PointGroup), 0 after T.</summary>
public sealed class PolySchedule(float baseRate, int totalSteps, float power = 0.9f) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override float At(int step) => baseRate * MathF.Pow(Math.Max(0f, 1f - step / (float)Math.Max(1, totalSteps)), power);
}

/// <summary>Linear warm-up from <paramref name="startFactor"/>·η to the inner schedule over the first steps, then the
/// inner schedule (shifted so it starts at its step 0 after warm-up).</summary>
public sealed class WarmupSchedule(LearningRateSchedule inner, int warmupSteps, float startFactor = 0.001f) : LearningRateSchedule
{
    /// <inheritdoc/>
    public override float At(int step)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (step >= warmupSteps) return inner.At(step - warmupSteps);
        float f = startFactor + (1f - startFactor) * step / Math.Max(1, warmupSteps);
        return f * inner.At(0);
    }
}
