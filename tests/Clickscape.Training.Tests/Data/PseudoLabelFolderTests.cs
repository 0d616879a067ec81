using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Training.Data;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Data;

public sealed class PseudoLabelFolderTests : TempFolder
{
    [Fact]
    public void ReadsSemanticIdsAndMasks_MoreConfidentMaskWinsOverlaps()
    {
        var root = Path.Combine(Dir, "labels");
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(root, "semantic", "s.txt"), [1, 5, 5, 7, 7, 0]);
        ScanNetEvaluationFiles.WriteInstancePredictions(Path.Combine(root, "instance"), "s", 6,
        [
            new ScanNetPredictedMask([1, 2, 3], 5, 0.4),
            new ScanNetPredictedMask([3, 4], 7, 0.9),
            new ScanNetPredictedMask([0], 1, 0.99), // wall: not an instance class
        ]);
        var folder = new PseudoLabelFolder(root);
        var (semantic, instance) = folder.Read("s", 6);
        Assert.Equal([1, 5, 5, 7, 7, 0], semantic);
        Assert.Equal([0, 2, 2, 1, 1, 0], instance);
    }

    [Fact]
    public void MissingSceneOrWrongLength_AreErrorsNamingTheFile()
    {
        var root = Path.Combine(Dir, "labels");
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(root, "semantic", "s.txt"), [1, 5]);
        ScanNetEvaluationFiles.WriteInstancePredictions(Path.Combine(root, "instance"), "s", 2, []);
        var folder = new PseudoLabelFolder(root);
        Assert.Contains("'t'", Assert.Throws<DataFormatException>(() => folder.Files("t")).Message, StringComparison.Ordinal);
        Assert.Contains("3 vertices", Assert.Throws<DataFormatException>(() => folder.Read("s", 3)).Message, StringComparison.Ordinal);
        Assert.Throws<DataFormatException>(() => new PseudoLabelFolder(Path.Combine(Dir, "nothing")));
    }
}
