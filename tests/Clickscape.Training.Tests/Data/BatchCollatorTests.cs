using Clickscape.Data.Classes;
using Clickscape.Geometry.Scenes;
using Clickscape.Training.Data;

namespace Clickscape.Training.Tests.Data;

public sealed class BatchCollatorTests
{
    private static TrainingSample Sample(string name, float[] positions, int[] semantic, int[] instance)
    {
        int n = semantic.Length;
        var features = new float[6 * n];
        for (int i = 0; i < n; i++) positions.AsSpan(3 * i, 3).CopyTo(features.AsSpan(6 * i + 3, 3));
        return new TrainingSample(name, Enumerable.Range(0, n).ToArray(), positions, features, positions, semantic, instance);
    }

    [Fact]
    public void SamplesGetTheirIndexAsBatchCoordinate_AndTargetsPerVoxel()
    {
        // sample 0: two chair points in one voxel and one table point in another; sample 1: one wall point
        var a = Sample("a", [0.01f, 0.01f, 0.01f, 0.03f, 0.01f, 0.01f, 0.25f, 0.05f, 0.05f], [5, 5, 7], [1, 1, 2]);
        var b = Sample("b", [0.5f, 0.5f, 0.5f], [1], [0]);
        var batch = BatchCollator.Collate([a, b], 0.1f, ScanNetBenchmark.Semantic20Ids);
        Assert.Equal(3, batch.VoxelCount);
        Assert.Equal([0, 0, 1], Enumerable.Range(0, 3).Select(v => batch.Coords[v].Batch));
        Assert.Equal([0, 3, 4], batch.PointStart);
        Assert.Equal(batch.PointToVoxel[0], batch.PointToVoxel[1]);

        int chair = ScanNetBenchmark.Semantic20Ids.ToList().IndexOf(5), table = ScanNetBenchmark.Semantic20Ids.ToList().IndexOf(7), wall = 0;
        int vChair = batch.PointToVoxel[0], vTable = batch.PointToVoxel[2], vWall = batch.PointToVoxel[3];
        Assert.Equal(chair, batch.Semantic[vChair]);
        Assert.Equal(table, batch.Semantic[vTable]);
        Assert.Equal(wall, batch.Semantic[vWall]);
        Assert.Equal(Labels.Ignore, batch.Instance[vWall]);
        Assert.NotEqual(batch.Instance[vChair], batch.Instance[vTable]);

        // the chair's centroid is the mean of its two points, which is also the voxel's mean point: offset 0
        Assert.Equal(0f, batch.Offset[3 * vChair], 6);
        // voxel features are the means of the points' features
        Assert.Equal(0.02f, batch.Features[6 * vChair + 3], 6);
        Assert.Equal(0.5f, batch.Features[6 * vWall + 5], 6);
    }

    [Fact]
    public void Offsets_PointFromTheVoxelToItsInstanceCentroid()
    {
        var s = Sample("s", [0.05f, 0.05f, 0.05f, 0.35f, 0.05f, 0.05f, 0.65f, 0.05f, 0.05f], [5, 5, 5], [1, 1, 1]);
        var batch = BatchCollator.Collate([s], 0.1f, ScanNetBenchmark.Semantic20Ids);
        for (int i = 0; i < 3; i++)
        {
            int v = batch.PointToVoxel[i];
            Assert.Equal(0.35f - s.OffsetPositions[3 * i], batch.Offset[3 * v], 5);
            Assert.Equal(0f, batch.Offset[3 * v + 1], 6);
        }
    }

    [Fact]
    public void UnlabelledPoints_AreIgnored_UnlessAVoxelHasLabelledOnes()
    {
        var s = Sample("s", [0.01f, 0.01f, 0.01f, 0.02f, 0.01f, 0.01f, 0.03f, 0.01f, 0.01f, 0.5f, 0.5f, 0.5f], [0, 0, 5, 0], [0, 0, 0, 0]);
        var batch = BatchCollator.Collate([s], 0.1f, ScanNetBenchmark.Semantic20Ids);
        Assert.Equal(ScanNetBenchmark.Semantic20Ids.ToList().IndexOf(5), batch.Semantic[batch.PointToVoxel[0]]);
        Assert.Equal(Labels.Ignore, batch.Semantic[batch.PointToVoxel[3]]);
    }
}
