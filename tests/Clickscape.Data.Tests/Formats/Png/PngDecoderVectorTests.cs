using Clickscape.Data.Formats.Png;

namespace Clickscape.Data.Tests.Formats.Png;

/// <summary>
/// Decodes PNG files written by other encoders: Pillow (palette 4-bit, palette with tRNS alpha, 16-bit grey,
/// 1-bit grey, grey + alpha, RGBA) and a hand-written Adam7 file with the Sub filter on every row, a tEXt
/// chunk and its zlib stream split over three IDAT chunks. Pixel values come from the formulas that generated
/// the files, so the expected images are computed here, not stored.
/// </summary>
public sealed class PngDecoderVectorTests
{
    private const int W = 13, H = 7;

    private static byte Val(int x, int y, int c) => (byte)((x * 37 + y * 71 + c * 101 + x * y * 3) % 256);

    private const string Rgba8 = "iVBORw0KGgoAAAANSUhEUgAAAA0AAAAHCAYAAADTcMcaAAAAQElEQVR4nGNkSD2lr0oiYHRfI1imQSJg7PscsVebRMB41Wo+ix6JgFGm8Zm3IYmAMfmE7iQTEgHjKv6Sm+YkAgAoS0lGoU/FQQAAAABJRU5ErkJggg==";
    private const string GreyAlpha8 = "iVBORw0KGgoAAAANSUhEUgAAAA0AAAAHCAQAAAB5eQ+RAAAAMUlEQVR4nGNkSFXFARjd12jgAIx9n7VxAMarVno4AKNMoyEOwJh8wgQHYFzFb44DAADSQiShPKAQEwAAAABJRU5ErkJggg==";
    private const string Grey16 = "iVBORw0KGgoAAAANSUhEUgAAAA0AAAAHEAAAAACmi0SFAAAAUUlEQVR4nGNkYFBlxw5Z3Bk0kGAMEpvFnUEbCsPgLG0GbYZsBsarDHrs2CGjDIMhO3bI4s5gAoVhcFYqgwmDCQOLO4M5gzmDOUMwlI6H0uYMAL19E2uyzVeIAAAAAElFTkSuQmCC";
    private const string Palette4 = "iVBORw0KGgoAAAANSUhEUgAAAA0AAAAHBAMAAAAhXtopAAAAMFBMVEUA/wAU6wco1w48wxVQrxxkmyN4hyqMczGgXzi0Sz/IN0YAAAAAAAAAAAAAAAAAAACbGsoJAAAALElEQVR4nGNgVHZN71wgwACmhAwYwJRJAAOYCitgAFMVExjA1CwGBjDFqAAAx6AQNaL/jC8AAAAASUVORK5CYII=";
    private const string Palette8Alpha = "iVBORw0KGgoAAAANSUhEUgAAAA0AAAAHBAMAAAAhXtopAAAAIVBMVEUA/wAU6wco1w48wxVQrxxkmyN4hyqMczGgXzi0Sz/IN0b9YQciAAAAC3RSTlMAFy5FXHOKobjP5tYgoE0AAAAsSURBVHicY2BUdk3vXCDAAKaEDBjAlEkAA5gKK2AAUxUTGMDULAYGMMWoAADHoBA1ov+MLwAAAABJRU5ErkJggg==";
    private const string Grey1 = "iVBORw0KGgoAAAANSUhEUgAAAA0AAAAHAQAAAAD7C/q3AAAAFklEQVR4nGOY5MGoksPgqcDi+R/OAAA0mQVn2SqWMgAAAABJRU5ErkJggg==";
    private const string Rgb8Adam7ThreeIdat = "iVBORw0KGgoAAAANSUhEUgAAAA0AAAAHCAIAAAErFWDbAAAACnRFWHRDb21tZW50AGhpoqJYZgAAACBJREFUeNpjZEg9paGhwTjlZxyIkml8dgQGGL3Wi0wBA8a6xx5QmyO1AAAAIElEQVRQsb7PEWEYgHEVf0keBmBU7XrvhQoYd8o1o+v13SSehDYynZQAAAAhSURBVAoYH7qtRjfLfY2gBhGA8arVfD0iAGPyCV0TIgAACH9a9r/vkisAAAAASUVORK5CYII=";

    private static PngImage Decode(string base64) => PngDecoder.Decode(Convert.FromBase64String(base64), "vector.png");

    [Fact]
    public void Rgba8_MatchesFormula()
    {
        var image = Decode(Rgba8);
        Assert.Equal((W, H, 4), (image.Width, image.Height, image.Channels));
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                for (int c = 0; c < 4; c++)
                    Assert.Equal(Val(x, y, c), image[x, y, c]);
    }

    [Fact]
    public void GreyAlpha8_MatchesFormula()
    {
        var image = Decode(GreyAlpha8);
        Assert.Equal(2, image.Channels);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                Assert.Equal(Val(x, y, 0), image[x, y, 0]);
                Assert.Equal(Val(x, y, 1), image[x, y, 1]);
            }
    }

    [Fact]
    public void Grey16_KeepsHighByte()
    {
        var image = Decode(Grey16);
        Assert.Equal(1, image.Channels);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                Assert.Equal(Val(x, y, 0), image[x, y, 0]);
    }

    [Fact]
    public void Grey1_ScalesToFullRange()
    {
        var image = Decode(Grey1);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                Assert.Equal((x + y) % 3 == 0 ? 255 : 0, image[x, y, 0]);
    }

    [Fact]
    public void Palette4_ExpandsToRgb()
    {
        var image = Decode(Palette4);
        Assert.Equal(3, image.Channels);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                int i = (x + 2 * y) % 11;
                Assert.Equal((i * 20, 255 - i * 20, i * 7), ((int)image[x, y, 0], (int)image[x, y, 1], (int)image[x, y, 2]));
            }
    }

    [Fact]
    public void PaletteWithTransparency_ExpandsToRgba()
    {
        var image = Decode(Palette8Alpha);
        Assert.Equal(4, image.Channels);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
            {
                int i = (x + 2 * y) % 11;
                Assert.Equal(i * 20, image[x, y, 0]);
                Assert.Equal(i * 23, image[x, y, 3]);
            }
    }

    [Fact]
    public void Adam7_SubFilter_ThreeIdatChunks()
    {
        var image = Decode(Rgb8Adam7ThreeIdat);
        Assert.Equal((W, H, 3), (image.Width, image.Height, image.Channels));
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                for (int c = 0; c < 3; c++)
                    Assert.Equal(Val(x, y, c), image[x, y, c]);
    }
}
