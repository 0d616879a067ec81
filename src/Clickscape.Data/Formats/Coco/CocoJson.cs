using System.Text.Json;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.Coco;

/// <summary>
/// Reads and writes COCO instance-segmentation JSON (the <c>instances_*.json</c> layout of cocodataset.org):
/// <c>images</c> (id, file_name, width, height), <c>categories</c> (id, name, supercategory) and
/// <c>annotations</c> (id, image_id, category_id, segmentation, area, bbox, iscrowd). Segmentations are
/// polygon lists or RLE objects <c>{"size": [h, w], "counts": …}</c> with integer-list or compressed-string
/// counts. Other top-level keys (info, licenses) are ignored on reading.
/// </summary>
/// <remarks>
/// Checks on reading, each a <see cref="DataFormatException"/> naming the file and the offending entry:
/// malformed JSON, missing or mistyped fields, images of more than 2³¹ − 1 pixels, duplicate ids, annotations pointing to images or categories
/// that do not exist, RLE sizes that differ from their image, counts that do not add up, odd-length or
/// non-finite polygons, a polygon list whose first entry is neither a box nor a polygon of 3 or more points.
/// A missing <c>area</c> or <c>bbox</c> is computed from the mask (<see cref="CocoAnnotation.AreaFromMask"/>
/// says so); <c>iscrowd</c> defaults to 0; a missing <c>file_name</c> is read as "" (evaluation ground truth
/// often has none, and pycocotools does not need it). Numbers are written in their shortest round-trip form,
/// so write → read is exact.
/// </remarks>
public static class CocoJson
{
    /// <summary>Reads the dataset at <paramref name="path"/>.</summary>
    public static CocoDataset Load(string path)
    {
        if (!File.Exists(path)) throw new DataFormatException(path, "no such COCO annotation file");
        using var stream = InputFile.OpenRead(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new DataFormatException(path, $"not valid JSON ({e.Message.ReplaceLineEndings(" ")})", e);
        }
        using (document)
        {
            try
            {
                return Parse(document.RootElement, path);
            }
            catch (InvalidOperationException e)
            {
                throw new DataFormatException(path, $"a JSON string is not valid UTF-8 ({e.Message})", e);
            }
        }
    }

    /// <summary>Parses a dataset from JSON text; <paramref name="name"/> is used in error messages.</summary>
    public static CocoDataset Parse(string json, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            return Parse(document.RootElement, name);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(name, $"not valid JSON ({e.Message.ReplaceLineEndings(" ")})", e);
        }
    }

    private static CocoDataset Parse(JsonElement root, string path)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new DataFormatException(path, "expected a JSON object with images, categories and annotations");
        var dataset = new CocoDataset();
        var images = new Dictionary<long, CocoImage>();
        foreach (var e in Array(root, "images", path, "the file"))
        {
            string where = $"images[{dataset.Images.Count}]";
            string fileName = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("file_name", out _) ? String(e, "file_name", path, where) : "";
            var image = new CocoImage(Long(e, "id", path, where), fileName,
                Int(e, "width", path, where), Int(e, "height", path, where));
            if (image.Width <= 0 || image.Height <= 0)
                throw new DataFormatException(path, $"{where} (id {image.Id}) has size {image.Width}×{image.Height}, expected positive width and height");
            if ((long)image.Width * image.Height > int.MaxValue)
                throw new DataFormatException(path, $"{where} (id {image.Id}) has size {image.Width}×{image.Height} = {(long)image.Width * image.Height} pixels, expected at most {int.MaxValue} (COCO RLE counts are 32-bit)");
            if (!images.TryAdd(image.Id, image)) throw new DataFormatException(path, $"{where}: image id {image.Id} appears twice");
            dataset.Images.Add(image);
        }
        var categories = new HashSet<long>();
        foreach (var e in Array(root, "categories", path, "the file"))
        {
            string where = $"categories[{dataset.Categories.Count}]";
            var category = new CocoCategory(Long(e, "id", path, where), String(e, "name", path, where),
                e.TryGetProperty("supercategory", out var sc) && sc.ValueKind == JsonValueKind.String ? sc.GetString()! : "");
            if (!categories.Add(category.Id)) throw new DataFormatException(path, $"{where}: category id {category.Id} appears twice");
            dataset.Categories.Add(category);
        }
        var annotationIds = new HashSet<long>();
        if (root.TryGetProperty("annotations", out _))
        {
            foreach (var e in Array(root, "annotations", path, "the file"))
                dataset.Annotations.Add(ParseAnnotation(e, $"annotations[{dataset.Annotations.Count}]", path, images, categories, annotationIds));
        }
        return dataset;
    }

    private static CocoAnnotation ParseAnnotation(JsonElement e, string where, string path, Dictionary<long, CocoImage> images,
        HashSet<long> categories, HashSet<long> ids)
    {
        long id = Long(e, "id", path, where);
        where = $"{where} (id {id})";
        if (!ids.Add(id)) throw new DataFormatException(path, $"{where}: annotation id appears twice");
        long imageId = Long(e, "image_id", path, where);
        if (!images.TryGetValue(imageId, out var image)) throw new DataFormatException(path, $"{where} refers to image {imageId}, which is not in images");
        long categoryId = Long(e, "category_id", path, where);
        if (!categories.Contains(categoryId)) throw new DataFormatException(path, $"{where} refers to category {categoryId}, which is not in categories");
        if (!e.TryGetProperty("segmentation", out var s)) throw new DataFormatException(path, $"{where} has no segmentation");
        var segmentation = ParseSegmentation(s, image, path, where);

        bool crowd = e.TryGetProperty("iscrowd", out var c) && c.ValueKind == JsonValueKind.Number && (!c.TryGetInt32(out int crowdFlag) || crowdFlag != 0);
        double area;
        double[] bbox;
        MaskRle? rle = null;
        bool areaFromMask = false;
        if (e.TryGetProperty("area", out var a) && a.ValueKind == JsonValueKind.Number)
        {
            area = a.GetDouble();
        }
        else
        {
            rle = segmentation.ToRle(image.Height, image.Width);
            area = rle.Area();
            areaFromMask = true;
        }
        if (e.TryGetProperty("bbox", out var b) && b.ValueKind == JsonValueKind.Array)
        {
            bbox = Numbers(b, $"{where} bbox", path);
            if (bbox.Length != 4) throw new DataFormatException(path, $"{where} bbox has {bbox.Length} numbers, expected [x, y, width, height]");
        }
        else
        {
            bbox = (rle ?? segmentation.ToRle(image.Height, image.Width)).BoundingBox();
        }
        if (!double.IsFinite(area) || area < 0) throw new DataFormatException(path, $"{where} has area {area}, expected a finite number ≥ 0");
        return new CocoAnnotation(id, imageId, categoryId, segmentation, area, bbox, crowd) { AreaFromMask = areaFromMask };
    }

    /// <summary>
    /// Reads one <c>segmentation</c> value of an annotation or a result in <paramref name="image"/>: a polygon
    /// list (or, as pycocotools' <c>frPyObjects</c> reads it, a box list [x, y, w, h] when the first entry has 4
    /// numbers) or an RLE object <c>{size: [h, w], counts}</c> with a compressed string or an integer list.
    /// Throws <see cref="DataFormatException"/> naming <paramref name="path"/> and <paramref name="where"/>.
    /// </summary>
    public static CocoSegmentation ParseSegmentation(JsonElement s, CocoImage image, string path, string where)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (s.ValueKind == JsonValueKind.Array)
        {
            var polygons = new List<double[]>();
            foreach (var p in s.EnumerateArray())
            {
                if (p.ValueKind != JsonValueKind.Array)
                    throw new DataFormatException(path, $"{where} segmentation: expected a list of polygons [x0, y0, x1, y1, …]");
                var xy = Numbers(p, $"{where} polygon {polygons.Count}", path);
                if (xy.Length % 2 != 0) throw new DataFormatException(path, $"{where} polygon {polygons.Count} has {xy.Length} numbers, expected x y pairs");
                polygons.Add(xy);
            }
            if (polygons.Count > 0 && polygons[0].Length == PolygonMask.BoxLength)
            {
                int odd = polygons.FindIndex(p => p.Length != PolygonMask.BoxLength);
                if (odd >= 0)
                    throw new DataFormatException(path, $"{where} segmentation is a box list (its first entry has 4 numbers, read as [x, y, w, h] like pycocotools) but entry {odd} has {polygons[odd].Length} numbers");
            }
            else if (polygons.Count > 0 && polygons[0].Length < 6)
            {
                throw new DataFormatException(path, $"{where} polygon 0 has {polygons[0].Length} numbers, expected a polygon of at least 3 points or a box [x, y, w, h]");
            }
            return CocoSegmentation.FromPolygons(polygons);
        }
        if (s.ValueKind != JsonValueKind.Object)
            throw new DataFormatException(path, $"{where} segmentation is {s.ValueKind}, expected polygons or an RLE object {{size, counts}}");
        if (!s.TryGetProperty("size", out var size) || size.ValueKind != JsonValueKind.Array || size.GetArrayLength() != 2)
            throw new DataFormatException(path, $"{where} RLE has no size [height, width]");
        var hw = Numbers(size, $"{where} RLE size", path);
        if (hw[0] != image.Height || hw[1] != image.Width)
            throw new DataFormatException(path, $"{where} RLE size is [{hw[0]}, {hw[1]}] but image {image.Id} is {image.Height}×{image.Width}");
        if (!s.TryGetProperty("counts", out var counts)) throw new DataFormatException(path, $"{where} RLE has no counts");
        try
        {
            if (counts.ValueKind == JsonValueKind.String)
                return CocoSegmentation.FromRle(MaskRle.FromCompressedString(counts.GetString()!, image.Height, image.Width), compressed: true);
            if (counts.ValueKind == JsonValueKind.Array)
            {
                var values = new int[counts.GetArrayLength()];
                int i = 0;
                foreach (var v in counts.EnumerateArray())
                {
                    if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out values[i]))
                        throw new FormatException($"RLE count {i} is not an integer");
                    i++;
                }
                return CocoSegmentation.FromRle(new MaskRle(image.Height, image.Width, values), compressed: false);
            }
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new DataFormatException(path, $"{where} RLE: {ex.Message}", ex);
        }
        throw new DataFormatException(path, $"{where} RLE counts are {counts.ValueKind}, expected a string or a list of integers");
    }

    /// <summary>Writes <paramref name="dataset"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, CocoDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        AtomicFile.Write(path, stream => Write(stream, dataset));
    }

    /// <summary>Writes <paramref name="dataset"/> as JSON to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, CocoDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false });
        w.WriteStartObject();
        w.WriteStartObject("info");
        w.WriteString("description", "written by Clickscape");
        w.WriteEndObject();
        w.WriteStartArray("images");
        foreach (var image in dataset.Images)
        {
            w.WriteStartObject();
            w.WriteNumber("id", image.Id);
            w.WriteString("file_name", image.FileName);
            w.WriteNumber("width", image.Width);
            w.WriteNumber("height", image.Height);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("categories");
        foreach (var c in dataset.Categories)
        {
            w.WriteStartObject();
            w.WriteNumber("id", c.Id);
            w.WriteString("name", c.Name);
            w.WriteString("supercategory", c.Supercategory);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("annotations");
        foreach (var a in dataset.Annotations)
        {
            w.WriteStartObject();
            w.WriteNumber("id", a.Id);
            w.WriteNumber("image_id", a.ImageId);
            w.WriteNumber("category_id", a.CategoryId);
            w.WritePropertyName("segmentation");
            WriteSegmentation(w, a.Segmentation);
            w.WriteNumber("area", a.Area);
            w.WriteStartArray("bbox");
            foreach (double v in a.Bbox) w.WriteNumberValue(v);
            w.WriteEndArray();
            w.WriteNumber("iscrowd", a.IsCrowd ? 1 : 0);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteSegmentation(Utf8JsonWriter w, CocoSegmentation s)
    {
        if (s.Polygons is not null)
        {
            w.WriteStartArray();
            foreach (var polygon in s.Polygons)
            {
                w.WriteStartArray();
                foreach (double v in polygon) w.WriteNumberValue(v);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            return;
        }
        var rle = s.Rle!;
        w.WriteStartObject();
        w.WriteStartArray("size");
        w.WriteNumberValue(rle.Height);
        w.WriteNumberValue(rle.Width);
        w.WriteEndArray();
        if (s.CompressedCounts)
        {
            w.WriteString("counts", rle.ToCompressedString());
        }
        else
        {
            w.WriteStartArray("counts");
            foreach (int c in rle.Counts) w.WriteNumberValue(c);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    private static JsonElement.ArrayEnumerator Array(JsonElement e, string key, string path, string where)
    {
        if (!e.TryGetProperty(key, out var v) || v.ValueKind != JsonValueKind.Array)
            throw new DataFormatException(path, $"{where} has no \"{key}\" list");
        return v.EnumerateArray();
    }

    private static JsonElement Field(JsonElement e, string key, string path, string where)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new DataFormatException(path, $"{where} is {e.ValueKind}, expected an object");
        if (!e.TryGetProperty(key, out var v)) throw new DataFormatException(path, $"{where} has no \"{key}\"");
        return v;
    }

    private static long Long(JsonElement e, string key, string path, string where)
    {
        var v = Field(e, key, path, where);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long result))
            throw new DataFormatException(path, $"{where} \"{key}\" is {Describe(v)}, expected an integer");
        return result;
    }

    private static int Int(JsonElement e, string key, string path, string where)
    {
        var v = Field(e, key, path, where);
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int result))
            throw new DataFormatException(path, $"{where} \"{key}\" is {Describe(v)}, expected an integer");
        return result;
    }

    private static string String(JsonElement e, string key, string path, string where)
    {
        var v = Field(e, key, path, where);
        if (v.ValueKind != JsonValueKind.String) throw new DataFormatException(path, $"{where} \"{key}\" is {v.ValueKind}, expected a string");
        return v.GetString()!;
    }

    private static string Describe(JsonElement v) =>
        v.ValueKind is JsonValueKind.Number or JsonValueKind.String && v.GetRawText().Length <= 40 ? v.GetRawText() : v.ValueKind.ToString();

    private static double[] Numbers(JsonElement array, string where, string path)
    {
        var result = new double[array.GetArrayLength()];
        int i = 0;
        foreach (var v in array.EnumerateArray())
        {
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out result[i]) || !double.IsFinite(result[i]))
                throw new DataFormatException(path, $"{where}: entry {i} is {Describe(v)}, expected a finite number");
            i++;
        }
        return result;
    }
}
