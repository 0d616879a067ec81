using Clickscape.Data.Datasets;
using Clickscape.Data.Formats;
using Clickscape.Data.Formats.Jpeg;
using Clickscape.Data.Formats.Png;
using Clickscape.Data.IO;
using Clickscape.Testing;
using Xunit.Abstractions;

namespace Clickscape.Data.Tests.Formats.Jpeg;

public sealed class JpegDecoderTests(ITestOutputHelper output)
{
    /// <summary>
    /// The three VOC photos decode to the sizes annotations.json records, as natural images: horizontally adjacent
    /// pixels differ far less than pixels 97 columns apart (a decoder that scrambled blocks or channels, or returned
    /// noise, loses that correlation), every channel spans a wide range, and the channels are not copies of one another.
    /// </summary>
    [SkippableFact]
    public void RealSample_DecodesToTheAnnotatedSizesAsNaturalImages()
    {
        var folder = RealData.Locate("coco/labelme_voc2011", output);
        var dataset = ImageDataset.Open(folder);
        Assert.Equal(3, dataset.Split(ImageDataset.AllSplit).Count);
        foreach (var image in dataset.Split(ImageDataset.AllSplit))
        {
            var rgb = dataset.LoadRgb(image);
            Assert.Equal((image.Width, image.Height, 3), (rgb.Width, rgb.Height, rgb.Channels));
            double near = 0, far = 0;
            int pairs = 0;
            for (int y = 0; y < rgb.Height; y += 3)
                for (int x = 0; x + 97 < rgb.Width; x += 3)
                {
                    near += Math.Abs(rgb[x, y, 1] - rgb[x + 1, y, 1]);
                    far += Math.Abs(rgb[x, y, 1] - rgb[x + 97, y, 1]);
                    pairs++;
                }
            output.WriteLine($"{image.FileName}: mean |Δ| neighbours {near / pairs:F1}, 97 px apart {far / pairs:F1}");
            Assert.True(near * 3 < far, $"{image.FileName}: neighbouring pixels differ by {near / pairs:F1} on average, 97 px apart by {far / pairs:F1}");
            for (int c = 0; c < 3; c++)
            {
                var values = Enumerable.Range(0, rgb.Width * rgb.Height).Select(p => rgb.Pixels[p * 3 + c]).ToArray();
                Assert.True(values.Max() - values.Min() > 150, $"{image.FileName} channel {c} spans only {values.Min()}..{values.Max()}");
            }
            int differentRg = Enumerable.Range(0, rgb.Width * rgb.Height).Count(p => rgb.Pixels[p * 3] != rgb.Pixels[p * 3 + 1]);
            Assert.True(differentRg > rgb.Width * rgb.Height / 2, $"{image.FileName}: red equals green at most pixels (colour lost)");
        }
    }

    [SkippableFact]
    public void RealSample_TruncatedFileIsAOneLineDataError()
    {
        var folder = RealData.Locate("coco/labelme_voc2011", output);
        var bytes = File.ReadAllBytes(Path.Combine(folder, "JPEGImages", "2011_000003.jpg"));
        var e = Assert.Throws<DataFormatException>(() => JpegDecoder.Decode(bytes[..200], "cut.jpg"));
        output.WriteLine(e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void NotAJpegIsRejectedByItsSignature()
    {
        var e = Assert.Throws<DataFormatException>(() => JpegDecoder.Decode([0x89, (byte)'P', (byte)'N', (byte)'G', 0, 0], "x.jpg"));
        Assert.Contains("SOI", e.Message);
    }

    [Fact]
    public void RasterFile_ReadsPngByItsSignatureWhateverTheExtension()
    {
        var dir = Directory.CreateTempSubdirectory("raster");
        try
        {
            var grey = new PngImage(5, 4, 1);
            for (int i = 0; i < grey.Pixels.Length; i++) grey.Pixels[i] = (byte)(i * 10);
            var path = Path.Combine(dir.FullName, "looks-like.jpg");
            PngEncoder.Save(path, grey);
            var rgb = RasterFile.LoadRgb(path);
            Assert.Equal(3, rgb.Channels);
            for (int i = 0; i < 20; i++) Assert.Equal([(byte)(i * 10), (byte)(i * 10), (byte)(i * 10)], rgb.Pixels[(i * 3)..(i * 3 + 3)]);
            File.WriteAllBytes(path, [1, 2, 3, 4]);
            Assert.Throws<DataFormatException>(() => RasterFile.LoadRgb(path));
        }
        finally
        {
            dir.Delete(true);
        }
    }
}
