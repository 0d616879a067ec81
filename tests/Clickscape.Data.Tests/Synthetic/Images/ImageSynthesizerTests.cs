using Clickscape.Data.Formats.Coco;
using Clickscape.Data.Formats.Png;
using Clickscape.Data.Synthetic.Images;

namespace Clickscape.Data.Tests.Synthetic.Images;

public sealed class ImageSynthesizerTests
{
    [Fact]
    public void SameSeed_SameImageAndMasks_OtherSeed_Different()
    {
        var a = ImageSynthesizer.Generate(123, 96, 80);
        var b = ImageSynthesizer.Generate(123, 96, 80);
        Assert.Equal(a.Image.Pixels, b.Image.Pixels);
        Assert.Equal(a.Objects.Count, b.Objects.Count);
        for (int i = 0; i < a.Objects.Count; i++) Assert.Equal(a.Objects[i].VisibleMask, b.Objects[i].VisibleMask);
        Assert.NotEqual(a.Image.Pixels, ImageSynthesizer.Generate(124, 96, 80).Image.Pixels);
    }

    /// <summary>
    /// Each visible mask is recomputed from the shapes alone — covered by the object and by no object drawn
    /// after it — and must equal the generator's mask pixel for pixel; masks are disjoint and large enough.
    /// </summary>
    [Theory]
    [InlineData(1, 64, 64)]
    [InlineData(2, 97, 61)]
    [InlineData(3, 256, 256)]
    [InlineData(4, 200, 120)]
    public void VisibleMasks_AreExactlyTheUnoccludedShapePixels(int seed, int width, int height)
    {
        var generated = ImageSynthesizer.Generate(seed, width, height);
        var objects = generated.Objects;
        Assert.NotEmpty(objects);
        var covered = new int[width * height];
        for (int i = 0; i < objects.Count; i++)
        {
            int area = 0;
            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    bool visible = objects[i].Shape.Contains(x, y);
                    for (int j = i + 1; j < objects.Count && visible; j++) visible = !objects[j].Shape.Contains(x, y);
                    Assert.Equal(visible ? 1 : 0, objects[i].VisibleMask[y * width + x]);
                    if (visible)
                    {
                        area++;
                        covered[y * width + x]++;
                    }
                }
            }
            Assert.Equal(area, objects[i].VisibleArea);
            Assert.True(area >= ImageSynthesizer.MinVisibleArea);
        }
        Assert.All(covered, c => Assert.InRange(c, 0, 1));
    }

    /// <summary>The generator must produce real occlusion: across images, some objects lose part of their
    /// shape to objects in front of them.</summary>
    [Fact]
    public void Objects_OccludeEachOther()
    {
        int occluded = 0, total = 0;
        for (int seed = 0; seed < 10; seed++)
        {
            var g = ImageSynthesizer.Generate(seed, 128, 128);
            foreach (var o in g.Objects)
            {
                int full = 0;
                for (int y = 0; y < 128; y++)
                    for (int x = 0; x < 128; x++)
                        if (o.Shape.Contains(x, y)) full++;
                total++;
                if (o.VisibleArea < full) occluded++;
            }
        }
        Assert.True(occluded >= total / 5, $"only {occluded} of {total} objects are partly hidden");
    }

    /// <summary>
    /// A 20-image dataset on disk: every class appears; the JSON reads back; each RLE decodes to the generator's
    /// visible mask with matching area and box; each PNG decodes to the generated pixels.
    /// </summary>
    [Fact]
    public void Dataset_RoundTripsThroughCocoReader_AndCoversEveryClass()
    {
        var folder = Directory.CreateTempSubdirectory("clickscape-synth-images-").FullName;
        try
        {
            const int count = 20, width = 128, height = 96, seed = 5;
            ImageDatasetWriter.Write(folder, count, seed, width, height);
            var d = CocoJson.Load(Path.Combine(folder, "annotations.json"));
            Assert.Equal(count, d.Images.Count);
            Assert.Equal(8, d.Categories.Count);
            foreach (var kind in Enum.GetValues<ShapeKind>())
                Assert.Contains(d.Annotations, a => a.CategoryId == (long)kind);
            for (int i = 0; i < count; i++)
            {
                var image = d.Images[i];
                var generated = ImageSynthesizer.Generate(ImageDatasetWriter.ImageSeed(seed, i), width, height);
                Assert.Equal(generated.Image.Pixels, PngDecoder.Load(Path.Combine(folder, image.FileName)).Pixels);
                var annotations = d.Annotations.Where(a => a.ImageId == image.Id).ToList();
                Assert.Equal(generated.Objects.Count, annotations.Count);
                for (int k = 0; k < annotations.Count; k++)
                {
                    var a = annotations[k];
                    var o = generated.Objects[k];
                    Assert.Equal((long)o.Kind, a.CategoryId);
                    Assert.False(a.IsCrowd);
                    Assert.True(a.Segmentation.CompressedCounts);
                    var rle = a.Segmentation.ToRle(height, width);
                    Assert.Equal(o.VisibleMask, rle.Decode());
                    Assert.Equal(o.VisibleArea, a.Area);
                    Assert.Equal(ReferenceBox(o.VisibleMask, width, height), a.Bbox);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void TooSmallImage_IsRejected() =>
        Assert.Throws<ArgumentException>(() => ImageSynthesizer.Generate(1, 8, 8));

    /// <summary>Tight box of a mask (a crescent or ring fragment may have its pixels in separate pieces; the box
    /// spans them all, as COCO's).</summary>
    private static double[] ReferenceBox(byte[] mask, int w, int h)
    {
        int xs = w, xe = -1, ys = h, ye = -1;
        bool wraps = false;
        for (int x = 0; x < w; x++)
            for (int y = 0; y < h; y++)
            {
                if (mask[y * w + x] == 0) continue;
                (xs, xe, ys, ye) = (Math.Min(xs, x), Math.Max(xe, x), Math.Min(ys, y), Math.Max(ye, y));
                if (y == h - 1 && x + 1 < w && mask[x + 1] != 0) wraps = true; // pycocotools widens wrapping runs
            }
        return wraps ? [xs, 0, xe - xs + 1, h] : [xs, ys, xe - xs + 1, ye - ys + 1];
    }
}
