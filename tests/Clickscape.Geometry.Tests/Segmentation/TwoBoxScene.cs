namespace Clickscape.Geometry.Tests.Segmentation;

/// <summary>
/// A generated scene with known parts: a grey floor (z = 0) with a red and a blue box (30 cm cubes) standing on it side
/// by side, touching (their shared face is hidden, so their fronts, backs and tops meet in one plane and only colour
/// tells them apart), every visible surface sampled on a 2 cm grid with a seeded jitter of ±2 mm, with each face's exact outward normal.
/// </summary>
internal static class TwoBoxScene
{
    /// <summary>Part ids: 0 floor, 1 red box, 2 blue box.</summary>
    public static (float[] Positions, byte[] Colors, int[] Parts, float[] Normals) Create(int seed = 5)
    {
        var rng = new Random(seed);
        var p = new List<float>();
        var c = new List<byte>();
        var parts = new List<int>();
        var normals = new List<float>();
        float J() => (float)(rng.NextDouble() - 0.5) * 0.004f;
        void Add(float x, float y, float z, int part, float nx, float ny, float nz)
        {
            normals.AddRange([nx, ny, nz]);
            p.AddRange([x + J(), y + J(), z + J()]);
            c.AddRange(part switch { 0 => [120, 120, 120], 1 => [200, 40, 40], _ => new byte[] { 40, 60, 200 } });
            parts.Add(part);
        }
        (float X0, float X1)[] boxes = [(0.10f, 0.40f), (0.40f, 0.70f)];
        const float Y0 = 0.10f, Y1 = 0.40f, H = 0.30f, S = 0.02f;
        for (float x = 0; x <= 0.9f; x += S)
        {
            for (float y = 0; y <= 0.5f; y += S)
            {
                if (y > Y0 - 0.005f && y < Y1 + 0.005f && boxes.Any(b => x > b.X0 - 0.005f && x < b.X1 + 0.005f))
                    continue; // under a box
                Add(x, y, 0, 0, 0, 0, 1);
            }
        }
        for (int b = 0; b < 2; b++)
        {
            var (x0, x1) = boxes[b];
            for (float u = 0; u <= 0.3001f; u += S)
            {
                for (float v = S; v <= H + 0.0001f; v += S)
                {
                    if (u < 0.3f - 0.001f || b == 1) // the red box's last column is the blue box's first
                    {
                        Add(x0 + u, Y0, v, b + 1, 0, -1, 0);  // front
                        Add(x0 + u, Y1, v, b + 1, 0, 1, 0);   // back
                    }
                    if (b == 0)
                        Add(x0, Y0 + u, v, b + 1, -1, 0, 0);  // left (the red box's right face is the hidden contact)
                    else
                        Add(x1, Y0 + u, v, b + 1, 1, 0, 0);   // right
                }
                for (float w = S; w < 0.3f; w += S)
                {
                    if (u < 0.3f - 0.001f || b == 1)
                        Add(x0 + u, Y0 + w, H, b + 1, 0, 0, 1); // top
                }
            }
        }
        return ([.. p], [.. c], [.. parts], [.. normals]);
    }

    /// <summary>Segments that hold points of more than one part.</summary>
    public static int Straddling(int[] segments, int[] parts) =>
        segments.Select((s, i) => (s, parts[i])).Distinct().GroupBy(t => t.s).Count(g => g.Count() > 1);

    /// <summary>Points not of their segment's majority part.</summary>
    public static int Impure(int[] segments, int[] parts) =>
        segments.Select((s, i) => (s, parts[i])).GroupBy(t => t.s).Sum(g => g.Count() - g.GroupBy(t => t.Item2).Max(h => h.Count()));
}
