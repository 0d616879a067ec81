using Clickscape.Data.Formats.Coco;
using Clickscape.Data.Formats.Png;
using Clickscape.Data.IO;

namespace Clickscape.Data.Synthetic.Images;

/// <summary>
/// Writes a generated image dataset in COCO instance layout: <c>DIR/images/000000.png</c>, … and
/// <c>DIR/annotations.json</c> with one category per <see cref="ShapeKind"/> and one annotation per visible
/// object (compressed RLE of the visible pixels, exact area and box, iscrowd 0), and
/// <c>DIR/splits/{train,val}.txt</c> (the last ⌈count/5⌉ images are val; see <see cref="Datasets.ImageDataset"/>).
/// </summary>
public static class ImageDatasetWriter
{
    /// <summary>The categories, ids = <see cref="ShapeKind"/> values.</summary>
    public static IReadOnlyList<CocoCategory> Categories { get; } =
        Enum.GetValues<ShapeKind>().Select(k => new CocoCategory((long)k, k.ToString().ToLowerInvariant(), "shape")).ToArray();

    /// <summary>The seed of image <paramref name="index"/> of a dataset generated with <paramref name="seed"/>.</summary>
    /// <remarks>A fixed integer mix (Knuth's multiplicative hash of the seed plus a second odd multiplier for
    /// the index), not <see cref="HashCode"/>, which is randomized per process.</remarks>
    public static int ImageSeed(int seed, int index) => unchecked((int)((uint)seed * 2654435761u + (uint)index * 40503u + 12345u));

    /// <summary>Generates <paramref name="count"/> images into <paramref name="folder"/>; returns the dataset written.</summary>
    public static CocoDataset Write(string folder, int count, int seed, int width = 256, int height = 256, Action<int>? progress = null)
    {
        if (count < 0) throw new ArgumentException($"image count {count}: expected ≥ 0");
        var dataset = new CocoDataset();
        dataset.Categories.AddRange(Categories);
        long annotationId = 1;
        // images/ appears complete or not at all, then annotations.json (itself atomic) names them.
        AtomicFolder.Write(Path.Combine(folder, "images"), images =>
        {
            for (int i = 0; i < count; i++)
            {
                var generated = ImageSynthesizer.Generate(ImageSeed(seed, i), width, height);
                string fileName = $"images/{i:D6}.png";
                PngEncoder.Save(Path.Combine(images, Path.GetFileName(fileName)), generated.Image);
                var image = new CocoImage(i + 1, fileName, width, height);
                dataset.Images.Add(image);
                foreach (var o in generated.Objects)
                {
                    var rle = MaskRle.Encode(o.VisibleMask, height, width);
                    dataset.Annotations.Add(new CocoAnnotation(annotationId++, image.Id, (long)o.Kind, CocoSegmentation.FromRle(rle),
                        rle.Area(), rle.BoundingBox(), IsCrowd: false));
                }
                progress?.Invoke(i);
            }
        });
        CocoJson.Save(Path.Combine(folder, "annotations.json"), dataset);
        int val = count < 2 ? 0 : (count + 4) / 5;
        Directory.CreateDirectory(Path.Combine(folder, "splits"));
        AtomicFile.WriteAllText(Path.Combine(folder, "splits", "train.txt"), string.Concat(dataset.Images.Take(count - val).Select(i => i.FileName + "\n")));
        AtomicFile.WriteAllText(Path.Combine(folder, "splits", "val.txt"), string.Concat(dataset.Images.Skip(count - val).Select(i => i.FileName + "\n")));
        return dataset;
    }
}
