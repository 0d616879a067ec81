namespace Clickscape.Models.Solo;

/// <summary>One ground-truth instance at the network's input resolution: class index (0-based) and a 0/1 mask of
/// InputSize × InputSize pixels, row-major.</summary>
public sealed record SoloInstance(int ClassIndex, byte[] Mask);

/// <summary>The targets of one image at one FPN level: a class index per grid cell (−1 = background), the
/// positive cells and, for each, the instance whose mask it must predict.</summary>
public sealed record SoloLevelTargets(int[] CellClass, int[] PositiveCells, int[] PositiveInstance);

/// <summary>
/// SOLO's label assignment (Wang et al., ECCV 2020 §3.1; SOLOv2 <c>solov2_target_single</c>): an instance belongs to
/// every level whose scale range holds its scale √(w·h); on such a level the cells of its centre region are positive —
/// the box (centre of mass ± σ·half the box size, σ = <see cref="SoloOptions.CentreSigma"/>) intersected with the
/// 3×3 cells around the centre-of-mass cell. Instances are assigned largest first, so a smaller one overrides a
/// larger one on a shared cell.
/// </summary>
public static class SoloTargets
{
    /// <summary>The targets of one image, one entry per level.</summary>
    public static SoloLevelTargets[] Assign(SoloOptions options, IReadOnlyList<SoloInstance> instances)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(instances);
        int size = options.InputSize;
        var stats = instances.Select(i => Measure(i.Mask, size)).ToArray();
        var order = Enumerable.Range(0, instances.Count).Where(i => stats[i].Area > 0).OrderByDescending(i => stats[i].Area).ToArray();
        var result = new SoloLevelTargets[options.Grids.Count];
        for (int l = 0; l < options.Grids.Count; l++)
        {
            int grid = options.Grids[l];
            var cellClass = Enumerable.Repeat(-1, grid * grid).ToArray();
            var cellInstance = Enumerable.Repeat(-1, grid * grid).ToArray();
            var (low, high) = options.ScaleRanges[l];
            foreach (int i in order)
            {
                var s = stats[i];
                double scale = Math.Sqrt(s.BoxW * s.BoxH) / size;
                if (scale < low || scale >= high) continue;
                foreach (int cell in CentreCells(s, size, grid, options.CentreSigma))
                {
                    cellClass[cell] = instances[i].ClassIndex;
                    cellInstance[cell] = i;
                }
            }
            var positives = Enumerable.Range(0, grid * grid).Where(c => cellInstance[c] >= 0).ToArray();
            result[l] = new SoloLevelTargets(cellClass, positives, positives.Select(c => cellInstance[c]).ToArray());
        }
        return result;
    }

    /// <summary>The level whose scale range holds a mask's scale (the finest when several do), or −1: the "ground-truth
    /// size" choice of PointWSSIS Table 2.</summary>
    public static int LevelOfScale(SoloOptions options, byte[] mask)
    {
        ArgumentNullException.ThrowIfNull(options);
        var s = Measure(mask, options.InputSize);
        if (s.Area == 0) return -1;
        double scale = Math.Sqrt(s.BoxW * s.BoxH) / options.InputSize;
        for (int l = 0; l < options.Grids.Count; l++)
            if (scale >= options.ScaleRanges[l].Low && scale < options.ScaleRanges[l].High) return l;
        return options.Grids.Count - 1;
    }

    /// <summary>The grid cell that holds pixel (x, y) on a level of grid <paramref name="grid"/>.</summary>
    public static int CellOf(double x, double y, int size, int grid) =>
        Math.Clamp((int)(y / size * grid), 0, grid - 1) * grid + Math.Clamp((int)(x / size * grid), 0, grid - 1);

    /// <summary>The centre-region cells of an instance (see the type remarks).</summary>
    private static IEnumerable<int> CentreCells(MaskStats s, int size, int grid, double sigma)
    {
        double halfW = 0.5 * s.BoxW * sigma, halfH = 0.5 * s.BoxH * sigma;
        int ci = Math.Clamp((int)(s.CentreY / size * grid), 0, grid - 1), cj = Math.Clamp((int)(s.CentreX / size * grid), 0, grid - 1);
        int top = Math.Max(0, (int)((s.CentreY - halfH) / size * grid)), down = Math.Min(grid - 1, (int)((s.CentreY + halfH) / size * grid));
        int left = Math.Max(0, (int)((s.CentreX - halfW) / size * grid)), right = Math.Min(grid - 1, (int)((s.CentreX + halfW) / size * grid));
        top = Math.Max(top, ci - 1);
        down = Math.Min(down, ci + 1);
        left = Math.Max(left, cj - 1);
        right = Math.Min(right, cj + 1);
        for (int i = top; i <= down; i++)
            for (int j = left; j <= right; j++) yield return i * grid + j;
    }

    internal readonly record struct MaskStats(int Area, double CentreX, double CentreY, int BoxW, int BoxH);

    /// <summary>Area, centre of mass (pixel centres) and box size of a mask.</summary>
    internal static MaskStats Measure(byte[] mask, int size)
    {
        if (mask.Length != size * size) throw new ArgumentException($"SOLO target: mask has {mask.Length} pixels, expected {size}×{size}");
        long area = 0;
        double sx = 0, sy = 0;
        int x0 = size, y0 = size, x1 = -1, y1 = -1;
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
            {
                if (mask[y * size + x] == 0) continue;
                area++;
                sx += x + 0.5;
                sy += y + 0.5;
                x0 = Math.Min(x0, x);
                x1 = Math.Max(x1, x);
                y0 = Math.Min(y0, y);
                y1 = Math.Max(y1, y);
            }
        return area == 0 ? default : new MaskStats((int)area, sx / area, sy / area, x1 - x0 + 1, y1 - y0 + 1);
    }

    /// <summary>A mask at 1/<paramref name="factor"/> resolution as the covered fraction of each block (soft target).</summary>
    public static float[] Downsample(byte[] mask, int size, int factor)
    {
        ArgumentNullException.ThrowIfNull(mask);
        int small = size / factor;
        var result = new float[small * small];
        float inv = 1f / (factor * factor);
        for (int y = 0; y < size; y++)
            for (int x = 0; x < size; x++)
                if (mask[y * size + x] != 0) result[y / factor * small + x / factor] += inv;
        return result;
    }
}
