using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.Coco;
using Clickscape.Models.Solo;

namespace Clickscape.Training.Methods.PointWssis;

/// <summary>
/// One training or evaluation image at network resolution: normalized RGB planes [3, S, S], its instances (class index
/// and mask at S × S) and one labelled point per instance (the mask's centroid, as PointWSSIS §4.1 takes it).
/// </summary>
public sealed record ImageSample(CocoImage Image, float[] Pixels, IReadOnlyList<SoloInstance> Instances, IReadOnlyList<LabelledPoint> Points)
{
    /// <summary>ImageNet mean and standard deviation of R, G, B (the normalization of every torchvision backbone).</summary>
    public static readonly float[] Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f];

    /// <summary>Loads <paramref name="image"/> and its non-crowd annotations, resized to <paramref name="size"/>²:
    /// the picture bilinearly (align_corners = false), the masks by nearest neighbour.</summary>
    public static ImageSample Load(ImageDataset dataset, CocoImage image, int size, IReadOnlyDictionary<long, int> classIndex)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(classIndex);
        var rgb = dataset.LoadRgb(image);
        var pixels = new float[3 * size * size];
        var srcPlanes = new float[3][];
        for (int c = 0; c < 3; c++)
        {
            srcPlanes[c] = new float[rgb.Width * rgb.Height];
            for (int p = 0; p < srcPlanes[c].Length; p++) srcPlanes[c][p] = rgb.Pixels[p * 3 + c] / 255f;
        }
        double sx = (double)rgb.Width / size, sy = (double)rgb.Height / size;
        for (int y = 0; y < size; y++)
        {
            double fy = Math.Max(0, (y + 0.5) * sy - 0.5);
            int y0 = Math.Min((int)fy, rgb.Height - 1), y1 = Math.Min(y0 + 1, rgb.Height - 1);
            double ly = fy - y0;
            for (int x = 0; x < size; x++)
            {
                double fx = Math.Max(0, (x + 0.5) * sx - 0.5);
                int x0 = Math.Min((int)fx, rgb.Width - 1), x1 = Math.Min(x0 + 1, rgb.Width - 1);
                double lx = fx - x0;
                for (int c = 0; c < 3; c++)
                {
                    var s = srcPlanes[c];
                    double v = (1 - ly) * ((1 - lx) * s[y0 * rgb.Width + x0] + lx * s[y0 * rgb.Width + x1]) + ly * ((1 - lx) * s[y1 * rgb.Width + x0] + lx * s[y1 * rgb.Width + x1]);
                    pixels[(c * size + y) * size + x] = (float)((v - Mean[c]) / Std[c]);
                }
            }
        }
        var instances = new List<SoloInstance>();
        foreach (var a in dataset.Annotations(image))
        {
            if (a.IsCrowd || !classIndex.TryGetValue(a.CategoryId, out int cls)) continue;
            var full = a.Segmentation.ToRle(image.Height, image.Width).Decode();
            var mask = ResizeNearest(full, image.Width, image.Height, size);
            if (mask.Any(v => v != 0)) instances.Add(new SoloInstance(cls, mask));
        }
        return new ImageSample(image, pixels, instances, instances.Select(i => Centroid(i.Mask, size, i.ClassIndex)).ToList());
    }

    /// <summary>Nearest-neighbour resize of a 0/1 mask [h, w] (row-major, as <see cref="MaskRle.Decode"/> gives it) to size².</summary>
    public static byte[] ResizeNearest(byte[] mask, int width, int height, int size)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var result = new byte[size * size];
        for (int y = 0; y < size; y++)
        {
            int sy = Math.Min(height - 1, (int)((y + 0.5) * height / size));
            for (int x = 0; x < size; x++)
            {
                int sx = Math.Min(width - 1, (int)((x + 0.5) * width / size));
                result[y * size + x] = mask[sy * width + sx];
            }
        }
        return result;
    }

    /// <summary>The centroid of a mask (pixel centres) as the labelled point.</summary>
    public static LabelledPoint Centroid(byte[] mask, int size, int classIndex)
    {
        ArgumentNullException.ThrowIfNull(mask);
        double sx = 0, sy = 0;
        long n = 0;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                if (mask[y * size + x] != 0) { sx += x + 0.5; sy += y + 0.5; n++; }
        return n == 0 ? new LabelledPoint(size / 2.0, size / 2.0, classIndex) : new LabelledPoint(sx / n, sy / n, classIndex);
    }
}
