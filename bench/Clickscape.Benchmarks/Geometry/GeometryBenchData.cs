namespace Clickscape.Benchmarks.Geometry;

/// <summary>Deterministic inputs shaped like those of <c>/work/shared/perf-ref/cluster.py</c>.</summary>
internal static class GeometryBenchData
{
    /// <summary>
    /// A room-like mesh of <paramref name="nx"/> × <paramref name="ny"/> vertices (2 cm grid): a gently curved
    /// floor with raised blocks (furniture) and ±2 mm noise, two triangles per cell. 400 × 375 = 150 000 vertices.
    /// </summary>
    public static (float[] Positions, int[] Faces) RoomMesh(int nx = 400, int ny = 375, int seed = 1)
    {
        var rng = new Random(seed);
        var positions = new float[3 * nx * ny];
        for (int j = 0; j < ny; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                float x = i * 0.02f, y = j * 0.02f;
                float z = 0.05f * MathF.Sin(x * 3) * MathF.Cos(y * 2);
                if (((int)(x / 1.0f) + (int)(y / 1.3f)) % 3 == 0)
                    z += 0.5f;
                z += (float)(rng.NextDouble() - 0.5) * 0.004f;
                int v = j * nx + i;
                positions[3 * v] = x;
                positions[3 * v + 1] = y;
                positions[3 * v + 2] = z;
            }
        }
        var faces = new int[6 * (nx - 1) * (ny - 1)];
        int f = 0;
        for (int j = 0; j + 1 < ny; j++)
        {
            for (int i = 0; i + 1 < nx; i++)
            {
                int a = j * nx + i, b = a + 1, c = a + nx, d = c + 1;
                faces[f++] = a; faces[f++] = b; faces[f++] = d;
                faces[f++] = a; faces[f++] = d; faces[f++] = c;
            }
        }
        return (positions, faces);
    }

    /// <summary>Points on the surfaces of a 6 × 5 × 3 m room (floor, four walls) plus two boxes, in metres.</summary>
    public static float[] RoomSurfacePoints(int n, int seed)
    {
        var rng = new Random(seed);
        var p = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            float u = (float)rng.NextDouble(), v = (float)rng.NextDouble();
            (float x, float y, float z) = rng.Next(7) switch
            {
                0 => (6 * u, 5 * v, 0f),
                1 => (0f, 5 * u, 3 * v),
                2 => (6f, 5 * u, 3 * v),
                3 => (6 * u, 0f, 3 * v),
                4 => (6 * u, 5f, 3 * v),
                5 => (1 + u, 1 + v, 0.75f),          // table top
                _ => (4 + 0.5f * u, 3, 0.9f * v),   // cabinet front
            };
            p[3 * i] = x + (float)(rng.NextDouble() - 0.5) * 0.004f;
            p[3 * i + 1] = y + (float)(rng.NextDouble() - 0.5) * 0.004f;
            p[3 * i + 2] = z + (float)(rng.NextDouble() - 0.5) * 0.004f;
        }
        return p;
    }

    /// <summary><see cref="RoomSurfacePoints"/> scaled uniformly into the unit cube ((p − min) / max extent).</summary>
    public static float[] UnitCubeRoom(int n, int seed)
    {
        var p = RoomSurfacePoints(n, seed);
        float[] lo = [float.MaxValue, float.MaxValue, float.MaxValue], hi = [float.MinValue, float.MinValue, float.MinValue];
        for (int i = 0; i < p.Length; i++)
        {
            lo[i % 3] = Math.Min(lo[i % 3], p[i]);
            hi[i % 3] = Math.Max(hi[i % 3], p[i]);
        }
        float extent = Math.Max(hi[0] - lo[0], Math.Max(hi[1] - lo[1], hi[2] - lo[2]));
        for (int i = 0; i < p.Length; i++)
            p[i] = (p[i] - lo[i % 3]) / extent;
        return p;
    }

    /// <summary>
    /// cluster.py's feat19_100k: [room xyz | 16-d embedding], embeddings = one of 32 centres ~ N(0, 1.5²) plus
    /// N(0, 0.05²) noise; 32 seed rows drawn at random (cluster.py's init) and one clicked point per
    /// embedding cluster (ClickSeg's seeds).
    /// </summary>
    public static (float[] Features, int[] Seeds, int[] Clicks) Features19(int n = 100_000, int clusters = 32, int seed = 3)
    {
        var rng = new Random(seed);
        var xyz = RoomSurfacePoints(n, seed + 1);
        var centres = new float[clusters * 16];
        for (int i = 0; i < centres.Length; i++)
            centres[i] = 1.5f * Gaussian(rng);
        var f = new float[n * 19];
        var clicks = new int[clusters];
        Array.Fill(clicks, -1);
        for (int i = 0; i < n; i++)
        {
            int c = i < clusters ? i : rng.Next(clusters);
            if (clicks[c] < 0)
                clicks[c] = i;
            for (int d = 0; d < 3; d++)
                f[i * 19 + d] = xyz[3 * i + d];
            for (int d = 0; d < 16; d++)
                f[i * 19 + 3 + d] = centres[c * 16 + d] + 0.05f * Gaussian(rng);
        }
        var seeds = Enumerable.Range(0, n).OrderBy(_ => rng.Next()).Take(clusters).ToArray();
        return (f, seeds, clicks);
    }

    private static float Gaussian(Random rng) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
}
