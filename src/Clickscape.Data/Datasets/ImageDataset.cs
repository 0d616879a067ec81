using Clickscape.Data.Formats;
using Clickscape.Data.Formats.Coco;
using Clickscape.Data.Formats.Png;
using Clickscape.Data.IO;

namespace Clickscape.Data.Datasets;

/// <summary>
/// An image instance-segmentation dataset folder as the image commands see it: <c>DIR/annotations.json</c> (COCO
/// instances; image file names relative to DIR) and optional <c>DIR/splits/{name}.txt</c> listing image file names,
/// one a line. <see cref="AllSplit"/> is every image. Both the generated images (<c>synth images</c>) and a COCO export
/// such as the labelme VOC sample open this way.
/// </summary>
public sealed class ImageDataset
{
    /// <summary>The split name that means every image.</summary>
    public const string AllSplit = "all";

    private ImageDataset(string root, CocoDataset coco)
    {
        Root = root;
        Coco = coco;
    }

    /// <summary>The dataset folder.</summary>
    public string Root { get; }

    /// <summary>Images, categories and annotations.</summary>
    public CocoDataset Coco { get; }

    /// <summary>The annotation file of a dataset folder.</summary>
    public static string AnnotationsPath(string root) => Path.Combine(root, "annotations.json");

    /// <summary>Opens the dataset folder <paramref name="root"/>.</summary>
    public static ImageDataset Open(string root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (!Directory.Exists(root)) throw new DataFormatException(root, "no such image dataset folder (expected annotations.json and the images)");
        var path = AnnotationsPath(root);
        if (!File.Exists(path)) throw new DataFormatException(root, "no annotations.json (COCO instances) in the image dataset folder");
        return new ImageDataset(root, CocoJson.Load(path));
    }

    /// <summary>Whether <paramref name="split"/> is <see cref="AllSplit"/> or has a list file.</summary>
    public bool HasSplit(string split) => split == AllSplit || File.Exists(SplitPath(split));

    /// <summary>The images of <paramref name="split"/>, in the list's order (every image in file order for <see cref="AllSplit"/>).</summary>
    public IReadOnlyList<CocoImage> Split(string split)
    {
        ArgumentNullException.ThrowIfNull(split);
        if (split == AllSplit) return Coco.Images;
        var path = SplitPath(split);
        if (!File.Exists(path)) throw new DataFormatException(Root, $"no split '{split}' (splits/{split}.txt); use --split {AllSplit} for every image");
        var byName = Coco.Images.ToDictionary(i => i.FileName, StringComparer.Ordinal);
        var images = new List<CocoImage>();
        int line = 0;
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            var name = raw.Trim();
            if (name.Length == 0) continue;
            if (!byName.TryGetValue(name, out var image))
                throw new DataFormatException(path, $"line {line}: image '{name}' is not in annotations.json");
            images.Add(image);
        }
        return images;
    }

    /// <summary>The RGB pixels of <paramref name="image"/> (PNG or JPEG); a size other than the annotation's is an error.</summary>
    public PngImage LoadRgb(CocoImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var path = Path.Combine(Root, image.FileName);
        var raster = RasterFile.LoadRgb(path);
        if (raster.Width != image.Width || raster.Height != image.Height)
            throw new DataFormatException(path, $"image is {raster.Width}×{raster.Height}, annotations.json says {image.Width}×{image.Height}");
        return raster;
    }

    /// <summary>The annotations of <paramref name="image"/>, crowd regions included.</summary>
    public IEnumerable<CocoAnnotation> Annotations(CocoImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return Coco.Annotations.Where(a => a.ImageId == image.Id);
    }

    private string SplitPath(string split) => Path.Combine(Root, "splits", split + ".txt");
}
