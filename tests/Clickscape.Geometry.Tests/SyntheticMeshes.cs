namespace Clickscape.Geometry.Tests;

/// <summary>Small deterministic meshes and clouds for the tests.</summary>
internal static class SyntheticMeshes
{
    /// <summary>
    /// A grid of <paramref name="nx"/> × <paramref name="ny"/> vertices (2 cm spacing) on a bumpy height field
    /// with raised boxes and uniform noise of ± <paramref name="noise"/>/2, two triangles per cell.
    /// </summary>
    public static (float[] Positions, int[] Faces) BumpyGrid(int nx, int ny, int seed, float noise = 0.004f)
    {
        var rng = new Random(seed);
        var positions = new float[3 * nx * ny];
        for (int j = 0; j < ny; j++)
        {
            for (int i = 0; i < nx; i++)
            {
                float x = i * 0.02f, y = j * 0.02f;
                float z = 0.05f * MathF.Sin(x * 3) * MathF.Cos(y * 2);
                if (((int)(x / 0.3f) + (int)(y / 0.4f)) % 3 == 0)
                    z += 0.2f;
                z += (float)(rng.NextDouble() - 0.5) * noise;
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

    /// <summary>Canonical form of a partition: each element mapped to the first element of its part.</summary>
    public static int[] Canonical(int[] labels)
    {
        var first = new Dictionary<int, int>();
        var result = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (!first.TryGetValue(labels[i], out int f))
                first[labels[i]] = f = i;
            result[i] = f;
        }
        return result;
    }
}
