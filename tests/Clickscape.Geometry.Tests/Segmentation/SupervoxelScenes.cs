namespace Clickscape.Geometry.Tests.Segmentation;

/// <summary>Small point clouds with known parts for the supervoxel tests.</summary>
internal static class SupervoxelScenes
{
    /// <summary>
    /// A 40 × 40 floor (z = 0, x &gt; 0) and a 40 × 40 wall (x = 0, z &gt; 0) at 1 cm spacing, interleaved (even
    /// points floor, odd wall); the floor's half x &lt; 0.2 is red, the rest and the wall grey.
    /// </summary>
    public static (float[] Positions, byte[] Colors) FloorAndWall()
    {
        var p = new List<float>();
        var c = new List<byte>();
        for (int i = 0; i < 40; i++)
        {
            for (int j = 0; j < 40; j++)
            {
                p.AddRange([i * 0.01f + 0.005f, j * 0.01f + 0.005f, 0]);
                c.AddRange(i < 20 ? [220, 40, 40] : new byte[] { 128, 128, 128 });
                p.AddRange([0, j * 0.01f + 0.005f, i * 0.01f + 0.005f]);
                c.AddRange([128, 128, 128]);
            }
        }
        return ([.. p], [.. c]);
    }

    /// <summary>Whether point <paramref name="i"/> of <see cref="FloorAndWall"/> is on the floor.</summary>
    public static bool OnFloor(int i) => i % 2 == 0;

    /// <summary>Whether floor point <paramref name="i"/> of <see cref="FloorAndWall"/> is red.</summary>
    public static bool Red(float[] positions, int i) => OnFloor(i) && positions[3 * i] < 0.2f;
}
