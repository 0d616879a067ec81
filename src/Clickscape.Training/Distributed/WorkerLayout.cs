using Clickscape.Training.Data;

namespace Clickscape.Training.Distributed;

/// <summary>
/// How one batch of the configuration (<c>data.batch_size</c> scenes, the global batch) is split over the workers of a
/// data-parallel step: W = ranks × <c>train.micro_batches</c> workers, worker w = rank × micro_batches + m, each a
/// contiguous slice of the batch's samples (sizes ⌊n/W⌋ or ⌊n/W⌋+1, the larger ones first, so worker 0 — rank 0 —
/// always has a sample). A worker's slice is forwarded on its own (its batch-norm statistics are its own, as in
/// PyTorch DDP without SyncBatchNorm) and the step's gradient is the mean of the workers' gradients.
/// </summary>
/// <remarks>
/// The run depends on W only, not on how the workers are spread over processes: 2 ranks × 1 micro-batch compute the
/// same gradients as 1 rank × 2 micro-batches (up to the summation order), which is what the MPI test checks.
/// </remarks>
/// <param name="Rank">This process's rank.</param>
/// <param name="Ranks">The number of processes.</param>
/// <param name="MicroBatches">Workers per process (gradient accumulation).</param>
public sealed record WorkerLayout(int Rank, int Ranks, int MicroBatches)
{
    /// <summary>All workers W.</summary>
    public int Workers => Ranks * MicroBatches;

    /// <summary>Samples [Start, Start + Count) of a batch of <paramref name="samples"/> samples belong to worker <paramref name="worker"/>.</summary>
    public static (int Start, int Count) Slice(int samples, int workers, int worker)
    {
        if (workers < 1 || worker < 0 || worker >= workers) throw new ArgumentOutOfRangeException(nameof(worker), worker, $"expected 0..{workers - 1}");
        int size = samples / workers, extra = samples % workers;
        int start = worker * size + Math.Min(worker, extra);
        return (start, size + (worker < extra ? 1 : 0));
    }

    /// <summary>The slices of this rank's workers for a batch of <paramref name="samples"/> samples, in worker order (empty ones included).</summary>
    public IEnumerable<(int Start, int Count)> Slices(int samples)
    {
        for (int m = 0; m < MicroBatches; m++) yield return Slice(samples, Workers, Rank * MicroBatches + m);
    }
}

/// <summary>One step's data on one rank: the batch's position, how many scenes the whole (global) batch holds, and this rank's micro-batches (non-empty slices only).</summary>
/// <param name="Index">Position of the batch in its epoch.</param>
/// <param name="Epoch">The epoch.</param>
/// <param name="Scenes">Scenes in the global batch.</param>
/// <param name="Parts">This rank's micro-batches, each collated on its own.</param>
public sealed record ShardedBatch(int Index, int Epoch, int Scenes, IReadOnlyList<TrainingBatch> Parts);
