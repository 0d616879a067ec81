using System.Numerics;
using Clickscape.Data.Synthetic.Meshing;

namespace Clickscape.Data.Synthetic.Scenes;

/// <summary>
/// The colour a scanner records at a surface point: the part's albedo modulated by its material's texture, lit by
/// an ambient term plus diffuse point lights with inverse-square-like falloff (Lambert), a slow lighting gradient
/// across the room, the exposure of the camera that saw the point (real scans show seams where exposure changed),
/// and per-point sensor noise.
/// </summary>
public sealed class SurfaceShading
{
    private readonly IReadOnlyList<Vector3> _lights;
    private readonly float[] _exposure;
    private readonly Vector3 _gradient;
    private readonly uint _seed;

    /// <summary>Shading for a room lit by <paramref name="lights"/> and scanned by <paramref name="cameras"/> cameras.</summary>
    public SurfaceShading(IReadOnlyList<Vector3> lights, int cameras, SynthRandom rng)
    {
        _lights = lights;
        _exposure = Enumerable.Range(0, cameras).Select(_ => rng.Uniform(0.88f, 1.12f)).ToArray();
        float a = rng.Uniform(0, 2 * MathF.PI);
        _gradient = new Vector3(MathF.Cos(a), MathF.Sin(a), 0) * rng.Uniform(0.02f, 0.08f);
        _seed = (uint)rng.NextUInt64();
    }

    /// <summary>The recorded colour (0..1 per channel, before noise) of a point of part <paramref name="tag"/>.</summary>
    public Vector3 Shade(Vector3 p, Vector3 n, Vector3 albedo, Material material, int tag, int camera)
    {
        float texture = Texture(p, material, (uint)tag);
        float light = 0.42f;
        foreach (var l in _lights)
        {
            var d = l - p;
            float dist2 = d.LengthSquared();
            float lambert = MathF.Max(0, Vector3.Dot(n, d) / MathF.Sqrt(dist2 + 1e-6f));
            light += 0.4f * lambert / (1 + 0.15f * dist2) + 0.04f;
        }
        light *= 1 + Vector3.Dot(_gradient, p);
        float exposure = camera >= 0 && camera < _exposure.Length ? _exposure[camera] : 1;
        return albedo * (texture * light * exposure);
    }

    private float Texture(Vector3 p, Material material, uint tag)
    {
        uint seed = _seed ^ (tag * 0x9E3779B1u);
        switch (material)
        {
            case Material.Wood:
            {
                // Grain: stripes along a per-part direction, bent by low-frequency noise.
                float a = LatticeNoise.Lattice((int)tag, 1, 2, _seed) * MathF.PI;
                var dir = new Vector3(MathF.Cos(a), MathF.Sin(a), 0.3f);
                return 1 + 0.1f * MathF.Sin(70 * Vector3.Dot(p, dir) + 5 * LatticeNoise.Sample(p, 4, seed));
            }
            case Material.Fabric:
                return 1 + 0.07f * LatticeNoise.Sample(p, 30, seed) + 0.04f * LatticeNoise.Sample(p, 120, seed + 1);
            case Material.Carpet:
                return 1 + 0.1f * LatticeNoise.Sample(p, 50, seed) + 0.06f * LatticeNoise.Sample(p, 200, seed + 1);
            case Material.Metal:
                return 0.95f + 0.08f * LatticeNoise.Sample(p, 6, seed);
            case Material.Glass:
                return 0.75f + 0.35f * LatticeNoise.Sample(p, 2, seed);
            case Material.Tiles:
            {
                float size = 0.3f + 0.3f * (0.5f + 0.5f * LatticeNoise.Lattice((int)tag, 7, 7, _seed));
                float u = p.X / size, v = p.Y / size;
                float fu = u - MathF.Floor(u), fv = v - MathF.Floor(v);
                if (fu < 0.04f || fv < 0.04f) return 0.55f;
                return 1 + 0.08f * LatticeNoise.Lattice((int)MathF.Floor(u), (int)MathF.Floor(v), 0, seed);
            }
            case Material.Planks:
            {
                float width = 0.12f + 0.08f * (0.5f + 0.5f * LatticeNoise.Lattice((int)tag, 3, 3, _seed));
                float v = p.Y / width;
                int plank = (int)MathF.Floor(v);
                float shade = 1 + 0.12f * LatticeNoise.Lattice(plank, 0, 0, seed);
                float fv = v - plank;
                if (fv < 0.04f) shade *= 0.7f;
                return shade * (1 + 0.06f * MathF.Sin(90 * p.X + 4 * LatticeNoise.Sample(p, 3, seed)));
            }
            case Material.Paint:
                return 1 + 0.03f * LatticeNoise.Sample(p, 1.5f, seed);
            default:
                return 1 + 0.02f * LatticeNoise.Sample(p, 8, seed);
        }
    }
}
