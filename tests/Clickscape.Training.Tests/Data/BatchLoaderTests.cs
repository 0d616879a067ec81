using Clickscape.Data;
using Clickscape.Data.Datasets;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Data;

public sealed class BatchLoaderTests : TempFolder
{
    private (BatchLoader Loader, IReadOnlyList<SceneSource> Scenes) Loader(int scenes, int batchSize, Func<SceneSource, PreparedScene>? prepare = null)
    {
        var dataset = SceneDataset.Open(TinyDataset.Create(Path.Combine(Dir, "data"), scenes, points: 1500, splits: false));
        var cache = new SceneCache(Path.Combine(Dir, "cache"));
        var data = new DataConfig { VoxelSize = 0.1f, BatchSize = batchSize, CropPoints = 1000 };
        prepare ??= s => cache.Get(s, null, 0.1f, requireLabels: true);
        return (new BatchLoader(dataset.Scenes, prepare, data, Clickscape.Data.Classes.ScanNetBenchmark.Semantic20Ids), dataset.Scenes);
    }

    [Fact]
    public void BackgroundEpoch_EqualsBatchesBuiltInline_AndCanStartMidway()
    {
        var (loader, scenes) = Loader(5, 2);
        Assert.Equal(3, loader.BatchesPerEpoch);
        var order = loader.Order(99);
        Assert.Equal(Enumerable.Range(0, 5), order.Order());
        var background = loader.Epoch(0, 99).ToList();
        Assert.Equal(3, background.Count);
        Assert.Equal([2, 2, 1], background.Select(b => b.Samples.Count));
        Assert.Equal(order.Select(i => scenes[i].Name), background.SelectMany(b => b.Samples.Select(s => s.Name)));
        for (int k = 0; k < 3; k++)
        {
            var inline = loader.Build(0, 99, k, order);
            Assert.Equal(inline.Coords.Coordinates.ToArray(), background[k].Coords.Coordinates.ToArray());
            Assert.Equal(inline.Features, background[k].Features);
            Assert.Equal(inline.Offset, background[k].Offset);
        }
        var tail = loader.Epoch(0, 99, startBatch: 2).Single();
        Assert.Equal(background[2].Features, tail.Features);
        Assert.NotEqual(loader.Order(99), loader.Order(100));
    }

    [Fact]
    public void LoaderThreadError_IsRethrownOnTheTrainingThread()
    {
        var (loader, _) = Loader(3, 1, s => throw new Clickscape.Data.IO.DataFormatException(s.Path, "broken on purpose"));
        var e = Assert.Throws<Clickscape.Data.IO.DataFormatException>(() => loader.Epoch(0, 1).ToList());
        Assert.Contains("broken on purpose", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AbandonedEpoch_StopsTheLoaderThread()
    {
        var (loader, _) = Loader(4, 1);
        var first = loader.Epoch(0, 5).First();
        Assert.Single(first.Samples);
    }
}
