using Clickscape.Cli;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.Png;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Cli.Tests.Commands;

public sealed class RenderCommandTests : CommandTest
{
    private string WriteScene()
    {
        var random = new Random(3);
        const int n = 2000;
        var positions = new float[3 * n];
        var colors = new byte[3 * n];
        var labels = new int[n];
        var instances = new int[n];
        for (int i = 0; i < n; i++)
        {
            positions[3 * i] = (float)random.NextDouble() * 4;
            positions[3 * i + 1] = (float)random.NextDouble() * 3;
            positions[3 * i + 2] = i % 4 == 0 ? (float)random.NextDouble() : 0;
            colors[3 * i] = (byte)(positions[3 * i] * 60);
            labels[i] = i % 4 == 0 ? 5 : 2;
            instances[i] = i % 4 == 0 ? 1 + (int)positions[3 * i] : 0;
        }
        var path = Path.Combine(Dir, "room.ply");
        PlyScene.Save(path, new Scene("room", positions) { Colors = colors, SemanticLabels = labels, InstanceIds = instances }, new PlyWriteOptions { Labels = true, Instances = true });
        return path;
    }

    [Theory]
    [InlineData("rgb", "both", 1600, 600)]
    [InlineData("semantic", "top", 320, 240)]
    [InlineData("instance", "oblique", 200, 150)]
    public void WritesAValidPng_Atomically(string color, string view, int width, int height)
    {
        var scene = WriteScene();
        var target = Path.Combine(Dir, "out", "scene.png");
        var (code, output, error) = Run("render", scene, "--out", target, "--color", color, "--view", view, "--width", width.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(code == 0, error);
        Assert.Contains("scene.png", output, StringComparison.Ordinal);
        var image = PngDecoder.Load(target);
        Assert.Equal((width, height, 3), (image.Width, image.Height, image.Channels));
        Assert.Contains(image.Pixels, b => b != 245); // something was drawn
        Assert.Equal(["scene.png"], Directory.GetFiles(Path.GetDirectoryName(target)!).Select(Path.GetFileName)); // no temp files left
    }

    [Fact]
    public void BadInput_OneLineError_NoOutputFile()
    {
        var target = Path.Combine(Dir, "bad.png");
        var broken = Path.Combine(Dir, "broken.ply");
        File.WriteAllText(broken, "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nend_header\n1\n");
        var (code, _, error) = Run("render", broken, "--out", target);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.False(File.Exists(target));

        (code, _, error) = Run("render", Path.Combine(Dir, "missing.ply"), "--out", target);
        Assert.Equal(1, code);
        Assert.False(File.Exists(target));

        (code, _, error) = Run("render", WriteScene(), "--out", target, "--width", "3");
        Assert.Equal(1, code);
        Assert.Contains("--width", error, StringComparison.Ordinal);
    }
}
