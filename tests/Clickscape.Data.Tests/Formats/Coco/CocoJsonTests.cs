using Clickscape.Data.Formats.Coco;
using Clickscape.Data.IO;
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
        Assert.Equal(new double[] { 1, 1, 2, 2 }, a.Bbox);
        Assert.False(a.IsCrowd);
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
    [Fact]
    public void RealSample_PolygonsRasterizeToTheRecordedAreas()
    {
        var folder = RealSample("coco/labelme_voc2011");
        if (folder is null)
        {
            output.WriteLine("real data folder shared/data/real not found next to the repository: test not run");
            Assert.NotEqual("1", Environment.GetEnvironmentVariable("CI_REQUIRE_REAL"));
            return;
        }
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

    /// <summary>The real-data folder <c>shared/data/real/&lt;relative&gt;</c> next to the repository, or null.
    /// Walks up from the test binaries and, since builds may use an artifacts path outside the repository, from
    /// this source file.</summary>
    private static string? RealSample(string relative, [System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source) ?? "" })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", "real", relative);
                if (Directory.Exists(candidate)) return candidate;
            }
        }
        return null;
    }
}
