using Clickscape.Data.Classes;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Formats.ScanNet;

public class ScanNetSceneTests
{
    /// <summary>A room-like scene whose instances are unions of segments (blocks of 10 vertices).</summary>
    private static (Scene Scene, int[] Segments) Labelled(int seed, int n)
    {
        var scene = TestScenes.Random(seed, n);
        scene.Normals = null;
        var rng = new Random(seed);
        var segments = new int[n];
        for (int i = 0; i < n; i++) segments[i] = (i / 10) * 10;
        int segmentCount = (n + 9) / 10;
        var instanceOfSegment = Enumerable.Range(0, segmentCount).Select(_ => rng.Next(0, 6)).ToArray();
        var labelOfInstance = new[] { 0, 3, 5, 7, 39, 5 };
        for (int i = 0; i < n; i++)
        {
            int inst = instanceOfSegment[i / 10];
            scene.InstanceIds![i] = inst;
            scene.SemanticLabels![i] = inst == 0 ? rng.Next(0, 3) : labelOfInstance[inst];
        }
        return (scene, segments);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 7)]
    [InlineData(3, 1234)]
    public void WriterThenReader_RoundTripsGeometryLabelsAndInstances(int seed, int n)
    {
        var (scene, segments) = Labelled(seed, n);
        var root = TestScenes.TempDir();
        ScanNetSceneWriter.Write(Path.Combine(root, "scans"), "scene0042_00", scene, segments);
        var dir = Path.Combine(root, "scans", "scene0042_00");
        Assert.True(File.Exists(Path.Combine(dir, "scene0042_00_vh_clean_2.ply")));
        Assert.True(File.Exists(Path.Combine(dir, "scene0042_00_vh_clean_2.0.010000.segs.json")));
        Assert.True(File.Exists(Path.Combine(dir, "scene0042_00.aggregation.json")));
        Assert.True(File.Exists(Path.Combine(dir, "scene0042_00_vh_clean_2.labels.ply")));
        Assert.Equal(new[] { dir }, ScanNetScene.SceneFolders(root));

        var back = ScanNetScene.Load(dir);
        Assert.Equal("scene0042_00", back.Name);
        Assert.Equal(scene.Positions, back.Positions);
        Assert.Equal(scene.Colors, back.Colors);
        Assert.Equal(scene.Faces ?? [], back.Faces ?? []);
        Assert.Equal(scene.SemanticLabels, back.SemanticLabels);
        Assert.Equal(scene.InstanceIds, back.InstanceIds);
        Assert.Same(ClassTables.Nyu40, back.Classes);

        // The released-file flavour: alpha in the mesh, ushort label in labels.ply, palette colours.
        var labels = PlyReader.Read(Path.Combine(dir, "scene0042_00_vh_clean_2.labels.ply"));
        Assert.Equal(PlyScalarType.UInt16, labels.Element("vertex")!.Property("label")!.Type);
        Assert.NotNull(PlyReader.Read(Path.Combine(dir, "scene0042_00_vh_clean_2.ply")).Element("vertex")!.Property("alpha"));
        if (n > 0)
        {
            var labelled = PlyScene.Load(Path.Combine(dir, "scene0042_00_vh_clean_2.labels.ply"));
            var (r, g, b) = ClassTables.Nyu40Color(scene.SemanticLabels![0]);
            Assert.Equal(new[] { r, g, b }, labelled.Colors![..3]);
        }
    }

    [Fact]
    public void Aggregation_UsesMajorityInstancePerSegment_AndInstanceLabelNames()
    {
        int[] segs = [5, 5, 5, 9, 9, 12, 12, 12, 12];
        int[] inst = [1, 1, 2, 2, 2, 0, 0, 0, 1];
        int[] sem = [5, 5, 7, 7, 7, 1, 1, 1, 3];
        var groups = ScanNetSceneWriter.BuildSegGroups(segs, sem, inst);
        Assert.Equal(2, groups.Count);
        Assert.Equal((0, 0, "chair"), (groups[0].Id, groups[0].ObjectId, groups[0].Label));
        Assert.Equal(new[] { 5 }, groups[0].Segments);
        Assert.Equal((1, "table"), (groups[1].ObjectId, groups[1].Label));
        Assert.Equal(new[] { 9 }, groups[1].Segments);

        var split = ScanNetSceneWriter.SplitSegmentsByInstance(segs, inst);
        Assert.Equal(new[] { 0, 0, 2, 3, 3, 5, 5, 5, 8 }, split);
        var exact = new AggregationFile("s", ScanNetSceneWriter.BuildSegGroups(split, sem, inst), "x").InstanceIds(split);
        Assert.Equal(inst, exact);
    }

    [Fact]
    public void Aggregation_DuplicatedGroups_Scene0217Quirk_KeepsFirstHalf()
    {
        var path = Path.Combine(TestScenes.TempDir(), "scene0217_00.aggregation.json");
        File.WriteAllText(path, """
            {"sceneId":"scannet.scene0217_00","appId":"Annotator","segGroups":[
             {"id":0,"objectId":0,"segments":[1,2],"label":"chair"},
             {"id":1,"objectId":1,"segments":[3],"label":"wall"},
             {"id":0,"objectId":0,"segments":[1,2,3],"label":"chair"},
             {"id":1,"objectId":1,"segments":[4],"label":"wall"}],
             "segmentsFile":"scannet.scene0217_00_vh_clean_2.0.010000.segs.json"}
            """);
        var agg = AggregationFile.Read(path);
        Assert.Equal(2, agg.SegGroups.Count);
        Assert.Equal(new[] { 1, 1, 2, 0 }, agg.InstanceIds([1, 2, 3, 4]));
        // Attack: the dropped groups used to go without a note.
        var note = Assert.Single(agg.Notes);
        Assert.Contains("2 segGroups repeat an earlier objectId (2 of them with other segments or label)", note, StringComparison.Ordinal);
    }

    [Fact]
    public void SegmentsFile_ReadsReleasedStringParams_AndWritesSegmentatorLayout()
    {
        var dir = TestScenes.TempDir();
        var released = Path.Combine(dir, "a.segs.json");
        File.WriteAllText(released, """{"params":{"kThresh":"0.01","segMinVerts":"20","minPoints":"750"},"sceneId":"scene0000_00","segIndices":[3,3,7]}""");
        var s = SegmentsFile.Read(released);
        Assert.Equal((0.01f, 20, "scene0000_00"), (s.KThresh, s.SegMinVerts, s.SceneId));
        Assert.Equal(new[] { 3, 3, 7 }, s.SegIndices);
        var written = Path.Combine(dir, SegmentsFile.FileName("scene0000_00", 0.01f));
        Assert.EndsWith("scene0000_00_vh_clean_2.0.010000.segs.json", written, StringComparison.Ordinal);
        s.Write(written);
        Assert.Equal("""{"params":{"kThresh":0.01,"segMinVerts":20},"sceneId":"scene0000_00","segIndices":[3,3,7]}""", File.ReadAllText(written));
        Assert.Equal(s.SegIndices, SegmentsFile.Read(written).SegIndices);
    }

    [Fact]
    public void WithoutLabelsPly_SemanticsComeFromAggregationThroughTheTsvMap()
    {
        var (scene, segments) = Labelled(8, 200);
        var root = TestScenes.TempDir();
        ScanNetSceneWriter.Write(root, "scene0001_00", scene, segments);
        var dir = Path.Combine(root, "scene0001_00");
        File.Delete(Path.Combine(dir, "scene0001_00_vh_clean_2.labels.ply"));
        var tsv = Path.Combine(root, "scannetv2-labels.combined.tsv");
        File.WriteAllText(tsv, "id\traw_category\tcategory\tcount\tnyu40id\n1\tchair\tchair\t100\t5\n2\ttable\ttable\t10\t7\n");
        var back = ScanNetScene.Load(dir, ScanNetLabelMap.Load(tsv));
        for (int i = 0; i < 200; i++)
        {
            int expected = scene.InstanceIds![i] == 0 ? 0 : scene.SemanticLabels![i] is 5 or 7 ? scene.SemanticLabels[i] : 0;
            Assert.Equal(expected, back.SemanticLabels![i]);
        }
        Assert.Equal(scene.InstanceIds, back.InstanceIds);
    }

    [Fact]
    public void LabelMaps_BuiltInKnowsNyu40NamesAndScanNetSpellings_TsvNeedsColumns()
    {
        Assert.Equal(24, ScanNetLabelMap.BuiltIn.ToNyu40("refridgerator"));
        Assert.Equal(24, ScanNetLabelMap.BuiltIn.ToNyu40("Refrigerator"));
        Assert.Equal(28, ScanNetLabelMap.BuiltIn.ToNyu40("shower_curtain"));
        Assert.Equal(39, ScanNetLabelMap.BuiltIn.ToNyu40("otherfurniture"));
        Assert.Equal(0, ScanNetLabelMap.BuiltIn.ToNyu40("spaceship"));
        foreach (var c in ClassTables.Nyu40.Classes) Assert.Equal(c.Id, ScanNetLabelMap.BuiltIn.ToNyu40(c.Name));
        var tsv = Path.Combine(TestScenes.TempDir(), "t.tsv");
        File.WriteAllText(tsv, "id\tcategory\n1\tchair\n");
        Assert.Contains("raw_category and nyu40id", Assert.Throws<DataFormatException>(() => ScanNetLabelMap.Load(tsv)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MismatchedFiles_ThrowWithTheFileName()
    {
        var (scene, segments) = Labelled(5, 50);
        var root = TestScenes.TempDir();
        ScanNetSceneWriter.Write(root, "scene0002_00", scene, segments);
        var dir = Path.Combine(root, "scene0002_00");
        new SegmentsFile("scene0002_00", new int[49]).Write(Path.Combine(dir, SegmentsFile.FileName("scene0002_00")));
        var e = Assert.Throws<DataFormatException>(() => ScanNetScene.Load(dir));
        Assert.Contains("49 segment ids, the mesh has 50 vertices", e.Message, StringComparison.Ordinal);
        Assert.Contains("segs.json", e.Path, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ScanNetSceneWriter.Write(root, "scene0003_00", scene, new int[3]));
    }

    [Fact]
    public void Splits_RoundTrip_AndRejectGarbage()
    {
        var root = TestScenes.TempDir();
        var path = ScanNetSplits.PathOf(root, "train");
        ScanNetSplits.Write(path, ["scene0000_00", "scene0001_01"]);
        Assert.Equal(new[] { "scene0000_00", "scene0001_01" }, ScanNetSplits.Read(path));
        File.WriteAllText(path, "scene0000_00\n\nscene 1\n");
        Assert.Contains("line 3", Assert.Throws<DataFormatException>(() => ScanNetSplits.Read(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassTables_MatchTheScanNetPalette()
    {
        Assert.Equal(40, ClassTables.Nyu40.Classes.Count);
        Assert.Equal(((byte)174, (byte)199, (byte)232), ClassTables.Nyu40Color(1));
        Assert.Equal(((byte)82, (byte)84, (byte)163), ClassTables.Nyu40Color(39));
        Assert.Equal(((byte)0, (byte)0, (byte)0), ClassTables.Nyu40Color(0));
        Assert.Equal(ClassTables.Nyu40Color(1), ClassTables.Nyu40Color(42));
        Assert.Equal("chair", ClassTables.Nyu40.Find(5)!.Name);
        Assert.Equal(20, ScanNetBenchmark.Semantic20Ids.Count);
        Assert.Equal(18, ScanNetBenchmark.Instance18Ids.Count);
        Assert.Equal(ScanNetBenchmark.Semantic20Ids.Except([1, 2]), ScanNetBenchmark.Instance18Ids);
        Assert.Equal("otherfurniture", ScanNetBenchmark.Name(39));
        Assert.Null(ScanNetBenchmark.Name(13));
        Assert.Equal(13, ClassTables.S3dis.Classes.Count);
        Assert.Equal(new[] { 1, 0, 39, 0, 0 }, ScanNetBenchmark.ToSemantic20([1, 13, 39, 40, 0]));
    }
}
