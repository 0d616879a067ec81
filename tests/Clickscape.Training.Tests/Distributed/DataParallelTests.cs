using Clickscape.Data.Datasets;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Training.Data;
using Clickscape.Training.Distributed;
using Clickscape.Training.Methods;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Distributed;

/// <summary>
/// <see cref="DataParallel"/> against a hand computation: the gradient rank 0 applies after the all-reduce is the mean
/// of the two workers' gradients, each computed on its own with a plain backward. The other rank is played by a group
/// that replays what rank 1 contributed (<see cref="ReplayGroup"/>), so the test needs no MPI.
/// </summary>
public sealed class DataParallelTests : TempFolder
{
    [Fact]
    public void TwoRanks_ApplyTheMeanOfTheWorkersGradients()
    {
        var config = TinyDataset.Config();
        var method = MethodRegistry.CreateDefault().Get("full");
        var dataset = SceneDataset.Open(TinyDataset.Create(Path.Combine(Dir, "data"), 5, splits: false));
        var cache = new SceneCache(Path.Combine(Dir, "cache"));
        var data = new Clickscape.Training.Configs.DataConfig { VoxelSize = 0.1f, BatchSize = 3, CropPoints = 2000 };
        var loader = new BatchLoader(dataset.Scenes, s => cache.Get(s, null, 0.1f, requireLabels: true), data, method.ClassIds);
        var order = loader.Order(3);
        using var model = method.CreateModel(config, 9);
        model.Train();
        var loss = method.CreateLoss(config);
        var parameters = model.Parameters();

        // the reference: each worker's slice (3 scenes over 2 workers: 2 + 1) back-propagated alone
        var slices = new[] { new WorkerLayout(0, 2, 1), new WorkerLayout(1, 2, 1) }.Select(l => loader.Build(0, 3, 0, order, l)).ToList();
        var expected = parameters.Select(p => new float[p.Length]).ToList();
        double expectedLoss = 0;
        foreach (var part in slices.Select(s => s.Parts.Single()))
        {
            using (TensorScope.Begin())
            {
                foreach (var p in parameters) p.ZeroGrad();
                var l = method.Loss(model, loss, part);
                l.Total.Backward();
                expectedLoss += l.Total.Item() / 2;
                for (int i = 0; i < parameters.Count; i++)
                    if (parameters[i].Grad is { } g)
                        for (int k = 0; k < g.Length; k++) expected[i][k] += g.Data[k] / 2;
            }
        }

        // rank 1, then rank 0 with rank 1's contribution added in its all-reduces
        var record = new ReplayGroup(1, null);
        foreach (var p in parameters) p.ZeroGrad();
        using (TensorScope.Begin()) new DataParallel(record, parameters, 1).ForwardBackward(slices[1], b => method.Loss(model, loss, b));
        var rank0 = new ReplayGroup(0, record.Sent);
        foreach (var p in parameters) p.ZeroGrad();
        ReducedStep reduced;
        using (TensorScope.Begin()) reduced = new DataParallel(rank0, parameters, 1).ForwardBackward(slices[0], b => method.Loss(model, loss, b));

        Assert.Equal("loss", reduced.Terms[0].Name);
        Assert.Equal(expectedLoss, reduced.Terms[0].Value, 5);
        Assert.Equal(slices.Sum(s => (long)s.Parts.Single().VoxelCount), reduced.Voxels);
        int nonZero = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var actual = parameters[i].Grad?.Data.ToArray() ?? new float[parameters[i].Length]; // untouched by every worker: left without a gradient
            for (int k = 0; k < actual.Length; k++)
            {
                Assert.True(MathF.Abs(actual[k] - expected[i][k]) <= 1e-5f * MathF.Max(1f, MathF.Abs(expected[i][k])), $"parameter {i}[{k}]: {actual[k]:R}, expected {expected[i][k]:R}");
                if (actual[k] != 0) nonZero++;
            }
        }
        Assert.True(nonZero > 1000, $"only {nonZero} non-zero gradient values");
    }

    [Fact]
    public void AnyRank_StopsEveryRankWhenOneWantsTo()
    {
        var other = new ReplayGroup(1, null);
        new DataParallel(other, [], 1).AnyRank(budget: false, cancel: true);
        var (budget, cancel) = new DataParallel(new ReplayGroup(0, other.Sent), [], 1).AnyRank(budget: false, cancel: false);
        Assert.False(budget);
        Assert.True(cancel);
    }

    /// <summary>Rank <paramref name="rank"/> of 2: records what it sends; with <paramref name="peer"/>, adds the peer's k-th message to its k-th all-reduce.</summary>
    private sealed class ReplayGroup(int rank, List<double[]>? peer) : IProcessGroup
    {
        private int _calls;

        public List<double[]> Sent { get; } = [];

        public int Rank => rank;

        public int Size => 2;

        public void AllReduceSum(Span<float> values)
        {
            Sent.Add(values.ToArray().Select(v => (double)v).ToArray());
            if (peer is null) return;
            var other = peer[_calls++];
            Assert.Equal(other.Length, values.Length);
            for (int i = 0; i < values.Length; i++) values[i] += (float)other[i];
        }

        public void AllReduceSum(Span<double> values)
        {
            Sent.Add(values.ToArray());
            if (peer is null) return;
            var other = peer[_calls++];
            Assert.Equal(other.Length, values.Length);
            for (int i = 0; i < values.Length; i++) values[i] += other[i];
        }

        public void Broadcast(Span<float> values, int root) => throw new NotSupportedException();
    }
}
