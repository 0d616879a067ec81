using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;
using Clickscape.Testing;
using Xunit.Abstractions;

namespace Clickscape.Data.Tests.Formats.PartNet;

/// <summary>
/// PartNet's benchmark levels on the release layout (<see cref="PartNetRelease"/>): the level files per category, each
/// point's label from its leaf's merged node checked against a path-prefix reference, missing levels, split files, the
/// stats folder found from the root, <c>data/</c> or a shape folder, and malformed lines.
/// </summary>
public sealed class PartNetBenchmarkTests(ITestOutputHelper output)
{
    [Fact]
    public void Load_GivesEachCategoryItsLevelFiles_InLineOrder()
    {
        var root = TestScenes.TempDir();
        PartNetRelease.Write(root);
        var benchmark = PartNetBenchmark.LoadStats(PartNetBenchmark.LocateStats(root))!;
        Assert.Equal(["Chair", "Lamp"], benchmark.Categories.Keys.Order(StringComparer.Ordinal)); // Chair.txt, Chair-hier.txt are not level files
        var chair = benchmark.For("Chair")!;
        Assert.Equal([1, 3], chair.Levels.Keys.Order());
        Assert.Equal(3, chair.MaxLevel);
        Assert.Equal(["chair/chair_head", "chair/chair_back", "chair/chair_seat", "chair/chair_base"], chair.ClassesAt(1));
        Assert.Equal(7, chair.ClassesAt(3).Count);
        // a missing level takes the coarser level's classes, and is not a level of its own
        Assert.False(chair.Exists(2));
        Assert.Equal(1, chair.SourceLevel(2));
        Assert.Same(chair.ClassesAt(1), chair.ClassesAt(2));
        var lamp = benchmark.For("Lamp")!;
        Assert.Equal([1], lamp.Levels.Keys);
        Assert.Equal(1, lamp.SourceLevel(3));
        Assert.Null(benchmark.For("Table"));
    }

    [Fact]
    public void Labels_FollowTheLeafsMergedNode_AsAPathPrefixReferenceSays()
    {
        var root = TestScenes.TempDir();
        var shapes = PartNetRelease.Write(root);
        var benchmark = PartNetBenchmark.LoadStats(PartNetBenchmark.LocateStats(root))!;
        foreach (var shape in shapes)
        {
            var dir = Path.Combine(root, "data", shape.AnnoId);
            var loaded = PartNetShape.Load(dir);
            bool merged = shape.AnnoId == PartNetRelease.Chair;
            Assert.Equal(merged, PartNetShape.LoadMergedTree(dir) is not null);
            var category = benchmark.For(loaded.Category)!;
            var labels = PartNetLevels.Of(dir, loaded, benchmark);
            Assert.Equal([category.Exists(1), category.Exists(2), category.Exists(3)], labels.Exists);
            for (int k = 0; k < 3; k++)
            {
                var list = PartNetRelease.Lists[(loaded.Category, category.SourceLevel(k + 1))];
                var classes = category.ClassesAt(k + 1);
                // instance partition: the reference's key is the result.json ancestor that the listed merged node came from
                var refOfActual = new Dictionary<(int, int), (int, int)>();
                var actualOfRef = new Dictionary<(int, int), (int, int)>();
                int other = 0;
                for (int i = 0; i < loaded.PointCount; i++)
                {
                    int leaf = loaded.PointNodeIds[i];
                    var mergedPath = PartNetRelease.MergedPath(loaded, leaf, merged);
                    var (label, names) = PartNetRelease.Reference(mergedPath, list);
                    string? path = labels.Paths[k][i];
                    Assert.Equal(label, path is null ? 0 : classes.ToList().IndexOf(path) + 1);
                    if (label == 0)
                    {
                        Assert.Equal(Labels.NoInstance, labels.Instances[k][i]);
                        other++;
                        continue;
                    }
                    int depth = names - 1;
                    bool lifted = merged && loaded.Find(leaf)!.Depth > 3 && depth >= 3;
                    var refKey = (label, loaded.Find(leaf)!.AncestorAt(lifted ? depth + 1 : depth).Id);
                    var actualKey = (label, labels.Instances[k][i]);
                    Assert.Equal(refKey, refOfActual.GetValueOrDefault(actualKey, refKey));
                    Assert.Equal(actualKey, actualOfRef.GetValueOrDefault(refKey, actualKey));
                    refOfActual[actualKey] = refKey;
                    actualOfRef[refKey] = actualKey;
                }
                output.WriteLine($"{loaded.Category} level {k + 1}: {refOfActual.Count} instances, {other} other points");
                Assert.NotEmpty(refOfActual);
                if (loaded.Category == "Chair") Assert.True(other > 0, "the chair's arms are listed at no level 1 or level 3 line"); // (seed 2 chair has arms)
            }
            if (merged)
            {
                // the five legs under the merged path: one instance each, at level 3
                var legs = labels.Paths[2].Select((p, i) => (p, i)).Where(t => t.p == "chair/chair_base/star_leg_base/leg").Select(t => labels.Instances[2][t.i]).Distinct().Count();
                Assert.Equal(5, legs);
            }
        }
    }

    [Fact]
    public void StatsFolder_IsFoundFromTheRoot_ItsDataFolder_AndAShapeFolder()
    {
        var root = TestScenes.TempDir();
        PartNetRelease.Write(root);
        var stats = Path.Combine(root, "stats");
        Assert.Equal(stats, PartNetBenchmark.LocateStats(root));
        Assert.Equal(stats, SceneDataset.Open(root).PartNetStats);
        Assert.Equal(stats, SceneDataset.Open(Path.Combine(root, "data")).PartNetStats);
        Assert.Equal(stats, SceneDataset.Open(Path.Combine(root, "data", PartNetRelease.Chair)).PartNetStats);
        Assert.Equal(2, SceneDataset.Open(root).Scenes.Count); // stats/ holds no scenes
        // an explicit folder wins; one that is not a stats folder is an error
        var other = TestScenes.TempDir();
        Directory.CreateDirectory(Path.Combine(other, PartNetBenchmark.LabelIdsFolderName));
        Assert.Equal(other, SceneDataset.Open(root, new SceneDatasetOptions { PartNetStats = other }).PartNetStats);
        var e = Assert.Throws<DataFormatException>(() => SceneDataset.Open(root, new SceneDatasetOptions { PartNetStats = Path.Combine(root, "data") }));
        Assert.Contains("not a PartNet stats folder", e.Message, StringComparison.Ordinal);
        // generated shapes without a stats folder: no benchmark, the depth levels
        var plain = TestScenes.TempDir();
        PartNetShapeWriter.Write(Path.Combine(plain, "1"), PartNetShape.Load(Path.Combine(root, "data", PartNetRelease.Lamp)));
        Assert.Null(SceneDataset.Open(plain).PartNetStats);
        Assert.Null(SceneDataset.Open(plain).LoadPartNetBenchmark());
    }

    [Fact]
    public void Splits_AreReadFromPartNetsJsonLists()
    {
        var root = TestScenes.TempDir();
        PartNetRelease.Write(root);
        var dataset = SceneDataset.Open(root);
        Assert.True(dataset.HasSplit("val"));
        Assert.False(dataset.HasSplit("test"));
        // Chair, Lamp in file order; Table.val.json lists only shapes this copy does not hold: skipped
        Assert.Equal([PartNetRelease.Chair, PartNetRelease.Lamp], dataset.Split("val").Select(s => s.Name));
        Assert.Equal([PartNetRelease.Chair, PartNetRelease.Lamp], SceneDataset.Open(Path.Combine(root, "data")).Split("train").Select(s => s.Name));
        // a list that names some shapes the dataset holds and one it does not: an error naming the file
        var lamp = Path.Combine(root, "stats", PartNetBenchmark.SplitFolderName, "Lamp.val.json");
        File.WriteAllText(lamp, $$"""[{"model_id": "a", "anno_id": "{{PartNetRelease.Lamp}}"}, {"model_id": "b", "anno_id": "12345"}]""");
        var e = Assert.Throws<DataFormatException>(() => SceneDataset.Open(root).Split("val"));
        Assert.Contains(lamp, e.Message, StringComparison.Ordinal);
        Assert.Contains("'12345'", e.Message, StringComparison.Ordinal);
        File.WriteAllText(lamp, """{"anno_id": "1"}""");
        e = Assert.Throws<DataFormatException>(() => SceneDataset.Open(root).Split("val"));
        Assert.Contains("expected an array", e.Message, StringComparison.Ordinal);
        // splits/<name>.txt, when present, is the split
        Directory.CreateDirectory(Path.Combine(root, "splits"));
        File.WriteAllText(Path.Combine(root, "splits", "val.txt"), PartNetRelease.Lamp + "\n");
        Assert.Equal([PartNetRelease.Lamp], SceneDataset.Open(root).Split("val").Select(s => s.Name));
    }

    [Theory]
    [InlineData("1 chair/chair_back\n", 2, "2 field(s)")]
    [InlineData("1 chair/chair_back leaf extra\n", 2, "4 field(s)")]
    [InlineData("x chair/chair_back leaf\n", 2, "id 'x' is not a non-negative integer")]
    [InlineData("-3 chair/chair_back leaf\n", 2, "id '-3'")]
    [InlineData("2 chair//back leaf\n", 2, "empty name")]
    [InlineData("\n\n2 chair/chair_head leaf\n", 4, "listed again (first on line 1)")]
    public void MalformedLines_AreOneLineErrors_NamingFileAndLine(string tail, int line, string expected)
    {
        var dir = TestScenes.TempDir();
        var file = Path.Combine(dir, "Chair-level-2.txt");
        File.WriteAllText(file, "1 chair/chair_head leaf\n" + tail);
        var e = Assert.Throws<DataFormatException>(() => PartNetBenchmark.Load(dir));
        output.WriteLine(e.Message);
        Assert.StartsWith(file, e.Message, StringComparison.Ordinal);
        Assert.Contains($"line {line}:", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void AMergedNodeFromANodeResultJsonLacks_IsAnError()
    {
        var root = TestScenes.TempDir();
        PartNetRelease.Write(root);
        var dir = Path.Combine(root, "data", PartNetRelease.Chair);
        File.WriteAllText(Path.Combine(dir, PartNetShape.MergedFileName), """[{"name": "chair", "id": 0, "ori_id": 999, "objs": []}]""");
        var benchmark = PartNetBenchmark.LoadStats(Path.Combine(root, "stats"));
        var e = Assert.Throws<DataFormatException>(() => PartNetLevels.Of(dir, PartNetShape.Load(dir), benchmark));
        Assert.Contains("ori_id 999 is not a node of result.json", e.Message, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(dir, PartNetShape.MergedFileName), """[{"name": "chair", "id": 0, "ori_id": "a"}]""");
        e = Assert.Throws<DataFormatException>(() => PartNetShape.LoadMergedTree(dir));
        Assert.Contains("'ori_id' is String", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void RealBottle_LoadsItsMergedTree_AndTakesBenchmarkLevelsFromAStatsFileWrittenHere()
    {
        var dir = RealData.Locate("partnet/3763", output);
        var shape = PartNetShape.Load(dir);
        Assert.Equal("Bottle", shape.Category);
        var merged = PartNetShape.LoadMergedTree(dir)!;
        Assert.Equal(["bottle", "bottle/normal_bottle", "bottle/normal_bottle/body", "bottle/normal_bottle/neck", "bottle/normal_bottle/lid"],
            merged.SelectMany(r => r.Descendants()).Select(n => n.Path));
        Assert.Equal([0, 1, 5, 6, 7], merged.SelectMany(r => r.Descendants()).Select(n => n.OriginalId!.Value));

        var stats = Path.Combine(TestScenes.TempDir(), PartNetBenchmark.LabelIdsFolderName);
        Directory.CreateDirectory(stats);
        File.WriteAllText(Path.Combine(stats, "Bottle-level-1.txt"), "1 bottle/normal_bottle subcomponents\n2 bottle/jug subcomponents\n");
        File.WriteAllText(Path.Combine(stats, "Bottle-level-3.txt"),
            "3 bottle/normal_bottle/body leaf\n4 bottle/normal_bottle/closure leaf\n5 bottle/normal_bottle/lid leaf\n7 bottle/normal_bottle/neck leaf\n10 bottle/jug/body leaf\n");
        var benchmark = PartNetBenchmark.Load(stats);
        var labels = PartNetLevels.Of(dir, shape, benchmark);
        Assert.Equal([true, false, true], labels.Exists);
        Assert.All(labels.Paths[0], p => Assert.Equal("bottle/normal_bottle", p));
        Assert.Equal(labels.Paths[0], labels.Paths[1]); // level 2 is a copy of level 1
        // level 3: result.json leaves 5 body, 6 neck, 7 lid (label-10000.txt) → merged nodes 2, 3, 4
        var expected = new Dictionary<int, (string Path, int Instance)> { [5] = ("bottle/normal_bottle/body", 2), [6] = ("bottle/normal_bottle/neck", 3), [7] = ("bottle/normal_bottle/lid", 4) };
        for (int i = 0; i < shape.PointCount; i++)
        {
            var (path, instance) = expected[shape.PointNodeIds[i]];
            Assert.Equal(path, labels.Paths[2][i]);
            Assert.Equal(instance, labels.Instances[2][i]);
        }
        // without stats the shape keeps its depth levels
        Assert.Equal(PartNetLevels.Labels(shape).Paths, PartNetLevels.Of(dir, shape, null).Paths);
    }
}
