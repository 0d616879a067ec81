using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Interactive;

/// <summary>
/// A scene voxelized for the interactive networks (REFERENCE.md §5: 5 cm voxels, mean-pooled point features, logits
/// sliced back to points): the voxels of the positions shifted to start at the origin, the mean colour in [0, 1] and
/// the mean position (metres, the scene's own frame) of every voxel, and the point ↔ voxel maps. Click-independent,
/// built once per scene, immutable.
/// </summary>
public sealed class SceneVoxels
{
    /// <summary>Voxelizes <paramref name="positions"/> with colours <paramref name="colors"/> (0–255 per channel, null = grey).</summary>
    public SceneVoxels(ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors, float voxelSize)
    {
        if (positions.Length % 3 != 0 || positions.Length == 0) throw new ArgumentException($"positions hold {positions.Length} floats, expected x, y, z for at least one point", nameof(positions));
        int n = positions.Length / 3;
        if (!colors.IsEmpty && colors.Length != 3 * n) throw new ArgumentException($"colours hold {colors.Length} bytes for {n} points", nameof(colors));
        float x0 = float.PositiveInfinity, y0 = float.PositiveInfinity, z0 = float.PositiveInfinity;
        for (int i = 0; i < n; i++)
        {
            x0 = MathF.Min(x0, positions[3 * i]);
            y0 = MathF.Min(y0, positions[3 * i + 1]);
            z0 = MathF.Min(z0, positions[3 * i + 2]);
        }
        var shifted = new float[3 * n];
        var features = new float[6 * n];
        for (int i = 0; i < n; i++)
        {
            shifted[3 * i] = positions[3 * i] - x0;
            shifted[3 * i + 1] = positions[3 * i + 1] - y0;
            shifted[3 * i + 2] = positions[3 * i + 2] - z0;
            for (int c = 0; c < 3; c++)
            {
                features[6 * i + c] = colors.IsEmpty ? 0.5f : colors[3 * i + c] / 255f;
                features[6 * i + 3 + c] = positions[3 * i + c];
            }
        }
        var v = Voxelizer.Voxelize(shifted, features, 6, voxelSize);
        Coords = v.Coords;
        PointToVoxel = v.PointToVoxel;
        VoxelPointStart = v.VoxelPointStart;
        VoxelPoints = v.VoxelPoints;
        int voxels = v.Coords.Count;
        Colors = new float[3 * voxels];
        Centres = new float[3 * voxels];
        for (int j = 0; j < voxels; j++)
        {
            for (int c = 0; c < 3; c++)
            {
                Colors[3 * j + c] = v.Features[6 * j + c];
                Centres[3 * j + c] = v.Features[6 * j + 3 + c];
            }
        }
        VoxelSize = voxelSize;
    }

    /// <summary>Voxel edge, metres.</summary>
    public float VoxelSize { get; }

    /// <summary>The voxels (batch 0).</summary>
    public SparseCoords Coords { get; }

    /// <summary>Voxels V.</summary>
    public int VoxelCount => Coords.Count;

    /// <summary>Points N.</summary>
    public int PointCount => PointToVoxel.Length;

    /// <summary>Voxel row of every point.</summary>
    public int[] PointToVoxel { get; }

    /// <summary>Points of voxel v are <see cref="VoxelPoints"/>[VoxelPointStart[v] .. VoxelPointStart[v + 1]).</summary>
    public int[] VoxelPointStart { get; }

    /// <summary>Point indices grouped by voxel.</summary>
    public int[] VoxelPoints { get; }

    /// <summary>Mean r, g, b in [0, 1] per voxel.</summary>
    public float[] Colors { get; }

    /// <summary>Mean x, y, z per voxel (metres, the scene's frame).</summary>
    public float[] Centres { get; }

    /// <summary>
    /// The input of <see cref="InteractiveNet"/>, V × 5: the voxel's mean colour and the mean of the click channels
    /// <paramref name="positive"/>, <paramref name="negative"/> (one value per point) over its points.
    /// </summary>
    public float[] NetworkInput(float[] positive, float[] negative)
    {
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(negative);
        if (positive.Length != PointCount || negative.Length != PointCount) throw new ArgumentException($"click channels hold {positive.Length} / {negative.Length} values for {PointCount} points");
        var input = new float[VoxelCount * InteractiveNet.InputChannels];
        for (int j = 0; j < VoxelCount; j++)
        {
            int p0 = VoxelPointStart[j], p1 = VoxelPointStart[j + 1];
            float tp = 0, tn = 0;
            for (int q = p0; q < p1; q++)
            {
                tp += positive[VoxelPoints[q]];
                tn += negative[VoxelPoints[q]];
            }
            int o = InteractiveNet.InputChannels * j;
            input[o] = Colors[3 * j];
            input[o + 1] = Colors[3 * j + 1];
            input[o + 2] = Colors[3 * j + 2];
            input[o + 3] = tp / (p1 - p0);
            input[o + 4] = tn / (p1 - p0);
        }
        return input;
    }
}
