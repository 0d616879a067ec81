using System.Runtime.InteropServices;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Studio.Scenes;

/// <summary>
/// Level of detail for large scans: level 0 is a voxel subsample (one point per occupied voxel,
/// <see cref="VoxelGrid.FirstPointOfEachVoxel"/>) of about <c>target</c> points, drawn first; the full resolution
/// (<c>/points</c>, every point in scene order) streams after it and replaces it. The voxel edge is found by a few
/// secant steps on "occupied voxels ∝ edge⁻²" (a scan is a surface), stopping within 15 % of the target.
/// </summary>
public static class PointLevels
{
    /// <summary>
    /// The level-0 points of <paramref name="scene"/> as one little-endian buffer: uint32 n (all points), uint32 m,
    /// uint32 index × m (into the scene's points), float32 x y z × m, uint8 r g b × m.
    /// </summary>
    public static byte[] Preview(Scene scene, int target)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentOutOfRangeException.ThrowIfLessThan(target, 1);
        int n = scene.PointCount;
        int[] keep = n <= target ? [.. Enumerable.Range(0, n)] : Subsample(scene, target);
        int m = keep.Length;
        var bytes = new byte[8 + 4 * m + 12 * m + 3 * m];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 4), (uint)n);
        BitConverter.TryWriteBytes(bytes.AsSpan(4, 4), (uint)m);
        MemoryMarshal.AsBytes(keep.AsSpan()).CopyTo(bytes.AsSpan(8));
        var xyz = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(8 + 4 * m, 12 * m));
        var rgb = bytes.AsSpan(8 + 16 * m, 3 * m);
        for (int k = 0; k < m; k++)
        {
            int p = keep[k];
            xyz[3 * k] = scene.Positions[3 * p];
            xyz[3 * k + 1] = scene.Positions[3 * p + 1];
            xyz[3 * k + 2] = scene.Positions[3 * p + 2];
            if (scene.Colors is { } c)
            {
                rgb[3 * k] = c[3 * p];
                rgb[3 * k + 1] = c[3 * p + 1];
                rgb[3 * k + 2] = c[3 * p + 2];
            }
            else
            {
                rgb.Slice(3 * k, 3).Fill(180);
            }
        }
        return bytes;
    }

    private static int[] Subsample(Scene scene, int target)
    {
        var (min, max) = scene.Bounds();
        var extent = max - min;
        // start from the edge that would tile the bounding box's floor and walls with `target` cells
        double area = 2 * (extent.X * extent.Y + extent.X * extent.Z + extent.Y * extent.Z);
        double edge = Math.Max(1e-4, Math.Sqrt(Math.Max(area, 1e-6) / target));
        int[] best = [];
        for (int step = 0; step < 6; step++)
        {
            var grid = VoxelGrid.Build(scene.Positions, (float)edge);
            var keep = grid.FirstPointOfEachVoxel();
            Array.Sort(keep);
            if (keep.Length <= target * 1.15 || best.Length == 0 || keep.Length < best.Length) best = keep;
            if (Math.Abs(keep.Length - target) <= 0.15 * target) break;
            edge *= Math.Sqrt((double)keep.Length / target);
        }
        return best.Length <= target * 1.15 ? best : [.. Enumerable.Range(0, target).Select(i => best[(int)((long)i * best.Length / target)])];
    }
}
