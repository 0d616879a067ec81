namespace Clickscape.Benchmarks.Tensors;

/// <summary>
/// A synthetic indoor room for the sparse benchmarks, the same geometry as the PyTorch reference's
/// <c>room_scene()</c> (perf-ref/refcommon.py): a 4.0 × 3.5 m room with 2.5 m walls, floor + 4 walls + bed,
/// cabinet, desk, two chairs, round table, bookshelf, trash can and sofa, surfaces sampled uniformly at
/// 1 point / cm², 2 mm Gaussian noise, rotated 0.3 rad about z and shifted so surfaces are not grid-aligned.
/// Our own sampler (seeded System.Random), so the point set differs from the reference's, but the voxel count at
/// 2 cm lands in the same range (reference: 236 144 voxels; ours is printed by the benchmark's setup).
/// </summary>
public static class SparseRoomScene
{
    /// <summary>Row-major N × 3 points in metres.</summary>
    public static float[] Points(int seed = 0, double density = 1.0e4, double noise = 0.002)
    {
        var rng = new Random(seed);
        var p = new List<(double X, double Y, double Z)>();
        const double lx = 4.0, ly = 3.5, h = 2.5;

        int Count(double area)
        {
            // Poisson-ish count: the mean with a uniform fractional rounding is enough for a benchmark scene.
            double mean = area * density;
            return (int)Math.Floor(mean + rng.NextDouble());
        }

        void Rect((double, double, double) o, (double, double, double) u, (double, double, double) v)
        {
            var (cx, cy, cz) = (u.Item2 * v.Item3 - u.Item3 * v.Item2, u.Item3 * v.Item1 - u.Item1 * v.Item3, u.Item1 * v.Item2 - u.Item2 * v.Item1);
            int n = Count(Math.Sqrt(cx * cx + cy * cy + cz * cz));
            for (int i = 0; i < n; i++)
            {
                double s = rng.NextDouble(), t = rng.NextDouble();
                p.Add((o.Item1 + s * u.Item1 + t * v.Item1, o.Item2 + s * u.Item2 + t * v.Item2, o.Item3 + s * u.Item3 + t * v.Item3));
            }
        }

        void Box((double X, double Y, double Z) lo, (double X, double Y, double Z) hi, bool bottom = false)
        {
            double dx = hi.X - lo.X, dy = hi.Y - lo.Y, dz = hi.Z - lo.Z;
            Rect((lo.X, lo.Y, hi.Z), (dx, 0, 0), (0, dy, 0));
            if (bottom) Rect((lo.X, lo.Y, lo.Z), (dx, 0, 0), (0, dy, 0));
            Rect((lo.X, lo.Y, lo.Z), (0, dy, 0), (0, 0, dz));
            Rect((hi.X, lo.Y, lo.Z), (0, dy, 0), (0, 0, dz));
            Rect((lo.X, lo.Y, lo.Z), (dx, 0, 0), (0, 0, dz));
            Rect((lo.X, hi.Y, lo.Z), (dx, 0, 0), (0, 0, dz));
        }

        void Cylinder(double cx, double cy, double r, double z0, double z1, bool top = true)
        {
            int n = Count(2 * Math.PI * r * (z1 - z0));
            for (int i = 0; i < n; i++)
            {
                double a = rng.NextDouble() * 2 * Math.PI;
                p.Add((cx + r * Math.Cos(a), cy + r * Math.Sin(a), z0 + rng.NextDouble() * (z1 - z0)));
            }
            if (!top) return;
            n = Count(Math.PI * r * r);
            for (int i = 0; i < n; i++)
            {
                double a = rng.NextDouble() * 2 * Math.PI, rr = r * Math.Sqrt(rng.NextDouble());
                p.Add((cx + rr * Math.Cos(a), cy + rr * Math.Sin(a), z1));
            }
        }

        Rect((0, 0, 0), (lx, 0, 0), (0, ly, 0));
        Rect((0, 0, 0), (lx, 0, 0), (0, 0, h));
        Rect((0, ly, 0), (lx, 0, 0), (0, 0, h));
        Rect((0, 0, 0), (0, ly, 0), (0, 0, h));
        Rect((lx, 0, 0), (0, ly, 0), (0, 0, h));
        Box((0.05, 0.05, 0.0), (2.05, 1.65, 0.55));                       // bed
        Box((3.40, 0.05, 0.0), (3.95, 1.00, 1.80));                       // cabinet
        Box((2.60, 2.80, 0.72), (3.90, 3.45, 0.75), bottom: true);        // desk top
        foreach (var (x, y) in new[] { (2.65, 2.85), (3.85, 2.85), (2.65, 3.40), (3.85, 3.40) }) Cylinder(x, y, 0.025, 0.0, 0.72, top: false);
        foreach (var (cx, cy) in new[] { (3.10, 2.40), (1.20, 1.95) })    // chairs
        {
            Box((cx - 0.22, cy - 0.22, 0.43), (cx + 0.22, cy + 0.22, 0.47), bottom: true);
            double by = cy - 0.22;
            Box((cx - 0.22, by - 0.03, 0.47), (cx + 0.22, by, 0.92));
            foreach (var (x, y) in new[] { (cx - 0.2, cy - 0.2), (cx + 0.2, cy - 0.2), (cx - 0.2, cy + 0.2), (cx + 0.2, cy + 0.2) }) Cylinder(x, y, 0.015, 0.0, 0.43, top: false);
        }
        Cylinder(1.20, 2.60, 0.40, 0.70, 0.73);                           // round table
        Cylinder(1.20, 2.60, 0.05, 0.0, 0.70, top: false);
        Box((0.05, 2.30, 0.0), (0.40, 3.40, 2.00));                       // bookshelf
        Cylinder(2.35, 3.20, 0.15, 0.0, 0.40);                            // trash can
        Box((2.30, 0.05, 0.0), (3.20, 0.95, 0.45));                       // sofa
        Box((2.30, 0.05, 0.45), (3.20, 0.25, 0.85));

        double c = Math.Cos(0.3), s = Math.Sin(0.3);
        var result = new float[3 * p.Count];
        for (int i = 0; i < p.Count; i++)
        {
            double x = p[i].X + Gaussian(rng) * noise, y = p[i].Y + Gaussian(rng) * noise, z = p[i].Z + Gaussian(rng) * noise;
            result[3 * i] = (float)(c * x - s * y + 0.0137);
            result[3 * i + 1] = (float)(s * x + c * y + 0.0071);
            result[3 * i + 2] = (float)(z + 0.0093);
        }
        return result;
    }

    private static double Gaussian(Random rng)
    {
        double u = 1.0 - rng.NextDouble(), v = rng.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
