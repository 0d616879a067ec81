using Clickscape.Models.Solo;
using Clickscape.Tensors;

namespace Clickscape.Training.Methods.PointWssis;

/// <summary>How one training image is changed before a step: a horizontal flip and SOLOv2's scale jitter (Wang et al.
/// 2020, §4: the shorter side drawn from a range). Here the side stays the network's S: the content is zoomed by
/// <see cref="Scale"/> and placed at (<see cref="OffsetX"/>, <see cref="OffsetY"/>) — a random crop of the enlarged image
/// when Scale &gt; 1, the shrunken image on a mean-grey canvas when Scale &lt; 1 — so one batch tensor holds every image.</summary>
public readonly record struct ImageAugmentation(bool Flip, double Scale, double OffsetX, double OffsetY)
{
    /// <summary>No change.</summary>
    public static ImageAugmentation None => new(false, 1, 0, 0);

    /// <summary>A random flip and a scale from U(<paramref name="low"/>, <paramref name="high"/>) at a uniform offset that keeps the
    /// S × S output inside the zoomed image (Scale ≥ 1) or the zoomed image inside the output (Scale &lt; 1).</summary>
    public static ImageAugmentation Draw(Random random, int size, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(random);
        bool flip = random.Next(2) == 1;
        double scale = low + (high - low) * random.NextDouble();
        double slack = size - scale * size; // ≤ 0 when zooming in: the offset moves the crop; ≥ 0 when zooming out
        return new ImageAugmentation(flip, scale, slack * random.NextDouble(), slack * random.NextDouble());
    }
}

/// <summary>Batches of image samples for the SOLO networks: the pixel tensor [B, 3, S, S] and the instances, each image
/// optionally flipped and scale-jittered (<see cref="ImageAugmentation"/>).</summary>
public static class PointWssisBatches
{
    /// <summary>The batch of <paramref name="images"/>, each flipped when <paramref name="flip"/> says so.</summary>
    public static (Tensor Pixels, List<IReadOnlyList<SoloInstance>> Instances) Build(IReadOnlyList<(float[] Pixels, IReadOnlyList<SoloInstance> Instances)> images, int size, bool[]? flip = null) =>
        Build(images, size, flip?.Select(f => ImageAugmentation.None with { Flip = f }).ToArray());

    /// <summary>The batch of <paramref name="images"/>, image b changed by <paramref name="augment"/>[b] (none when null). Pixels
    /// are resampled bilinearly (outside the source: 0, the normalized mean), masks by nearest neighbour; an instance
    /// whose mask leaves the image is dropped.</summary>
    public static (Tensor Pixels, List<IReadOnlyList<SoloInstance>> Instances) Build(IReadOnlyList<(float[] Pixels, IReadOnlyList<SoloInstance> Instances)> images, int size, ImageAugmentation[]? augment)
    {
        ArgumentNullException.ThrowIfNull(images);
        var t = Tensor.Empty(images.Count, 3, size, size);
        var d = t.Data;
        var instances = new List<IReadOnlyList<SoloInstance>>(images.Count);
        for (int b = 0; b < images.Count; b++)
        {
            var (pixels, inst) = images[b];
            var a = augment?[b] ?? ImageAugmentation.None;
            var dst = d.Slice(b * 3 * size * size, 3 * size * size);
            if (a.Scale == 1 && a.OffsetX == 0 && a.OffsetY == 0)
            {
                if (!a.Flip) pixels.CopyTo(dst);
                else
                    for (int row = 0; row < 3 * size; row++)
                        for (int x = 0; x < size; x++) dst[row * size + x] = pixels[row * size + size - 1 - x];
                instances.Add(a.Flip ? inst.Select(i => i with { Mask = FlipMask(i.Mask, size) }).ToList() : inst);
                continue;
            }
            Resample(pixels, dst, size, a);
            instances.Add(inst.Select(i => i with { Mask = ResampleMask(i.Mask, size, a) }).Where(i => Array.IndexOf(i.Mask, (byte)1) >= 0).ToList());
        }
        return (t, instances);
    }

    /// <summary>Source coordinate (pixel units, centres at +0.5) of output coordinate <paramref name="x"/>: the inverse of
    /// zoom-then-place, mirrored when the augmentation flips.</summary>
    private static double SourceX(double x, int size, ImageAugmentation a)
    {
        double u = (x - a.OffsetX) / a.Scale;
        return a.Flip ? size - u : u;
    }

    private static void Resample(float[] pixels, Span<float> dst, int size, ImageAugmentation a)
    {
        int plane = size * size;
        for (int y = 0; y < size; y++)
        {
            double sy = (y + 0.5 - a.OffsetY) / a.Scale - 0.5;
            for (int x = 0; x < size; x++)
            {
                double sx = SourceX(x + 0.5, size, a) - 0.5;
                bool inside = sx > -0.5 && sx < size - 0.5 && sy > -0.5 && sy < size - 0.5;
                for (int c = 0; c < 3; c++)
                    dst[c * plane + y * size + x] = inside ? Models.MaskRefine.RefineCrop.Bilinear(pixels, c * plane, size, Math.Clamp(sx, 0, size - 1), Math.Clamp(sy, 0, size - 1)) : 0f;
            }
        }
    }

    private static byte[] ResampleMask(byte[] mask, int size, ImageAugmentation a)
    {
        var r = new byte[mask.Length];
        for (int y = 0; y < size; y++)
        {
            int sy = (int)Math.Floor((y + 0.5 - a.OffsetY) / a.Scale);
            if (sy < 0 || sy >= size) continue;
            for (int x = 0; x < size; x++)
            {
                int sx = (int)Math.Floor(SourceX(x + 0.5, size, a));
                if (sx >= 0 && sx < size) r[y * size + x] = mask[sy * size + sx];
            }
        }
        return r;
    }

    /// <summary>A mask mirrored left–right.</summary>
    public static byte[] FlipMask(byte[] mask, int size)
    {
        ArgumentNullException.ThrowIfNull(mask);
        var r = new byte[mask.Length];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++) r[y * size + x] = mask[y * size + size - 1 - x];
        return r;
    }

    /// <summary>Mask probabilities at stride <paramref name="stride"/> ([(S/stride)²]) brought to S × S bilinearly
    /// (align_corners = false).</summary>
    public static float[] Upsample(float[] small, int size, int stride)
    {
        ArgumentNullException.ThrowIfNull(small);
        int s = size / stride;
        var result = new float[size * size];
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                result[y * size + x] = Models.MaskRefine.RefineCrop.Bilinear(small, 0, s, Math.Clamp((x + 0.5) / stride - 0.5, 0, s - 1), Math.Clamp((y + 0.5) / stride - 0.5, 0, s - 1));
        return result;
    }
}
