using Clickscape.Data.Formats.Coco;
using Clickscape.Data.IO;
using Clickscape.Testing;
using Xunit.Abstractions;

namespace Clickscape.Data.Tests.Formats.Coco;

public sealed class CocoJsonTests(ITestOutputHelper output)
{
    private static CocoDataset Sample()
    {
        var d = new CocoDataset();
        d.Images.Add(new CocoImage(1, "a.png", 7, 3));
        d.Images.Add(new CocoImage(42, "sub/b.png", 5, 4));
        d.Categories.Add(new CocoCategory(3, "ball", "shape"));
        d.Categories.Add(new CocoCategory(9, "box", ""));
        var mask = new byte[4 * 5];
        mask[6] = mask[7] = mask[11] = 1;
        var rle = MaskRle.Encode(mask, 4, 5);
        d.Annotations.Add(new CocoAnnotation(10, 1, 3, CocoSegmentation.FromPolygons([[0.5, 0.25, 3.125, 0.1, 2.2, 2.9], [5, 1, 6.999, 1, 6, 2]]), 6.5, [0.1, 0.25, 6.899, 2.8], false));
        d.Annotations.Add(new CocoAnnotation(11, 42, 9, CocoSegmentation.FromRle(rle, compressed: true), rle.Area(), rle.BoundingBox(), false));
        d.Annotations.Add(new CocoAnnotation(12, 42, 3, CocoSegmentation.FromRle(rle, compressed: false), rle.Area(), rle.BoundingBox(), true));
        return d;
    }

    [Fact]
    public void WriteRead_RoundTripsExactly()
    {
        var path = Path.Combine(Path.GetTempPath(), $"clickscape-coco-{Guid.NewGuid():N}.json");
        try
        {
            var d = Sample();
            CocoJson.Save(path, d);
            var back = CocoJson.Load(path);
            Assert.Equal(d.Images, back.Images);
            Assert.Equal(d.Categories, back.Categories);
            Assert.Equal(d.Annotations.Count, back.Annotations.Count);
            for (int i = 0; i < d.Annotations.Count; i++)
            {
                var a = d.Annotations[i];
                var b = back.Annotations[i];
                Assert.Equal((a.Id, a.ImageId, a.CategoryId, a.Area, a.IsCrowd), (b.Id, b.ImageId, b.CategoryId, b.Area, b.IsCrowd));
                Assert.Equal(a.Bbox, b.Bbox);
                Assert.Equal(a.Segmentation.CompressedCounts, b.Segmentation.CompressedCounts);
                Assert.Equal(a.Segmentation.Rle, b.Segmentation.Rle);
                if (a.Segmentation.Polygons is { } polygons)
                {
                    Assert.Equal(polygons.Count, b.Segmentation.Polygons!.Count);
                    for (int p = 0; p < polygons.Count; p++) Assert.Equal(polygons[p], b.Segmentation.Polygons[p]);
                }
            }
            // and writing what was read gives the same bytes
            var again = path + ".2";
            CocoJson.Save(again, back);
            Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(again));
            File.Delete(again);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MissingAreaAndBbox_AreComputedFromTheMask()
    {
        const string json = """
            {"images":[{"id":1,"file_name":"x.png","width":4,"height":3}],
             "categories":[{"id":1,"name":"a"}],
             "annotations":[{"id":1,"image_id":1,"category_id":1,"segmentation":{"size":[3,4],"counts":[4,2,1,2,3]}}]}
            """;
        var a = CocoJson.Parse(json, "inline.json").Annotations[0];
        Assert.Equal(4, a.Area);
        Assert.True(a.AreaFromMask);
        Assert.Equal(new double[] { 1, 1, 2, 2 }, a.Bbox);
        Assert.False(a.IsCrowd);
    }

    /// <summary>Evaluation ground truth often has no file_name (pycocotools does not need it); a segmentation
    /// list whose first entry has 4 numbers is a box list, as pycocotools' frPyObjects reads it.</summary>
    [Fact]
    public void NoFileName_AndBoxListSegmentation_AreRead()
    {
        const string json = """
            {"images":[{"id":1,"width":10,"height":10}],
             "categories":[{"id":1,"name":"a"}],
             "annotations":[{"id":1,"image_id":1,"category_id":1,"area":16,"segmentation":[[1,1,4,4]]}]}
            """;
        var d = CocoJson.Parse(json, "inline.json");
        Assert.Equal("", d.Images[0].FileName);
        var a = d.Annotations[0];
        Assert.False(a.AreaFromMask);
        Assert.Equal(16, a.Segmentation.ToRle(10, 10).Area());
        Assert.Equal(new double[] { 1, 1, 4, 4 }, a.Bbox);
    }

    [Theory]
    [InlineData("{\"images\":[", "not valid JSON")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("{\"categories\":[]}", "no \"images\" list")]
    [InlineData("{\"images\":[{\"id\":1,\"file_name\":\"x\",\"width\":4,\"height\":3},{\"id\":1,\"file_name\":\"y\",\"width\":4,\"height\":3}],\"categories\":[]}", "appears twice")]
    [InlineData("{\"images\":[{\"id\":1,\"file_name\":\"x\",\"width\":4}],\"categories\":[]}", "no \"height\"")]
    [InlineData("{\"images\":[{\"id\":1,\"file_name\":\"x\",\"width\":4,\"height\":3}],\"categories\":[{\"id\":1,\"name\":\"a\"}],\"annotations\":[{\"id\":5,\"image_id\":2,\"category_id\":1,\"segmentation\":[]}]}", "image 2")]
    [InlineData("{\"images\":[{\"id\":1,\"file_name\":\"x\",\"width\":4,\"height\":3}],\"categories\":[{\"id\":1,\"name\":\"a\"}],\"annotations\":[{\"id\":5,\"image_id\":1,\"category_id\":7,\"segmentation\":[]}]}", "category 7")]
    [InlineData("{\"images\":[{\"id\":1,\"file_name\":\"x\",\"width\":4,\"height\":3}],\"categories\":[{\"id\":1,\"name\":\"a\"}],\"annotations\":[{\"id\":5,\"image_id\":1,\"category_id\":1,\"segmentation\":{\"size\":[3,4],\"counts\":[4,2]}}]}", "add up")]
    [InlineData("{\"images\":[{\"id\":1,\"file_name\":\"x\",\"width\":4,\"height\":3}],\"categories\":[{\"id\":1,\"name\":\"a\"}],\"annotations\":[{\"id\":5,\"image_id\":1,\"category_id\":1,\"segmentation\":{\"size\":[4,3],\"counts\":[12]}}]}", "RLE size")]
    [InlineData("{\"images\":[{\"id\":1,\"file_name\":\"x\",\"width\":4,\"height\":3}],\"categories\":[{\"id\":1,\"name\":\"a\"}],\"annotations\":[{\"id\":5,\"image_id\":1,\"category_id\":1,\"segmentation\":[[1,2,3]]}]}", "x y pairs")]
    [InlineData("{\"images\":[{\"id\":1,\"file_name\":\"x\",\"width\":4,\"height\":3}],\"categories\":[{\"id\":1,\"name\":\"a\"}],\"annotations\":[{\"id\":5,\"image_id\":1,\"category_id\":1,\"segmentation\":{\"size\":[3,4],\"counts\":\"1 2\"}}]}", "character")]
    [InlineData("{\"images\":[{\"id\":1,\"file_name\":\"x\",\"width\":4,\"height\":3}],\"categories\":[{\"id\":1,\"name\":\"a\"}],\"annotations\":[{\"id\":5,\"image_id\":1,\"category_id\":1,\"segmentation\":[[0,0,2,2],[0,0,1,0,1,1]]}]}", "box list")]
    [InlineData("{\"images\":[{\"id\":1,\"file_name\":\"x\",\"width\":4,\"height\":3}],\"categories\":[{\"id\":1,\"name\":\"a\"}],\"annotations\":[{\"id\":5,\"image_id\":1,\"category_id\":1,\"segmentation\":[[0,0]]}]}", "at least 3 points")]
    [InlineData("{\"images\":[{\"id\":1,\"file_name\":7,\"width\":4,\"height\":3}],\"categories\":[]}", "file_name")]
    [InlineData("{\"images\":[{\"id\":1,\"width\":2000000000,\"height\":2000000000}],\"categories\":[{\"id\":1,\"name\":\"a\"}],\"annotations\":[{\"id\":5,\"image_id\":1,\"category_id\":1,\"segmentation\":[[0,0,1,0,1,1]]}]}", "COCO RLE counts are 32-bit")]
    public void BadFiles_GiveOneLineErrorsNamingTheFile(string json, string expected)
    {
        var e = Assert.Throws<DataFormatException>(() => CocoJson.Parse(json, "bad.json"));
        Assert.StartsWith("bad.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>
    /// The real labelme → COCO sample: 3 PASCAL VOC images, 12 polygon annotations. Their <c>area</c> and
    /// <c>bbox</c> were not made by pycocotools' rleFrPoly but by labelme, which fills the polygon with PIL's
    /// <c>ImageDraw.polygon(outline=1, fill=1)</c>: every pixel the outline touches counts (we checked this
    /// with Pillow: it reproduces all 12 areas to ±1 pixel). Centre sampling, as pycocotools and we do, leaves
    /// out about half of the boundary pixels, so our area must lie between the recorded area minus the
    /// perimeter and the recorded area (+2), within 10 % (the smallest object, 19×54 px, is 7 % smaller), and the box within 2 pixels.
    /// </summary>
    [SkippableFact]
    public void RealSample_PolygonsRasterizeToTheRecordedAreas()
    {
        var folder = RealData.Locate("coco/labelme_voc2011", output);
        var d = CocoJson.Load(Path.Combine(folder, "annotations.json"));
        Assert.Equal(3, d.Images.Count);
        Assert.Equal(12, d.Annotations.Count);
        Assert.Equal(21, d.Categories.Count);
        int close = 0;
        foreach (var a in d.Annotations)
        {
            var image = d.FindImage(a.ImageId)!;
            var rle = a.Segmentation.ToRle(image.Height, image.Width);
            double area = rle.Area();
            output.WriteLine($"annotation {a.Id}: area {area} vs recorded {a.Area}; box [{string.Join(", ", rle.BoundingBox())}] vs [{string.Join(", ", a.Bbox)}]");
            double perimeter = a.Segmentation.Polygons!.Sum(Perimeter);
            Assert.InRange(area, a.Area - perimeter, a.Area + 2);
            Assert.InRange(area, a.Area * 0.9, a.Area * 1.01);
            var box = rle.BoundingBox();
            for (int i = 0; i < 4; i++) Assert.InRange(box[i], a.Bbox[i] - 2, a.Bbox[i] + 2);
            if (Math.Abs(area - a.Area) <= 0.02 * a.Area) close++;
        }
        output.WriteLine($"{close} of {d.Annotations.Count} areas within 2 % of labelme's");
    }

    private static double Perimeter(double[] p)
    {
        double sum = 0;
        int k = p.Length / 2;
        for (int i = 0, j = k - 1; i < k; j = i++) sum += Math.Sqrt(Math.Pow(p[2 * i] - p[2 * j], 2) + Math.Pow(p[2 * i + 1] - p[2 * j + 1], 2));
        return sum;
    }
}
