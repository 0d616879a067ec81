using Clickscape.Data.Classes;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Formats.ScanNet;

namespace Clickscape.Cli.Tests.Commands;

public sealed class SynthCommandTests : CommandTest
{
    [Fact]
    public void ScenesAreWrittenInTheScanNetLayoutAndReadBack()
    {
        var (code, output, error) = Run("synth", "scenes", "--count", "2", "--out", Dir, "--size", "small", "--seed", "3");
        Assert.True(code == 0, error);
        Assert.Contains("scene0000_00", output);
        Assert.Equal(["scene0000_00"], ScanNetSplits.Read(ScanNetSplits.PathOf(Dir, "train")));
        Assert.Equal(["scene0001_00"], ScanNetSplits.Read(ScanNetSplits.PathOf(Dir, "val")));
        foreach (var id in new[] { "scene0000_00", "scene0001_00" })
        {
            var sceneDir = Path.Combine(Dir, "scans", id);
            Assert.True(File.Exists(Path.Combine(sceneDir, $"{id}_vh_clean_2.ply")));
            Assert.True(File.Exists(Path.Combine(sceneDir, $"{id}_vh_clean_2.0.010000.segs.json")));
            Assert.True(File.Exists(Path.Combine(sceneDir, $"{id}.aggregation.json")));
            Assert.True(File.Exists(Path.Combine(sceneDir, $"{id}_vh_clean_2.labels.ply")));
            var scene = ScanNetScene.Load(sceneDir);
            Assert.Null(scene.Validate());
            Assert.InRange(scene.PointCount, 20_000, 40_000);
            // The reader rebuilds instances from segments + aggregation: each instance has one class, walls and
            // the floor are instances too, and there are many instances.
            var classOf = new Dictionary<int, int>();
            for (int v = 0; v < scene.PointCount; v++)
            {
                int inst = scene.InstanceIds![v];
                if (inst == 0)
                {
                    Assert.Equal(0, scene.SemanticLabels![v]); // unannotated clutter
                    continue;
                }
                if (classOf.TryGetValue(inst, out int c)) Assert.Equal(c, scene.SemanticLabels![v]);
                else classOf[inst] = scene.SemanticLabels![v];
            }
            Assert.Contains(1, classOf.Values);
            Assert.Contains(2, classOf.Values);
            Assert.True(classOf.Values.Count(ScanNetBenchmark.IsInstanceClass) >= 4);
        }
    }

    [Fact]
    public void SameSeedWritesTheSameBytes()
    {
        var a = Path.Combine(Dir, "a");
        var b = Path.Combine(Dir, "b");
        Assert.Equal(0, Run("synth", "scenes", "--count", "1", "--out", a, "--size", "small", "--seed", "8").Code);
        Assert.Equal(0, Run("synth", "scenes", "--count", "1", "--out", b, "--size", "small", "--seed", "8").Code);
        foreach (var file in Directory.GetFiles(Path.Combine(a, "scans", "scene0000_00")))
            Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(b, "scans", "scene0000_00", Path.GetFileName(file))));
    }

    [Fact]
    public void PartsAreWrittenInThePartNetLayout()
    {
        var (code, output, error) = Run("synth", "parts", "--count", "4", "--out", Dir, "--seed", "1");
        Assert.True(code == 0, error);
        Assert.Contains("Chair", output);
        // the shapes and their splits (every fifth shape of each category in val)
        var shapes = Directory.GetDirectories(Dir).Where(d => Path.GetFileName(d) != "splits").ToArray();
        Assert.Equal(4, shapes.Length);
        Assert.Equal(["40000", "40001", "40002", "40003"], File.ReadAllLines(Path.Combine(Dir, "splits", "val.txt")));
        Assert.Empty(File.ReadAllLines(Path.Combine(Dir, "splits", "train.txt")));
        foreach (var shape in shapes)
        {
            Assert.Equal(10_000, File.ReadAllLines(Path.Combine(shape, "point_sample", "pts-10000.txt")).Length);
            Assert.Equal(10_000, File.ReadAllLines(Path.Combine(shape, "point_sample", "label-10000.txt")).Length);
            Assert.True(File.Exists(Path.Combine(shape, "result.json")));
            Assert.True(File.Exists(Path.Combine(shape, "meta.json")));
            var loaded = PartNetShape.Load(shape);
            Assert.Equal(10_000, loaded.PointCount);
            Assert.True(loaded.MaxDepth >= 2);
        }
    }

    [Theory]
    [InlineData("--count", "0")]
    [InlineData("--size", "huge")]
    public void BadArgumentsGiveOneLineErrors(string option, string value)
    {
        var (code, _, error) = Run("synth", "scenes", "--out", Dir, option, value);
        Assert.NotEqual(0, code);
        Assert.False(string.IsNullOrWhiteSpace(error));
        Assert.DoesNotContain("   at ", error);
    }
}
