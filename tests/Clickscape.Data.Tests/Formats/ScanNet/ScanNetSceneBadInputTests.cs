using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;

namespace Clickscape.Data.Tests.Formats.ScanNet;

public class ScanNetSceneBadInputTests
{
    /// <summary>Attack: a folder where the labels file should be was taken as "no labels" in silence.</summary>
    [Fact]
    public void LabelsFileThatIsAFolder_IsAnError()
    {
        var scans = TestScenes.TempDir();
        var scene = TestScenes.Random(2, 20);
        ScanNetSceneWriter.Write(scans, "scene0002_00", scene, Enumerable.Range(0, 20).Select(i => i / 4).ToArray());
        var dir = Path.Combine(scans, "scene0002_00");
        var labels = Path.Combine(dir, ScanNetSceneWriter.LabelsFileName("scene0002_00"));
        File.Delete(labels);
        Directory.CreateDirectory(labels);
        var e = Assert.Throws<DataFormatException>(() => ScanNetScene.Load(dir));
        Assert.Contains("is a folder, expected a file", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Attack: objectId int.MaxValue overflowed objectId + 1 into a negative instance id.</summary>
    [Fact]
    public void ObjectIdWithoutRoomForPlusOne_IsAnError()
    {
        var path = Path.Combine(TestScenes.TempDir(), "a.aggregation.json");
        File.WriteAllText(path, """{"segGroups":[{"objectId":2147483647,"segments":[1],"label":"chair"}]}""");
        Assert.Contains("objectId 2147483647", Assert.Throws<DataFormatException>(() => AggregationFile.Read(path)).Message, StringComparison.Ordinal);
    }
}

public class ScanNetLabelMapBadInputTests
{
    /// <summary>A raw category listed twice with different ids kept the first in silence.</summary>
    [Fact]
    public void ConflictingDuplicateCategory_IsAnError_SameIdTwiceIsFine()
    {
        var tsv = Path.Combine(TestScenes.TempDir(), "labels.tsv");
        File.WriteAllText(tsv, "id\traw_category\tnyu40id\n1\tchair\t5\n2\tchair\t5\n");
        Assert.Equal(5, ScanNetLabelMap.Load(tsv).ToNyu40("chair"));
        File.WriteAllText(tsv, "id\traw_category\tnyu40id\n1\tchair\t5\n2\tchair\t7\n");
        var e = Assert.Throws<DataFormatException>(() => ScanNetLabelMap.Load(tsv));
        Assert.Contains("line 3: raw_category 'chair' maps to nyu40id 7", e.Message, StringComparison.Ordinal);
    }
}
