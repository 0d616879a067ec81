using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Nn;
using Clickscape.Training.Data;
using Clickscape.Training.Methods;

namespace Clickscape.Training.Distributed;

/// <summary>The reduced outcome of a step's forward and backward: the loss terms (mean over the workers), the voxels of the global batch, and the seconds this rank spent in the all-reduces (waiting for the slowest rank included; 0 for a plain run).</summary>
public sealed record ReducedStep(IReadOnlyList<(string Name, double Value)> Terms, long Voxels, double SyncSeconds = 0,
    double ForwardSeconds = 0, double BackwardSeconds = 0);

/// <summary>
/// Synchronous data-parallel SGD (Goyal et al., "Accurate, Large Minibatch SGD", 2017; PyTorch DDP, Li et al., VLDB
/// 2020): every worker forwards and back-propagates its slice of the batch, the gradients are summed over the ranks by
/// one all-reduce of a flat float buffer and divided by the number of workers that had samples, so every rank applies
/// the same update to the same parameters. Loss terms, voxel counts and the stop decisions are reduced too (doubles),
/// so every rank logs, diverges and stops at the same step. At the start <see cref="BroadcastState"/> copies rank 0's
/// parameters and buffers to every rank.
/// </summary>
/// <remarks>
/// All-reduce volume per step: 4 bytes × <see cref="GradientValues"/> (every optimized parameter), plus 8 bytes × (2 +
/// parameters + <see cref="MaxTerms"/>) of statistics. Micro-batches on one rank are accumulated into the same buffer
/// (in worker order) before the all-reduce, so the sum a rank contributes does not depend on how many ranks there are.
/// A plain run (1 rank, 1 micro-batch) takes the old path: backward straight into the gradients, no copies.
/// </remarks>
public sealed class DataParallel
{
    /// <summary>The most loss terms (the total included) a method may log.</summary>
    public const int MaxTerms = 32;

    private const int Contributors = 0, VoxelSlot = 1, Header = 2;

    private readonly IProcessGroup _group;
    private readonly IReadOnlyList<Tensor> _parameters;
    private readonly float[] _gradients;
    private readonly double[] _stats;
    private string[] _names = [];

    /// <summary>Data parallelism over <paramref name="group"/> for <paramref name="parameters"/> (the optimizer's), with <paramref name="microBatches"/> workers per rank.</summary>
    public DataParallel(IProcessGroup group, IReadOnlyList<Tensor> parameters, int microBatches)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfLessThan(microBatches, 1);
        _group = group;
        _parameters = parameters;
        Layout = new WorkerLayout(group.Rank, group.Size, microBatches);
        bool plain = IsPlain;
        _gradients = plain ? [] : new float[checked((int)parameters.Sum(p => (long)p.Length))];
        _stats = plain ? [] : new double[Header + parameters.Count + MaxTerms];
    }

    /// <summary>How batches are split over the workers.</summary>
    public WorkerLayout Layout { get; }

    /// <summary>One process and one worker: nothing to reduce.</summary>
    public bool IsPlain => Layout.Workers == 1;

    /// <summary>Floats all-reduced per step (the parameter count).</summary>
    public long GradientValues => _parameters.Sum(p => (long)p.Length);

    /// <summary>Copies rank 0's parameters and buffers (in name order) to every rank.</summary>
    public static void BroadcastState(IProcessGroup group, Module model)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(model);
        if (group.Size == 1) return;
        foreach (var (_, t) in model.StateDict().OrderBy(p => p.Key, StringComparer.Ordinal)) group.Broadcast(t.Data, 0);
    }

    /// <summary>
    /// Copies rank 0's buffers (batch-norm running statistics, in name order) to every rank — at each epoch end, as
    /// DDP's <c>broadcast_buffers</c> does, so whatever runs the network in evaluation mode (evaluation, a method's
    /// pseudo labels) sees the same model on every rank. Training steps use batch statistics and are not affected.
    /// </summary>
    public static void BroadcastBuffers(IProcessGroup group, Module model)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(model);
        if (group.Size == 1) return;
        foreach (var (_, t) in model.NamedBuffers().OrderBy(p => p.Name, StringComparer.Ordinal)) group.Broadcast(t.Data, 0);
    }

    /// <summary>
    /// Forward and backward of this rank's micro-batches of <paramref name="batch"/> with <paramref name="loss"/>, then
    /// the all-reduce: afterwards every parameter's gradient is the mean over the workers of the gradients of their
    /// losses. Call inside the step's <see cref="TensorScope"/>, after zeroing the gradients.
    /// </summary>
    public ReducedStep ForwardBackward(ShardedBatch batch, Func<TrainingBatch, LossTerms> loss)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(loss);
        if (IsPlain)
        {
            var part = batch.Parts.Single();
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            var l = loss(part);
            long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
            l.Total.Backward();
            double backward = System.Diagnostics.Stopwatch.GetElapsedTime(t1).TotalSeconds;
            var terms = new List<(string, double)> { ("loss", l.Total.Item()) };
            terms.AddRange(l.Terms.Select(t => (t.Name, (double)t.Value.Item())));
            return new ReducedStep(terms, part.VoxelCount, 0, System.Diagnostics.Stopwatch.GetElapsedTime(t0, t1).TotalSeconds, backward);
        }

        Array.Clear(_gradients);
        Array.Clear(_stats);
        double forwardSeconds = 0, backwardSeconds = 0;
        foreach (var part in batch.Parts)
        {
            using (TensorScope.Begin())
            {
                long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                var l = loss(part);
                long t1 = System.Diagnostics.Stopwatch.GetTimestamp();
                l.Total.Backward();
                forwardSeconds += System.Diagnostics.Stopwatch.GetElapsedTime(t0, t1).TotalSeconds;
                backwardSeconds += System.Diagnostics.Stopwatch.GetElapsedTime(t1).TotalSeconds;
                if (_names.Length == 0) _names = ["loss", .. l.Terms.Select(t => t.Name)];
                if (l.Terms.Count + 1 > MaxTerms) throw new InvalidOperationException($"data parallel: the method logs {l.Terms.Count + 1} loss terms, at most {MaxTerms} are reduced");
                _stats[Header + _parameters.Count] += l.Total.Item();
                for (int k = 0; k < l.Terms.Count; k++) _stats[Header + _parameters.Count + 1 + k] += l.Terms[k].Value.Item();
            }
            _stats[Contributors] += 1;
            _stats[VoxelSlot] += part.VoxelCount;
            int offset = 0;
            for (int i = 0; i < _parameters.Count; i++)
            {
                var p = _parameters[i];
                if (p.Grad is { } g)
                {
                    var slot = _gradients.AsSpan(offset, p.Length);
                    TensorPrimitives.Add(slot, g.Data, slot);
                    _stats[Header + i] = 1;
                    g.Data.Clear();
                }
                offset += p.Length;
            }
        }

        // every rank has summed its workers in worker order; the reduction adds the ranks
        long syncStart = System.Diagnostics.Stopwatch.GetTimestamp();
        _group.AllReduceSum(_gradients.AsSpan());
        _group.AllReduceSum(_stats.AsSpan());
        double sync = System.Diagnostics.Stopwatch.GetElapsedTime(syncStart).TotalSeconds;
        double workers = _stats[Contributors];
        if (workers < 1) throw new InvalidOperationException("data parallel: no worker had a sample in this batch");
        float scale = (float)(1.0 / workers);
        int at = 0;
        for (int i = 0; i < _parameters.Count; i++)
        {
            var p = _parameters[i];
            if (_stats[Header + i] > 0)
            {
                var grad = p.Grad is null ? p.GradBuffer() : p.Grad.Data;
                TensorPrimitives.Multiply(_gradients.AsSpan(at, p.Length), scale, grad);
            }
            at += p.Length;
        }
        // rank 0 always has a sample (worker 0's slice is never empty), so it knows the names; a rank that has had
        // none yet reports the total only (it neither logs nor reports)
        var reduced = new List<(string, double)>();
        for (int k = 0; k < Math.Max(_names.Length, 1); k++)
            reduced.Add((k < _names.Length ? _names[k] : "loss", _stats[Header + _parameters.Count + k] / workers));
        return new ReducedStep(reduced, (long)_stats[VoxelSlot], sync, forwardSeconds, backwardSeconds);
    }

    /// <summary>Whether any rank wants to stop for each of two reasons (a budget ran out, Ctrl-C): the same answer on every rank.</summary>
    public (bool Budget, bool Cancel) AnyRank(bool budget, bool cancel)
    {
        if (_group.Size == 1) return (budget, cancel);
        Span<double> flags = [budget ? 1 : 0, cancel ? 1 : 0];
        _group.AllReduceSum(flags);
        return (flags[0] > 0, flags[1] > 0);
    }
}
