using System.Text.Json;
using Clickscape.Data.IO;

namespace Clickscape.Evaluation.Coco;

/// <summary>GT and detections read from COCO JSON files.</summary>
public sealed record CocoData(IReadOnlyList<long> ImageIds, IReadOnlyList<long> CategoryIds, IReadOnlyList<CocoGroundTruth> GroundTruths, IReadOnlyList<CocoDetection> Detections, IReadOnlyList<string> Notes);

/// <summary>
/// Reads a COCO instances file (<c>images</c> with id/height/width, <c>annotations</c> with id, image_id,
/// category_id, segmentation, area, iscrowd; <c>categories</c>) and a results file
/// (<c>[{image_id, category_id, segmentation, score}]</c>). A segmentation is a polygon list, an uncompressed
/// RLE <c>{"counts": [..], "size": [h, w]}</c> or a compressed one (<c>counts</c> a string). Results for an
/// image absent from the GT are an error (as pycocotools' <c>loadRes</c> asserts); a missing GT <c>area</c>
/// falls back to the mask area with a note.
/// </summary>
public static class CocoJson
{
    /// <summary>Loads both files; bad content throws <see cref="DataFormatException"/> naming the file.</summary>
    public static CocoData Load(string groundTruthPath, string resultsPath)
    {
        var notes = new List<string>();
        using var gtDoc = Parse(groundTruthPath);
        var root = gtDoc.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("images", out var imagesEl) || !root.TryGetProperty("annotations", out var annsEl) || !root.TryGetProperty("categories", out var catsEl))
            throw new DataFormatException(groundTruthPath, "expected a COCO object with 'images', 'annotations' and 'categories'");
        var sizes = new Dictionary<long, (int H, int W)>();
        foreach (var img in imagesEl.EnumerateArray())
        {
            var id = Long(groundTruthPath, img, "id", "image");
            sizes[id] = ((int)Long(groundTruthPath, img, "height", $"image {id}"), (int)Long(groundTruthPath, img, "width", $"image {id}"));
        }
        var categories = catsEl.EnumerateArray().Select(c => Long(groundTruthPath, c, "id", "category")).ToList();
        var gts = new List<CocoGroundTruth>();
        var missingArea = 0;
        foreach (var ann in annsEl.EnumerateArray())
        {
            var id = Long(groundTruthPath, ann, "id", "annotation");
            var where = $"annotation {id}";
            var imageId = Long(groundTruthPath, ann, "image_id", where);
            if (!sizes.TryGetValue(imageId, out var size))
                throw new DataFormatException(groundTruthPath, $"{where}: image {imageId} is not listed in 'images'");
            var mask = Segmentation(groundTruthPath, ann, where, size.H, size.W);
            var crowd = ann.TryGetProperty("iscrowd", out var c) && c.ValueKind == JsonValueKind.Number && c.GetInt32() != 0;
            double area;
            if (ann.TryGetProperty("area", out var areaEl) && areaEl.ValueKind == JsonValueKind.Number)
            {
                area = areaEl.GetDouble();
            }
            else
            {
                area = mask.Area();
                missingArea++;
            }
            gts.Add(new CocoGroundTruth(id, imageId, Long(groundTruthPath, ann, "category_id", where), mask, area, crowd));
        }
        if (missingArea > 0)
            notes.Add($"{missingArea} GT annotation(s) without 'area': the mask area is used for the area ranges");

        using var dtDoc = Parse(resultsPath);
        if (dtDoc.RootElement.ValueKind != JsonValueKind.Array)
            throw new DataFormatException(resultsPath, "expected a JSON array of results [{image_id, category_id, segmentation, score}]");
        var dts = new List<CocoDetection>();
        var index = 0;
        var unknownCategory = 0;
        foreach (var res in dtDoc.RootElement.EnumerateArray())
        {
            var where = $"result {index++}";
            var imageId = Long(resultsPath, res, "image_id", where);
            if (!sizes.TryGetValue(imageId, out var size))
                throw new DataFormatException(resultsPath, $"{where}: image {imageId} is not in the ground truth");
            if (!res.TryGetProperty("score", out var scoreEl) || scoreEl.ValueKind != JsonValueKind.Number)
                throw new DataFormatException(resultsPath, $"{where}: missing numeric 'score'");
            var score = scoreEl.GetDouble();
            var categoryId = Long(resultsPath, res, "category_id", where);
            if (!categories.Contains(categoryId))
                unknownCategory++;
            dts.Add(new CocoDetection(imageId, categoryId, Segmentation(resultsPath, res, where, size.H, size.W), score));
        }
        if (unknownCategory > 0)
            notes.Add($"{unknownCategory} result(s) have a category absent from the GT categories and are not evaluated");
        return new CocoData([.. sizes.Keys], categories, gts, dts, notes);
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"invalid JSON: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataFormatException(path, $"cannot read: {e.Message}", e);
        }
    }

    private static long Long(string path, JsonElement e, string name, string where)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out var x))
            throw new DataFormatException(path, $"{where}: missing integer '{name}'");
        return x;
    }

    private static Rle Segmentation(string path, JsonElement e, string where, int h, int w)
    {
        if (!e.TryGetProperty("segmentation", out var seg))
            throw new DataFormatException(path, $"{where}: missing 'segmentation'");
        try
        {
            if (seg.ValueKind == JsonValueKind.Array)
            {
                var polygons = seg.EnumerateArray().Select(p => p.EnumerateArray().Select(x => x.GetDouble()).ToArray()).ToList();
                return PolygonRle.FromPolygons(polygons, h, w);
            }
            if (seg.ValueKind == JsonValueKind.Object && seg.TryGetProperty("counts", out var counts) && seg.TryGetProperty("size", out var sizeEl))
            {
                var size = sizeEl.EnumerateArray().Select(x => x.GetInt32()).ToArray();
                if (size.Length != 2)
                    throw new DataFormatException(path, $"{where}: RLE 'size' must be [height, width]");
                if (size[0] != h || size[1] != w)
                    throw new DataFormatException(path, $"{where}: RLE size {size[0]}×{size[1]} differs from the image's {h}×{w}");
                return counts.ValueKind == JsonValueKind.String
                    ? Rle.FromString(counts.GetString()!, h, w)
                    : new Rle(h, w, counts.EnumerateArray().Select(x => x.GetUInt32()).ToArray());
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new DataFormatException(path, $"{where}: bad segmentation: {ex.Message}", ex);
        }
        throw new DataFormatException(path, $"{where}: 'segmentation' must be polygons or an RLE object with 'counts' and 'size'");
    }
}
