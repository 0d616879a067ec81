using Clickscape.Data.Datasets;
using Clickscape.Training.Data;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Data;

public sealed class SceneCacheTests : TempFolder
{
    [Fact]
    public void SecondRead_ComesFromTheCache_AndEqualsAFreshPreparation()
    {
        var dataset = SceneDataset.Open(TinyDataset.Create(Path.Combine(Dir, "data"), 1, splits: false));
        var cache = new SceneCache(Path.Combine(Dir, "cache"));
        var first = cache.Get(dataset.Scenes[0], null, 0.1f, requireLabels: true);
        var second = cache.Get(dataset.Scenes[0], null, 0.1f, requireLabels: true);
        Assert.Equal(1, cache.Builds);
        var fresh = PreparedScene.Prepare(dataset.Scenes[0], null, 0.1f, requireLabels: true);
        foreach (var s in new[] { first, second })
        {
            Assert.Equal(fresh.Positions, s.Positions);
            Assert.Equal(fresh.Colors, s.Colors);
            Assert.Equal(fresh.Semantic, s.Semantic);
            Assert.Equal(fresh.Instance, s.Instance);
            Assert.Equal(fresh.VoxelCoords, s.VoxelCoords);
            Assert.Equal(fresh.PointToVoxel, s.PointToVoxel);
        }
    }

    [Fact]
    public void ChangedSourceFile_OrVoxelSize_OrDamagedEntry_Rebuilds()
    {
        var dataset = SceneDataset.Open(TinyDataset.Create(Path.Combine(Dir, "data"), 1, splits: false));
        var source = dataset.Scenes[0];
        var cache = new SceneCache(Path.Combine(Dir, "cache"));
        cache.Get(source, null, 0.1f, requireLabels: true);
        Assert.Equal(1, cache.Builds);

        var mesh = Directory.GetFiles(source.Path, "*_vh_clean_2.ply")[0];
        File.SetLastWriteTimeUtc(mesh, File.GetLastWriteTimeUtc(mesh).AddSeconds(5));
        cache.Get(source, null, 0.1f, requireLabels: true);
        Assert.Equal(2, cache.Builds);

        var coarse = cache.Get(source, null, 0.2f, requireLabels: true);
        Assert.Equal(3, cache.Builds);
        Assert.Equal(0.2f, coarse.VoxelSize);

        var bytes = File.ReadAllBytes(cache.PathOf(source.Name));
        File.WriteAllBytes(cache.PathOf(source.Name), bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var rebuilt = cache.Get(source, null, 0.2f, requireLabels: true);
        Assert.Equal(4, cache.Builds);
        Assert.Equal(coarse.PointToVoxel, rebuilt.PointToVoxel);
    }

    [Fact]
    public void Preparation_FollowsPointGroup()
    {
        var dataset = SceneDataset.Open(TinyDataset.Create(Path.Combine(Dir, "data"), 1, splits: false));
        var s = PreparedScene.Prepare(dataset.Scenes[0], null, 0.1f, requireLabels: true);
        for (int c = 0; c < 3; c++)
            Assert.InRange(Enumerable.Range(0, s.PointCount).Average(i => (double)s.Positions[3 * i + c]), -1e-4, 1e-4);
        Assert.All(s.Colors, v => Assert.InRange(v, -1f, 1f));
        Assert.All(s.Semantic, l => Assert.True(l == 0 || Clickscape.Data.Classes.ScanNetBenchmark.IsSemanticClass(l)));
        // walls and floors (and unlabelled points) carry no instance
        for (int i = 0; i < s.PointCount; i++)
            if (s.Instance[i] != 0) Assert.True(Clickscape.Data.Classes.ScanNetBenchmark.IsInstanceClass(s.Semantic[i]));
        Assert.Contains(s.Instance, id => id != 0);
        Assert.All(s.VoxelCoords, c => Assert.True(c >= 0));
    }

    [Fact]
    public void ScenesLabelledWithAnotherClassTable_AreRejectedForTraining_AndUnlabelledForPrediction()
    {
        var scene = new Clickscape.Geometry.Scenes.Scene("room", [0, 0, 0, 1, 1, 1])
        {
            SemanticLabels = [3, 5],
            InstanceIds = [1, 2],
            Classes = Clickscape.Data.Classes.ClassTables.S3dis,
        };
        var source = new Clickscape.Data.SceneSource("room", Path.Combine(Dir, "room"), "s3dis", () => scene);
        var e = Assert.Throws<Clickscape.Data.IO.DataFormatException>(() => PreparedScene.Prepare(source, null, 0.1f, requireLabels: true));
        Assert.Contains(Clickscape.Data.Classes.ClassTables.S3dis.Name, e.Message, StringComparison.Ordinal);
        var unlabelled = PreparedScene.Prepare(source, null, 0.1f, requireLabels: false);
        Assert.All(unlabelled.Semantic, l => Assert.Equal(0, l));
    }
}
