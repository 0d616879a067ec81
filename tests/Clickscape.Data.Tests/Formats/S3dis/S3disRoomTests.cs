using Clickscape.Data.Classes;
using Clickscape.Data.Formats.S3dis;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Formats.S3dis;

public class S3disRoomTests
{
    [Fact]
    public void Room_ClassesFromFileNames_UnknownIsClutter_InstancePerFile()
    {
        var room = Path.Combine(TestScenes.TempDir(), "office_1");
        var ann = Path.Combine(room, "Annotations");
        Directory.CreateDirectory(ann);
        File.WriteAllText(Path.Combine(ann, "chair_1.txt"), "1 2 3 10 20 30\n1.5 2 3 11 21 31\n");
        File.WriteAllText(Path.Combine(ann, "chair_2.txt"), "4 5 6 0 0 0\n");
        File.WriteAllText(Path.Combine(ann, "stairs_1.txt"), "7 8 9 1 1 1\n");
        // The Area_5/hallway_6 kind of corruption: a stray control byte inside a number.
        File.WriteAllBytes(Path.Combine(ann, "ceiling_1.txt"), [.. "0 0 1"u8, 0x10, .. "0 5 5 5\n"u8]);
        var scene = S3disRoom.Load(room);
        Assert.Equal("office_1", scene.Name);
        Assert.Equal(5, scene.PointCount);
        int chair = ClassTables.S3dis.FindByName("chair")!.Id, clutter = ClassTables.S3dis.FindByName("clutter")!.Id, ceiling = ClassTables.S3dis.FindByName("ceiling")!.Id;
        Assert.Equal(new[] { ceiling, chair, chair, chair, clutter }, scene.SemanticLabels);
        Assert.Equal(new[] { 1, 2, 2, 3, 4 }, scene.InstanceIds);
        Assert.Equal(10f, scene.Positions[2]);
        Assert.Equal(new byte[] { 10, 20, 30 }, scene.Colors![3..6]);
    }

    [Fact]
    public void SaveThenLoad_KeepsPointsClassesAndInstancePartition()
    {
        var scene = TestScenes.Random(21, 300, faces: false, maxLabel: 13, maxInstance: 6);
        for (int i = 0; i < 300; i++) scene.SemanticLabels![i] = 1 + scene.InstanceIds![i] % 13 + (scene.InstanceIds[i] == 0 ? i % 3 : 0);
        var room = Path.Combine(TestScenes.TempDir(), "room");
        S3disRoom.Save(room, scene);
        var back = S3disRoom.Load(room);
        Assert.Equal(300, back.PointCount);
        // Files regroup the points: compare as a multiset of (xyz, rgb, label) and as partitions.
        string Key(Scene s, int i) => $"{s.Positions[3 * i]:R} {s.Positions[3 * i + 1]:R} {s.Positions[3 * i + 2]:R} {s.Colors![3 * i]} {s.SemanticLabels![i]}";
        Assert.Equal(Enumerable.Range(0, 300).Select(i => Key(scene, i)).Order(), Enumerable.Range(0, 300).Select(i => Key(back, i)).Order());
        var instances = scene.InstanceIds!;
        Assert.Equal(instances.Where(k => k != 0).Distinct().Count() + scene.SemanticLabels!.Where((_, i) => instances[i] == 0).Distinct().Count(), back.InstanceIds!.Distinct().Count());
    }

    [Fact]
    public void MissingAnnotations_Throws()
    {
        var room = TestScenes.TempDir();
        Assert.Contains("Annotations", Assert.Throws<DataFormatException>(() => S3disRoom.Load(room)).Message, StringComparison.Ordinal);
    }
}
