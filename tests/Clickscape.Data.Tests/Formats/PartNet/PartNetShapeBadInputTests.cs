using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.IO;

namespace Clickscape.Data.Tests.Formats.PartNet;

/// <summary>Attack: PartNet folders that crashed the reader or read wrong ids.</summary>
public class PartNetShapeBadInputTests
{
    private static string Shape(string resultJson, string pts, string labels)
    {
        var dir = Path.Combine(TestScenes.TempDir(), "123");
        Directory.CreateDirectory(Path.Combine(dir, "point_sample"));
        File.WriteAllText(Path.Combine(dir, "result.json"), resultJson);
        File.WriteAllText(Path.Combine(dir, "point_sample", "pts-10000.txt"), pts);
        File.WriteAllText(Path.Combine(dir, "point_sample", "label-10000.txt"), labels);
        return dir;
    }

    [Theory]
    [InlineData("""{"id":"a","name":"chair"}""", "integer 'id', found String")]
    [InlineData("""[{"id":1.5,"name":"chair"}]""", "integer 'id'")]
    [InlineData("""{"id":1,"name":"chair","children":[{"id":true}]}""", "integer 'id', found True")]
    [InlineData("[]", "the part tree is empty")]
    public void BadTrees_AreOneLineErrors(string json, string expected)
    {
        var dir = Shape(json, "", "");
        var e = Assert.Throws<DataFormatException>(() => PartNetShape.Load(dir));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyPointFiles_WithATree_LoadAsAnEmptyShape()
    {
        var shape = PartNetShape.Load(Shape("""{"id":1,"name":"chair","text":"Chair"}""", "", ""));
        Assert.Equal(0, shape.PointCount);
        Assert.Equal(0, shape.MaxDepth);
        Assert.Equal(0, shape.ToScene(shape.MaxDepth).PointCount);
    }

    /// <summary>Node ids above 2²⁴ were read through float32: 2000000001 became 2000000000, another node.</summary>
    [Fact]
    public void LargeNodeIds_AreReadExactly_AndFractionalIdsRefused()
    {
        const string tree = """{"id":2000000000,"name":"chair","children":[{"id":2000000001,"name":"leg"},{"id":2000000003,"name":"seat"}]}""";
        var shape = PartNetShape.Load(Shape(tree, "0 0 0\n1 1 1\n2 2 2\n", "2000000001\n2000000003\n2000000000\n"));
        Assert.Equal(new[] { 2000000001, 2000000003, 2000000000 }, shape.PointNodeIds);
        var scene = shape.ToScene(1);
        Assert.Equal(3, scene.InstanceIds!.Distinct().Count());
        Assert.Equal(3, scene.Classes!.Classes.Count); // the class table has the paths present, not 2·10⁹ rows

        var e = Assert.Throws<DataFormatException>(() => PartNetShape.Load(Shape(tree, "0 0 0\n", "2000000001.5\n")));
        Assert.Contains("line 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PointFileThatIsAFolder_IsAnError()
    {
        var dir = Shape("""{"id":1,"name":"chair"}""", "", "");
        File.Delete(Path.Combine(dir, "point_sample", "pts-10000.txt"));
        Directory.CreateDirectory(Path.Combine(dir, "point_sample", "pts-10000.txt"));
        Assert.Contains("is a folder", Assert.Throws<DataFormatException>(() => PartNetShape.Load(dir)).Message, StringComparison.Ordinal);
    }
}
