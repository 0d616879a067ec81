using Clickscape.Data.Formats.Text;
using Clickscape.Data.IO;

namespace Clickscape.Data.Tests.Formats.Text;

public class TextPointCloudTests
{
    [Theory]
    [InlineData(0, false)] // an empty text file cannot say whether it had colours
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(257, true)]
    public void RoundTrip_IsBitExact(int n, bool colors)
    {
        var scene = TestScenes.Random(n + 1, n, faces: false);
        if (!colors) scene.Colors = null;
        var path = Path.Combine(TestScenes.TempDir(), colors ? "p.xyzrgb" : "p.xyz");
        TextPointCloud.Save(path, scene);
        var back = TextPointCloud.Load(path);
        Assert.Equal(scene.Positions, back.Positions);
        Assert.Equal(scene.Colors, back.Colors);
    }

    [Fact]
    public void CommentsCommasAndUnitColors()
    {
        var path = Path.Combine(TestScenes.TempDir(), "u.txt");
        File.WriteAllText(path, "# x y z r g b\n1,2,3,0.5,1,0\n\n4 5 6 0 0.25 1\n");
        var scene = TextPointCloud.Load(path);
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, scene.Positions);
        Assert.Equal(new byte[] { 128, 255, 0, 0, 64, 255 }, scene.Colors);
    }

    [Theory]
    [InlineData("1 2 3\n4 5\n", "line 2 has 2 columns")]
    [InlineData("1 2 3\n4 5 abc\n", "'abc' is not a number")]
    [InlineData("1 2\n", "expected x y z")]
    [InlineData("1 2 nan\n", "non-finite")]
    public void BadText_Throws(string text, string expected)
    {
        var path = Path.Combine(TestScenes.TempDir(), "b.xyz");
        File.WriteAllText(path, text);
        Assert.Contains(expected, Assert.Throws<DataFormatException>(() => TextPointCloud.Load(path)).Message, StringComparison.Ordinal);
    }
}
