namespace Clickscape.Training.Engine;

/// <summary>
/// Where a run is: optimizer steps taken, the epoch and how many of its batches are done, the epoch's seed and the
/// master generator's state (<see cref="Randomness.Xoshiro256.State"/>), and the best evaluation so far. Stored in
/// every checkpoint's metadata; with the weights and the optimizer state it is all a resumed run needs.
/// </summary>
public sealed record TrainingState
{
    /// <summary>Optimizer steps taken.</summary>
    public int Step { get; init; }

    /// <summary>Current epoch (0-based).</summary>
    public int Epoch { get; init; }

    /// <summary>Batches of <see cref="Epoch"/> already trained.</summary>
    public int BatchInEpoch { get; init; }

    /// <summary>Seed of the current epoch's order and augmentation.</summary>
    public ulong EpochSeed { get; init; }

    /// <summary>State of the master generator (it draws one seed per epoch).</summary>
    public string Rng { get; init; } = "";

    /// <summary>Learning rate of the last step.</summary>
    public float LearningRate { get; init; }

    /// <summary>Metric that chooses the best checkpoint.</summary>
    public string BestMetric { get; init; } = "";

    /// <summary>Best value of <see cref="BestMetric"/> so far (NaN before the first evaluation).</summary>
    public double BestValue { get; init; } = double.NaN;

    /// <summary>Step of the best checkpoint.</summary>
    public int BestStep { get; init; } = -1;

    /// <summary>True once the run reached its last step.</summary>
    public bool Finished { get; init; }
}
