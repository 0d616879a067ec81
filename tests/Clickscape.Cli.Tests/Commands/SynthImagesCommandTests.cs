using Clickscape.Cli;
using Clickscape.Data.Formats.Coco;
using Clickscape.Data.Formats.Png;

namespace Clickscape.Cli.Tests.Commands;

public sealed class SynthImagesCommandTests : CommandTest
{
    [Fact]
    public void WritesPngsAndCocoJson_DeterministicForASeed()
    {
        var a = Path.Combine(Dir, "a");
        var b = Path.Combine(Dir, "b");
        var (code, output, error) = Run("synth", "images", "--count", "3", "--out", a, "--seed", "9", "--size", "80", "60");
        Assert.True(code == 0, error);
        Assert.Contains("3 images", output, StringComparison.Ordinal);
        Assert.Equal(0, Run("synth", "images", "--count", "3", "--out", b, "--seed", "9", "--size", "80", "60").Code);

        var d = CocoJson.Load(Path.Combine(a, "annotations.json"));
        Assert.Equal(3, d.Images.Count);
        Assert.NotEmpty(d.Annotations);
        foreach (var image in d.Images)
        {
            var png = PngDecoder.Load(Path.Combine(a, image.FileName));
            Assert.Equal((80, 60), (png.Width, png.Height));
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, image.FileName)), File.ReadAllBytes(Path.Combine(b, image.FileName)));
        }
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "annotations.json")), File.ReadAllBytes(Path.Combine(b, "annotations.json")));
    }

    [Theory]
    [InlineData("--count", "0")]
    [InlineData("--size", "8", "8")]
    public void BadArguments_OneLineError(params string[] extra)
    {
        var (code, _, error) = Run(["synth", "images", "--out", Path.Combine(Dir, "x"), .. extra]);
        Assert.Equal(1, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
    }
}
