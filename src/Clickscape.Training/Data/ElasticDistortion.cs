using Clickscape.Training.Randomness;

namespace Clickscape.Training.Data;

/// <summary>
/// Elastic distortion of a point cloud (Simard et al., ICDAR 2003, in 3D as PointGroup's <c>elastic</c>
/// [PG:data/scannetv2_inst.py]): three fields of N(0, 1) noise on a grid of spacing 2·granularity covering
/// ±(b − 1)·granularity with b = ⌊max|x| / granularity⌋ + 3 cells per axis, each smoothed by three passes of a
/// normalized 3-tap box filter along every axis (scipy.ndimage.convolve, mode "reflect"), then sampled trilinearly
/// at every point (zero outside the grid) and added to it times the magnitude.
/// </summary>
/// <remarks>PointGroup states granularity and magnitude in voxel units at 2 cm (6, 40) and (20, 160); here they
/// are metres ((0.12, 0.8) and (0.4, 3.2)), so the distortion does not change with the voxel size.</remarks>
public static class ElasticDistortion
{
    /// <summary>Distorts <paramref name="points"/> (x, y, z per point) in place.</summary>
    public static void Apply(Span<float> points, float granularity, float magnitude, Xoshiro256 rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(granularity > 0)) throw new ArgumentOutOfRangeException(nameof(granularity), granularity, "elastic distortion: granularity must be > 0");
        var max = new float[3];
        for (int i = 0; i < points.Length; i++) max[i % 3] = MathF.Max(max[i % 3], MathF.Abs(points[i]));
        int bx = (int)(max[0] / granularity) + 3, by = (int)(max[1] / granularity) + 3, bz = (int)(max[2] / granularity) + 3;
        var fields = new float[3][];
        for (int f = 0; f < 3; f++)
        {
            var noise = new float[bx * by * bz];
            for (int i = 0; i < noise.Length; i++) noise[i] = (float)rng.NextNormal();
            for (int pass = 0; pass < 3; pass++)
            {
                noise = Blur(noise, bx, by, bz, axis: 0);
                noise = Blur(noise, bx, by, bz, axis: 1);
                noise = Blur(noise, bx, by, bz, axis: 2);
            }
            fields[f] = noise;
        }
        // grid node k of an axis with b nodes sits at −(b − 1)·g + k·2g
        float spacing = 2 * granularity;
        for (int p = 0; p < points.Length; p += 3)
        {
            float gx = (points[p] + (bx - 1) * granularity) / spacing;
            float gy = (points[p + 1] + (by - 1) * granularity) / spacing;
            float gz = (points[p + 2] + (bz - 1) * granularity) / spacing;
            for (int f = 0; f < 3; f++)
                points[p + f] += magnitude * Trilinear(fields[f], bx, by, bz, gx, gy, gz);
        }
    }

    /// <summary>One pass of the normalized box [⅓, ⅓, ⅓] along <paramref name="axis"/>, scipy's "reflect" border (d c b a | a b c d).</summary>
    private static float[] Blur(float[] grid, int bx, int by, int bz, int axis)
    {
        var result = new float[grid.Length];
        int n = axis == 0 ? bx : axis == 1 ? by : bz;
        int stride = axis == 0 ? by * bz : axis == 1 ? bz : 1;
        for (int x = 0; x < bx; x++)
            for (int y = 0; y < by; y++)
                for (int z = 0; z < bz; z++)
                {
                    int i = (x * by + y) * bz + z;
                    int k = axis == 0 ? x : axis == 1 ? y : z;
                    int lo = k == 0 ? 0 : k - 1, hi = k == n - 1 ? n - 1 : k + 1;
                    result[i] = (grid[i + (lo - k) * stride] + grid[i] + grid[i + (hi - k) * stride]) / 3f;
                }
        return result;
    }

    /// <summary>Trilinear interpolation at fractional grid position (gx, gy, gz); 0 outside the grid (scipy's fill_value 0).</summary>
    private static float Trilinear(float[] grid, int bx, int by, int bz, float gx, float gy, float gz)
    {
        if (gx < 0 || gy < 0 || gz < 0 || gx > bx - 1 || gy > by - 1 || gz > bz - 1) return 0f;
        int x0 = Math.Min((int)gx, bx - 2), y0 = Math.Min((int)gy, by - 2), z0 = Math.Min((int)gz, bz - 2);
        float fx = gx - x0, fy = gy - y0, fz = gz - z0;
        float Value(int dx, int dy, int dz) => grid[((x0 + dx) * by + y0 + dy) * bz + z0 + dz];
        float c00 = Value(0, 0, 0) * (1 - fz) + Value(0, 0, 1) * fz;
        float c01 = Value(0, 1, 0) * (1 - fz) + Value(0, 1, 1) * fz;
        float c10 = Value(1, 0, 0) * (1 - fz) + Value(1, 0, 1) * fz;
        float c11 = Value(1, 1, 0) * (1 - fz) + Value(1, 1, 1) * fz;
        float c0 = c00 * (1 - fy) + c01 * fy, c1 = c10 * (1 - fy) + c11 * fy;
        return c0 * (1 - fx) + c1 * fx;
    }
}
