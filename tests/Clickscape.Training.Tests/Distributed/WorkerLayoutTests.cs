using Clickscape.Data.Datasets;
using Clickscape.Tensors.Serialization;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Distributed;
using Clickscape.Training.Engine;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Distributed;

public sealed class WorkerLayoutTests : TempFolder
{
    [Theory]
    [InlineData(4, 2)]
    [InlineData(5, 2)]
    [InlineData(1, 3)]
    [InlineData(7, 4)]
    public void Slices_PartitionTheBatch_ContiguousLargerFirst(int samples, int workers)
    {
        var slices = Enumerable.Range(0, workers).Select(w => WorkerLayout.Slice(samples, workers, w)).ToList();
        Assert.Equal(0, slices[0].Start);
        for (int w = 1; w < workers; w++) Assert.Equal(slices[w - 1].Start + slices[w - 1].Count, slices[w].Start);
        Assert.Equal(samples, slices.Sum(s => s.Count));
        Assert.True(slices.Max(s => s.Count) - slices.Min(s => s.Count) <= 1);
        Assert.Equal(slices.Select(s => s.Count).OrderDescending(), slices.Select(s => s.Count));
        Assert.True(slices[0].Count > 0, "worker 0 (rank 0) always has a sample");
    }

    [Fact]
    public void RankSlices_AreTheWorkersOfThatRank()
    {
        var layout = new WorkerLayout(1, 2, 2); // workers 2 and 3 of 4
        Assert.Equal([(4, 2), (6, 1)], layout.Slices(7));
    }

    [Fact]
    public void ShardedBatches_HoldTheSamplesOfTheWholeBatch_AugmentedAlike()
    {
        var dataset = SceneDataset.Open(TinyDataset.Create(Path.Combine(Dir, "data"), 5, points: 1500, splits: false));
        var cache = new SceneCache(Path.Combine(Dir, "cache"));
        var data = new DataConfig { VoxelSize = 0.1f, BatchSize = 3, CropPoints = 1000 };
        var loader = new BatchLoader(dataset.Scenes, s => cache.Get(s, null, 0.1f, requireLabels: true), data, Clickscape.Data.Classes.ScanNetBenchmark.Semantic20Ids);
        var order = loader.Order(7);
        for (int b = 0; b < loader.BatchesPerEpoch; b++)
        {
            var whole = loader.Build(0, 7, b, order);
            var parts = Enumerable.Range(0, 2).SelectMany(rank => loader.Build(0, 7, b, order, new WorkerLayout(rank, 2, 1)).Parts).ToList();
            Assert.Equal(whole.Samples.Select(s => s.Name), parts.SelectMany(p => p.Samples).Select(s => s.Name));
            Assert.Equal(whole.Samples.SelectMany(s => s.Features), parts.SelectMany(p => p.Samples).SelectMany(s => s.Features));
            Assert.Equal(whole.Samples.Count, loader.Build(0, 7, b, order, new WorkerLayout(1, 2, 1)).Scenes);
        }
        // the last batch has 2 scenes: one each; the first has 3: rank 0 takes 2
        Assert.Equal(2, loader.Build(0, 7, 0, order, new WorkerLayout(0, 2, 1)).Parts.Single().Samples.Count);
        var sharded = loader.Epoch(0, 7, 0, new WorkerLayout(1, 2, 1)).ToList();
        Assert.Equal([1, 1], sharded.Select(s => s.Parts.Single().Samples.Count));
    }

    /// <summary>
    /// Batches of one scene over two micro-batches: the second worker is always empty, so the run goes through the
    /// data-parallel path (gradients copied, summed, divided by the one contributing worker) and must end with the
    /// plain run's weights bit for bit.
    /// </summary>
    [Fact]
    public void MicroBatchesWithAnEmptyWorker_EqualThePlainRun()
    {
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 6);
        var config = TinyDataset.Config(epochs: 1).With("data.batch_size", 1);
        var plain = new Trainer().Run(config, new TrainingRequest { Data = data, Run = Path.Combine(Dir, "plain") });
        var micro = new Trainer().Run(config.With("train.micro_batches", 2), new TrainingRequest { Data = data, Run = Path.Combine(Dir, "micro") });
        Assert.Equal(4, micro.State.Step);
        Assert.Equal(plain.Losses, micro.Losses);
        var a = SafeTensors.Load(Path.Combine(Dir, "plain", "checkpoints", "last.safetensors"));
        var b = SafeTensors.Load(Path.Combine(Dir, "micro", "checkpoints", "last.safetensors"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, t) in a) Assert.True(t.Data.SequenceEqual(b[name].Data), $"tensor '{name}' differs");
    }

    [Fact]
    public void MicroBatches_BelowOne_IsAConfigError()
    {
        var e = Assert.Throws<ConfigException>(() => TinyDataset.Config().With("train.micro_batches", 0));
        Assert.Contains("train.micro_batches 0: expected ≥ 1", e.Message, StringComparison.Ordinal);
    }
}
