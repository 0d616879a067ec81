using System.Text.Json;
using Clickscape.Data.Formats.Coco;
using Clickscape.Evaluation.Coco;
using Clickscape.Testing;
using Xunit.Abstractions;

namespace Clickscape.Evaluation.Tests.Coco;

public class CocoMaskApRealDataTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void LabelmePolygons_RasterizeToTheirShoelaceArea_AndScorePerfectAgainstThemselves()
    {
        var folder = RealData.Locate("coco/labelme_voc2011/labelme_json", output);
        var gts = new List<CocoGroundTruth>();
        var dts = new List<CocoDetection>();
        long image = 0, id = 0;
        foreach (var file in Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal))
        {
            image++;
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var h = doc.RootElement.GetProperty("imageHeight").GetInt32();
            var w = doc.RootElement.GetProperty("imageWidth").GetInt32();
            foreach (var shape in doc.RootElement.GetProperty("shapes").EnumerateArray())
            {
                if (shape.GetProperty("shape_type").GetString() != "polygon")
                    continue;
                var xy = shape.GetProperty("points").EnumerateArray().SelectMany(p => p.EnumerateArray().Select(v => v.GetDouble())).ToArray();
                var mask = PolygonMask.Rasterize([xy], h, w);
                // Shoelace area; rasterization may differ by about half a pixel along the outline.
                double shoelace = 0, perimeter = 0;
                for (var i = 0; i < xy.Length / 2; i++)
                {
                    var j = (i + 1) % (xy.Length / 2);
                    shoelace += (xy[2 * i] * xy[(2 * j) + 1]) - (xy[2 * j] * xy[(2 * i) + 1]);
                    perimeter += Math.Sqrt(Math.Pow(xy[2 * j] - xy[2 * i], 2) + Math.Pow(xy[(2 * j) + 1] - xy[(2 * i) + 1], 2));
                }
                shoelace = Math.Abs(shoelace) / 2;
                Assert.True(Math.Abs(mask.Area() - shoelace) <= (0.75 * perimeter) + 4,
                    $"{Path.GetFileName(file)}: raster area {mask.Area()} vs polygon area {shoelace:0.0} (perimeter {perimeter:0})");
                gts.Add(new CocoGroundTruth(++id, image, 1, mask, mask.Area(), false));
                dts.Add(new CocoDetection(image, 1, mask, 1.0 / id));
            }
        }
        Assert.NotEmpty(gts);
        var r = new CocoMaskAp().Evaluate(Enumerable.Range(1, (int)image).Select(i => (long)i).ToList(), [1], gts, dts);
        Assert.Equal(1.0, r.Ap, 12);
    }
}
