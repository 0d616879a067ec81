using System.Numerics;

namespace Clickscape.Data.Synthetic.Meshing;

/// <summary>
/// Smooth 3D value noise (Perlin's "lattice noise", Perlin 1985): random values at the integer lattice, blended
/// with a smoothstep weight. Stateless and hash-based, so a surface's texture depends only on where a point is.
/// </summary>
public static class LatticeNoise
{
    /// <summary>Noise in [−1, 1] at <paramref name="p"/> scaled by <paramref name="frequency"/> (lattice cells per metre).</summary>
    public static float Sample(Vector3 p, float frequency, uint seed)
    {
        var q = p * frequency;
        float fx = MathF.Floor(q.X), fy = MathF.Floor(q.Y), fz = MathF.Floor(q.Z);
        int x = (int)fx, y = (int)fy, z = (int)fz;
        float tx = Smooth(q.X - fx), ty = Smooth(q.Y - fy), tz = Smooth(q.Z - fz);
        float c000 = Lattice(x, y, z, seed), c100 = Lattice(x + 1, y, z, seed), c010 = Lattice(x, y + 1, z, seed), c110 = Lattice(x + 1, y + 1, z, seed);
        float c001 = Lattice(x, y, z + 1, seed), c101 = Lattice(x + 1, y, z + 1, seed), c011 = Lattice(x, y + 1, z + 1, seed), c111 = Lattice(x + 1, y + 1, z + 1, seed);
        float a = Lerp(Lerp(c000, c100, tx), Lerp(c010, c110, tx), ty);
        float b = Lerp(Lerp(c001, c101, tx), Lerp(c011, c111, tx), ty);
        return Lerp(a, b, tz);
    }

    /// <summary>A hash of three integers and a seed, uniform in [−1, 1].</summary>
    public static float Lattice(int x, int y, int z, uint seed)
    {
        uint h = seed ^ 0x9E3779B9u;
        h = Mix(h ^ (uint)x * 0x85EBCA6Bu);
        h = Mix(h ^ (uint)y * 0xC2B2AE35u);
        h = Mix(h ^ (uint)z * 0x27D4EB2Fu);
        return h * (2f / uint.MaxValue) - 1f;
    }

    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x7FEB352Du;
        h ^= h >> 15;
        h *= 0x846CA68Bu;
        return h ^ (h >> 16);
    }

    private static float Smooth(float t) => t * t * (3 - 2 * t);

    private static float Lerp(float a, float b, float t) => a + (b - a) * t;
}
