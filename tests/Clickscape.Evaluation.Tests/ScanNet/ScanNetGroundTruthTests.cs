using Clickscape.Data.Classes;
using Clickscape.Data.IO;
using Clickscape.Evaluation.ScanNet;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Evaluation.Tests.ScanNet;

public sealed class ScanNetGroundTruthTests
{
    private static Scene Labelled(int[] labels, int[]? instances, ClassTable? classes) =>
        new("s", new float[3 * labels.Length]) { SemanticLabels = labels, InstanceIds = instances, Classes = classes };

    [Fact]
    public void Instance_ids_are_label_times_1000_plus_instance_and_0_without_an_instance()
    {
        var scene = Labelled([5, 5, 7, 1, 0, 3], [1, 1, 2, 3, 0, 0], ClassTables.Nyu40);
        Assert.Equal([5001, 5001, 7002, 1003, 0, 0], ScanNetGroundTruth.InstanceIds(scene));
        Assert.Equal([5, 5, 7, 1, 0, 3], ScanNetGroundTruth.SemanticIds(scene));
        // Scenes without a class table are taken as nyu40.
        Assert.Equal([5001, 5001, 7002, 1003, 0, 0], ScanNetGroundTruth.InstanceIds(Labelled([5, 5, 7, 1, 0, 3], [1, 1, 2, 3, 0, 0], null)));
    }

    [Fact]
    public void Rejects_scenes_the_ScanNet_formats_cannot_hold()
    {
        Assert.Throws<DataFormatException>(() => ScanNetGroundTruth.SemanticIds(Labelled([1, 2], null, ClassTables.S3dis)));
        Assert.Throws<DataFormatException>(() => ScanNetGroundTruth.SemanticIds(Labelled([1, 41], null, ClassTables.Nyu40)));
        Assert.Throws<DataFormatException>(() => ScanNetGroundTruth.InstanceIds(Labelled([1, 2], null, ClassTables.Nyu40)));
        Assert.Throws<DataFormatException>(() => ScanNetGroundTruth.InstanceIds(Labelled([1, 2], [1, 1000], ClassTables.Nyu40)));
        Assert.Throws<DataFormatException>(() => ScanNetGroundTruth.SemanticIds(new Scene("s", new float[3])));
    }
}
