using System.Text.Json;
using Clickscape.Data.Formats.Coco;
using Clickscape.Data.IO;

namespace Clickscape.Evaluation.Coco;

/// <summary>GT and detections read from COCO JSON files.</summary>
public sealed record CocoData(IReadOnlyList<long> ImageIds, IReadOnlyList<long> CategoryIds, IReadOnlyList<CocoGroundTruth> GroundTruths, IReadOnlyList<CocoDetection> Detections, IReadOnlyList<string> Notes);

/// <summary>
/// Reads what <see cref="CocoMaskAp"/> evaluates: a COCO instances file through the format layer
/// (<see cref="CocoJson"/>) and a results file <c>[{image_id, category_id, segmentation, score}]</c>,
/// whose segmentations (polygons, uncompressed or compressed RLE) are read by the same
/// <see cref="CocoJson.ParseSegmentation"/>. Results for an image absent from the GT are an error
/// (as pycocotools' <c>loadRes</c> asserts); a GT without <c>area</c> uses the mask area, with a note.
/// </summary>
public static class CocoResultsJson
{
    /// <summary>Loads both files; bad content throws <see cref="DataFormatException"/> naming the file.</summary>
    public static CocoData Load(string groundTruthPath, string resultsPath)
    {
        var dataset = CocoJson.Load(groundTruthPath);
        var notes = new List<string>();
        var images = dataset.Images.ToDictionary(i => i.Id);
        var categories = dataset.Categories.Select(c => c.Id).ToList();
        var gts = new List<CocoGroundTruth>(dataset.Annotations.Count);
        foreach (var a in dataset.Annotations)
        {
            var image = images[a.ImageId];
            MaskRle mask;
            try
            {
                mask = a.Segmentation.ToRle(image.Height, image.Width);
            }
            catch (ArgumentException e)
            {
                throw new DataFormatException(groundTruthPath, $"annotation {a.Id}: bad segmentation: {e.Message}", e);
            }
            gts.Add(new CocoGroundTruth(a.Id, a.ImageId, a.CategoryId, mask, a.Area, a.IsCrowd));
        }
        var missingArea = dataset.Annotations.Count(a => a.AreaFromMask);
        if (missingArea > 0)
            notes.Add($"{missingArea} GT annotation(s) without 'area': the mask area is used for the area ranges");

        using var results = Parse(resultsPath);
        if (results.RootElement.ValueKind != JsonValueKind.Array)
            throw new DataFormatException(resultsPath, "expected a JSON array of results [{image_id, category_id, segmentation, score}]");
        var dts = new List<CocoDetection>();
        var index = 0;
        var unknownCategory = 0;
        foreach (var res in results.RootElement.EnumerateArray())
        {
            var where = $"result {index++}";
            var imageId = Long(resultsPath, res, "image_id", where);
            if (!images.TryGetValue(imageId, out var image))
                throw new DataFormatException(resultsPath, $"{where}: image {imageId} is not in the ground truth");
            if (!res.TryGetProperty("score", out var scoreEl) || scoreEl.ValueKind != JsonValueKind.Number)
                throw new DataFormatException(resultsPath, $"{where}: missing numeric 'score'");
            var score = scoreEl.GetDouble();
            var categoryId = Long(resultsPath, res, "category_id", where);
            if (!categories.Contains(categoryId))
                unknownCategory++;
            if (!res.TryGetProperty("segmentation", out var seg))
                throw new DataFormatException(resultsPath, $"{where}: missing 'segmentation'");
            var mask = CocoJson.ParseSegmentation(seg, image, resultsPath, where).ToRle(image.Height, image.Width);
            dts.Add(new CocoDetection(imageId, categoryId, mask, score));
        }
        if (unknownCategory > 0)
            notes.Add($"{unknownCategory} result(s) have a category absent from the GT categories and are not evaluated");
        return new CocoData([.. images.Keys], categories, gts, dts, notes);
    }

    private static JsonDocument Parse(string path)
    {
        try
        {
            using var stream = InputFile.OpenRead(path);
            return JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"invalid JSON: {e.Message.ReplaceLineEndings(" ")}", e);
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
}
