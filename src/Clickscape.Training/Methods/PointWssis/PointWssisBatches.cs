using Clickscape.Models.Solo;
using Clickscape.Tensors;

namespace Clickscape.Training.Methods.PointWssis;

/// <summary>Batches of image samples for the SOLO networks: the pixel tensor [B, 3, S, S] and the instances, with an
/// optional horizontal flip per image (the one augmentation of SOLOv2's recipe besides scale jitter).</summary>
public static class PointWssisBatches
{
    /// <summary>The batch of <paramref name="images"/>, each flipped when <paramref name="flip"/> says so.</summary>
    public static (Tensor Pixels, List<IReadOnlyList<SoloInstance>> Instances) Build(IReadOnlyList<(float[] Pixels, IReadOnlyList<SoloInstance> Instances)> images, int size, bool[]? flip = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        var t = Tensor.Empty(images.Count, 3, size, size);
        var d = t.Data;
        var instances = new List<IReadOnlyList<SoloInstance>>(images.Count);
        for (int b = 0; b < images.Count; b++)
        {
            var (pixels, inst) = images[b];
            bool f = flip?[b] ?? false;
            var dst = d.Slice(b * 3 * size * size, 3 * size * size);
            if (!f) pixels.CopyTo(dst);
            else
                for (int row = 0; row < 3 * size; row++)
                    for (int x = 0; x < size; x++) dst[row * size + x] = pixels[row * size + size - 1 - x];
            instances.Add(f ? inst.Select(i => i with { Mask = FlipMask(i.Mask, size) }).ToList() : inst);
        }
        return (t, instances);
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
