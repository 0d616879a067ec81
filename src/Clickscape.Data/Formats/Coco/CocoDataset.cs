namespace Clickscape.Data.Formats.Coco;

/// <summary>One image of a COCO dataset; <see cref="FileName"/> is relative to the dataset's image folder.</summary>
public sealed record CocoImage(long Id, string FileName, int Width, int Height);

/// <summary>One object category.</summary>
public sealed record CocoCategory(long Id, string Name, string Supercategory);

/// <summary>
/// The mask of an annotation as COCO stores it: either polygons (x0 y0 x1 y1 …, several for one object
/// split by occlusion) or a run-length mask. <see cref="CompressedCounts"/> says whether an RLE is written
/// with COCO's compressed string counts (true) or a plain integer list (false).
/// </summary>
public sealed class CocoSegmentation
{
    private CocoSegmentation(IReadOnlyList<double[]>? polygons, MaskRle? rle, bool compressed)
    {
        Polygons = polygons;
        Rle = rle;
        CompressedCounts = compressed;
    }

    /// <summary>Polygons, or null for an RLE segmentation.</summary>
    public IReadOnlyList<double[]>? Polygons { get; }

    /// <summary>The RLE, or null for a polygon segmentation.</summary>
    public MaskRle? Rle { get; }

    /// <summary>Whether the RLE counts are written as a compressed string.</summary>
    public bool CompressedCounts { get; }

    /// <summary>A polygon segmentation.</summary>
    public static CocoSegmentation FromPolygons(IReadOnlyList<double[]> polygons) =>
        new(polygons ?? throw new ArgumentNullException(nameof(polygons)), null, false);

    /// <summary>An RLE segmentation.</summary>
    public static CocoSegmentation FromRle(MaskRle rle, bool compressed = true) =>
        new(null, rle ?? throw new ArgumentNullException(nameof(rle)), compressed);

    /// <summary>The mask as an RLE in an image of the given size (polygons, or a box list, are rasterized like
    /// pycocotools' <c>frPyObjects</c> + <c>merge</c>; see <see cref="PolygonMask.Rasterize(IReadOnlyList{double[]}, int, int)"/>).</summary>
    public MaskRle ToRle(int height, int width) => Rle ?? PolygonMask.Rasterize(Polygons!, height, width);
}

/// <summary>
/// One object instance: its image, its category, its mask, the mask's pixel area and its box
/// [x, y, width, height]; <see cref="IsCrowd"/> marks a region of many objects (ignored by matching).
/// </summary>
public sealed record CocoAnnotation(long Id, long ImageId, long CategoryId, CocoSegmentation Segmentation, double Area, double[] Bbox, bool IsCrowd)
{
    /// <summary>Whether <see cref="Area"/> was computed from the mask because the file had no <c>area</c>.</summary>
    public bool AreaFromMask { get; init; }
}

/// <summary>A COCO instance-segmentation dataset: images, categories and annotations.</summary>
public sealed class CocoDataset
{
    /// <summary>The images.</summary>
    public List<CocoImage> Images { get; } = [];

    /// <summary>The categories.</summary>
    public List<CocoCategory> Categories { get; } = [];

    /// <summary>The annotations.</summary>
    public List<CocoAnnotation> Annotations { get; } = [];

    /// <summary>The image with id <paramref name="id"/>, or null.</summary>
    public CocoImage? FindImage(long id) => Images.Find(i => i.Id == id);
}
