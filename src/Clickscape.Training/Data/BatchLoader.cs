using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using Clickscape.Data;
using Clickscape.Training.Configs;
using Clickscape.Training.Distributed;
using Clickscape.Training.Randomness;

namespace Clickscape.Training.Data;

/// <summary>
/// Prepares the batches of an epoch on a background thread, <see cref="DataConfig.Prefetch"/> ahead of the training
/// thread, so the cores never wait for data: scene from the cache → <see cref="PointGroupAugmentation"/> →
/// <see cref="BatchCollator"/>. The loader makes plain arrays only; tensors are created by the consumer on the
/// training thread (<see cref="Tensors.Autograd.TensorScope"/> is per thread).
/// </summary>
/// <remarks>
/// Deterministic and resumable: epoch e's order is a shuffle drawn from <see cref="Xoshiro256.ForStream"/>(epoch
/// seed, 0), and sample j of the epoch is augmented with the stream (epoch seed, 1, j); nothing depends on timing,
/// so <see cref="Epoch"/> can start at any batch and give exactly the batches an uninterrupted epoch would.
/// </remarks>
public sealed class BatchLoader
{
    private readonly IReadOnlyList<SceneSource> _scenes;
    private readonly Func<SceneSource, PreparedScene> _prepare;
    private readonly DataConfig _data;
    private readonly IReadOnlyList<int> _classIds;
    private readonly Func<PreparedScene, int, Xoshiro256, TrainingSample> _augment;

    /// <summary>A loader over <paramref name="scenes"/>, preparing each with <paramref name="prepare"/> (e.g. a <see cref="SceneCache"/>)
    /// and augmenting it with <paramref name="augment"/> (scene, points kept, generator; default <see cref="PointGroupAugmentation"/>).</summary>
    public BatchLoader(IReadOnlyList<SceneSource> scenes, Func<SceneSource, PreparedScene> prepare, DataConfig data, IReadOnlyList<int> classIds,
        Func<PreparedScene, int, Xoshiro256, TrainingSample>? augment = null)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        ArgumentNullException.ThrowIfNull(prepare);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(classIds);
        if (scenes.Count == 0) throw new ArgumentException("batch loader: no scenes to train on");
        _scenes = scenes;
        _prepare = prepare;
        _data = data;
        _classIds = classIds;
        _augment = augment ?? ((scene, points, rng) => PointGroupAugmentation.Apply(scene, data.Augment, data.VoxelSize, points, rng));
    }

    /// <summary>Batches per epoch (the last one may hold fewer scenes).</summary>
    public int BatchesPerEpoch => (_scenes.Count + _data.BatchSize - 1) / _data.BatchSize;

    /// <summary>Points kept per sample: min(crop_points, batch_point_budget / batch_size).</summary>
    public int PointsPerSample => Math.Min(_data.CropPoints, _data.BatchPointBudget / _data.BatchSize);

    /// <summary>The scene order of the epoch with <paramref name="epochSeed"/>.</summary>
    public int[] Order(ulong epochSeed)
    {
        var order = Enumerable.Range(0, _scenes.Count).ToArray();
        Xoshiro256.ForStream(epochSeed, 0).Shuffle(order.AsSpan());
        return order;
    }

    /// <summary>Builds batch <paramref name="index"/> of the epoch on the calling thread.</summary>
    public TrainingBatch Build(int epoch, ulong epochSeed, int index, int[] order)
    {
        ArgumentNullException.ThrowIfNull(order);
        int start = index * _data.BatchSize;
        return Collate(epoch, epochSeed, index, order, start, Math.Min(order.Length, start + _data.BatchSize));
    }

    /// <summary>Builds this rank's micro-batches of batch <paramref name="index"/> (<see cref="WorkerLayout"/>): the samples are those of <see cref="Build"/>, augmented alike.</summary>
    public ShardedBatch Build(int epoch, ulong epochSeed, int index, int[] order, WorkerLayout layout)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(layout);
        int start = index * _data.BatchSize;
        int count = Math.Min(order.Length, start + _data.BatchSize) - start;
        var parts = layout.Slices(count).Where(s => s.Count > 0)
            .Select(s => Collate(epoch, epochSeed, index, order, start + s.Start, start + s.Start + s.Count)).ToList();
        return new ShardedBatch(index, epoch, count, parts);
    }

    private TrainingBatch Collate(int epoch, ulong epochSeed, int index, int[] order, int from, int to)
    {
        var samples = new List<TrainingSample>();
        for (int j = from; j < to; j++)
        {
            var scene = _prepare(_scenes[order[j]]);
            var rng = Xoshiro256.ForStream(epochSeed, 1, (ulong)j);
            samples.Add(_augment(scene, PointsPerSample, rng));
        }
        return BatchCollator.Collate(samples, _data.VoxelSize, _classIds) with { Index = index, Epoch = epoch };
    }

    /// <summary>
    /// The batches <paramref name="startBatch"/>.. of epoch <paramref name="epoch"/>, prepared on a background thread.
    /// An error on the loader thread is rethrown here; abandoning the enumeration stops the thread.
    /// </summary>
    public IEnumerable<TrainingBatch> Epoch(int epoch, ulong epochSeed, int startBatch = 0, CancellationToken cancellation = default)
    {
        var order = Order(epochSeed);
        return Prefetch(startBatch, b => Build(epoch, epochSeed, b, order), cancellation);
    }

    /// <summary>As <see cref="Epoch(int, ulong, int, CancellationToken)"/>, each batch as this rank's micro-batches of <paramref name="layout"/>.</summary>
    public IEnumerable<ShardedBatch> Epoch(int epoch, ulong epochSeed, int startBatch, WorkerLayout layout, CancellationToken cancellation = default)
    {
        var order = Order(epochSeed);
        return Prefetch(startBatch, b => Build(epoch, epochSeed, b, order, layout), cancellation);
    }

    private IEnumerable<T> Prefetch<T>(int startBatch, Func<int, T> build, CancellationToken cancellation)
    {
        using var queue = new BlockingCollection<T>(_data.Prefetch);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                for (int b = startBatch; b < BatchesPerEpoch; b++)
                    queue.Add(build(b), stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
#pragma warning disable CA1031 // any loader failure is handed to the training thread, which rethrows it
            catch (Exception e)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                queue.CompleteAdding();
            }
        })
        { IsBackground = true, Name = "clickscape-batch-loader" };
        thread.Start();
        try
        {
            foreach (var batch in queue.GetConsumingEnumerable(cancellation))
                yield return batch;
            failure?.Throw();
        }
        finally
        {
            stop.Cancel();
            thread.Join();
        }
    }
}
