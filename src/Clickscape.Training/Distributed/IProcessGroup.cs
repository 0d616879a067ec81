namespace Clickscape.Training.Distributed;

/// <summary>
/// The processes of a data-parallel run (MPI's <c>MPI_COMM_WORLD</c>): this process's rank, their number, and the two
/// collectives synchronous SGD needs — an all-reduce (sum) and a broadcast. Every rank must call the collectives in the
/// same order with the same lengths; the <see cref="Engine.Trainer"/> guarantees that by taking every decision that
/// ends or changes a step from reduced values only.
/// </summary>
public interface IProcessGroup
{
    /// <summary>This process, 0 ≤ rank &lt; <see cref="Size"/>; rank 0 writes checkpoints, logs and reports.</summary>
    int Rank { get; }

    /// <summary>The number of processes.</summary>
    int Size { get; }

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise sum over the ranks.</summary>
    void AllReduceSum(Span<float> values);

    /// <summary>Replaces <paramref name="values"/> on every rank by the element-wise sum over the ranks.</summary>
    void AllReduceSum(Span<double> values);

    /// <summary>Copies <paramref name="values"/> of rank <paramref name="root"/> into every rank's.</summary>
    void Broadcast(Span<float> values, int root);
}
