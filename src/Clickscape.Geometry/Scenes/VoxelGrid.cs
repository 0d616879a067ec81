namespace Clickscape.Geometry.Scenes;

/// <summary>
/// Points grouped into cubic voxels: integer voxel coordinates (floor(p / size)) in first-seen order and the
/// voxel of every point. The cheap, geometry-side voxelization (sub-sampling, click regions, rendering);
/// the engine's sparse tensors have their own with feature pooling.
/// </summary>
public sealed class VoxelGrid
{
    private VoxelGrid(float voxelSize, int[] coords, int[] pointToVoxel)
    {
        VoxelSize = voxelSize;
        Coords = coords;
        PointToVoxel = pointToVoxel;
    }

    /// <summary>Voxel edge length.</summary>
    public float VoxelSize { get; }

    /// <summary>x, y, z integer coordinates per voxel.</summary>
    public int[] Coords { get; }

    /// <summary>The voxel index of every point.</summary>
    public int[] PointToVoxel { get; }

    /// <summary>Number of occupied voxels.</summary>
    public int VoxelCount => Coords.Length / 3;

    /// <summary>Index of the first point of every voxel (a one-point-per-voxel subsample).</summary>
    public int[] FirstPointOfEachVoxel()
    {
        var first = new int[VoxelCount];
        Array.Fill(first, -1);
        for (int i = 0; i < PointToVoxel.Length; i++)
        {
            ref int f = ref first[PointToVoxel[i]];
            if (f < 0) f = i;
        }
        return first;
    }

    /// <summary>Voxelizes interleaved xyz positions.</summary>
    public static VoxelGrid Build(ReadOnlySpan<float> positions, float voxelSize)
    {
        if (!(voxelSize > 0) || !float.IsFinite(voxelSize))
            throw new ArgumentOutOfRangeException(nameof(voxelSize), voxelSize, "voxel size must be a positive finite number");
        int n = positions.Length / 3;
        var pointToVoxel = new int[n];
        var index = new Dictionary<long, int>(capacity: Math.Min(n, 1 << 20));
        var coords = new List<int>();
        float inv = 1f / voxelSize;
        for (int i = 0; i < n; i++)
        {
            int x = (int)MathF.Floor(positions[3 * i] * inv);
            int y = (int)MathF.Floor(positions[3 * i + 1] * inv);
            int z = (int)MathF.Floor(positions[3 * i + 2] * inv);
            // 21 bits per axis with an offset covers ±1 048 575 voxels (±10 km at 1 cm).
            long key = ((long)(x + (1 << 20)) << 42) | ((long)(y + (1 << 20)) << 21) | (long)(z + (1 << 20));
            if (!index.TryGetValue(key, out int v))
            {
                v = index.Count;
                index.Add(key, v);
                coords.Add(x);
                coords.Add(y);
                coords.Add(z);
            }
            pointToVoxel[i] = v;
        }
        return new VoxelGrid(voxelSize, coords.ToArray(), pointToVoxel);
    }
}
