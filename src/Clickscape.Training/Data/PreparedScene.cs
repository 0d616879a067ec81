using Clickscape.Data;
using Clickscape.Data.Classes;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Training.Data;

/// <summary>
/// One scene after PointGroup's preprocessing [PG:dataset/scannetv2/prepare_data_inst.py] (REFERENCE.md §2):
/// positions minus the scene mean, colours rgb/127.5 − 1, labels restricted to the 20 ScanNet semantic classes
/// (others <see cref="Labels.Unlabelled"/>), instances only on points of the 18 instance classes; plus its
/// un-augmented voxelization (the one inference uses). Plain arrays only, so a loader thread can make it.
/// </summary>
/// <param name="Name">Scene id.</param>
/// <param name="Positions">x, y, z per point, centred on the scene mean (metres).</param>
/// <param name="Colors">r, g, b per point in [−1, 1] (0 when the scene has no colours).</param>
/// <param name="Semantic">nyu40 id per point, one of the 20 benchmark classes or <see cref="Labels.Unlabelled"/>.</param>
/// <param name="Instance">Instance id 1..K per point (<see cref="Labels.NoInstance"/> for stuff and unlabelled points).</param>
/// <param name="VoxelSize">Edge of the voxels below, metres.</param>
/// <param name="VoxelCoords">Voxels, V × 4 (batch 0, x, y, z), from floor((p − min) / voxel).</param>
/// <param name="PointToVoxel">Voxel row of every point (devoxelization map).</param>
public sealed record PreparedScene(string Name, float[] Positions, float[] Colors, int[] Semantic, int[] Instance,
    float VoxelSize, int[] VoxelCoords, int[] PointToVoxel)
{
    /// <summary>Input channels of every sample: r, g, b, x, y, z.</summary>
    public const int Channels = 6;

    /// <summary>Points N.</summary>
    public int PointCount => PointToVoxel.Length;

    /// <summary>Voxels V.</summary>
    public int VoxelCount => VoxelCoords.Length / 4;

    /// <summary>
    /// The network input of inference: per voxel the mean r, g, b, x, y, z of its points (V × <see cref="Channels"/>,
    /// row-major), and each voxel's point count — what training's collation computes for an un-augmented sample.
    /// </summary>
    public (float[] Features, int[] Counts) VoxelMeans()
    {
        int n = PointCount, v = VoxelCount;
        var sum = new double[(long)v * Channels];
        var counts = new int[v];
        for (int i = 0; i < n; i++)
        {
            int j = PointToVoxel[i];
            counts[j]++;
            for (int c = 0; c < 3; c++)
            {
                sum[j * Channels + c] += Colors[3 * i + c];
                sum[j * Channels + 3 + c] += Positions[3 * i + c];
            }
        }
        var features = new float[sum.Length];
        for (int j = 0; j < v; j++)
            for (int c = 0; c < Channels; c++) features[j * Channels + c] = (float)(sum[j * Channels + c] / counts[j]);
        return (features, counts);
    }

    /// <summary>Per-vertex ScanNet ground truth <c>label·1000 + instance</c> (0 = not an instance of the 18 classes), as the evaluation reads it.</summary>
    public int[] InstanceGroundTruth()
    {
        var gt = new int[PointCount];
        for (int i = 0; i < gt.Length; i++) gt[i] = Instance[i] > 0 ? Semantic[i] * 1000 + Instance[i] : 0;
        return gt;
    }

    /// <summary>Loads <paramref name="source"/>, takes labels from the scene or from <paramref name="labels"/>, and prepares it.</summary>
    public static PreparedScene Prepare(SceneSource source, PseudoLabelFolder? labels, float voxelSize, bool requireLabels)
    {
        ArgumentNullException.ThrowIfNull(source);
        var scene = source.Load();
        int n = scene.PointCount;
        if (n == 0) throw new DataFormatException(source.Path, "scene has no points");
        int[]? semantic = scene.SemanticLabels, instance = scene.InstanceIds;
        if (labels is not null) (semantic, instance) = labels.Read(source.Name, n);
        else if (semantic is not null && scene.Classes is { } table && !ReferenceEquals(table, ClassTables.Nyu40))
        {
            // S3DIS, SemanticKITTI, PartNet ids are not nyu40 ids: they cannot be read as the ScanNet benchmark classes
            if (requireLabels)
                throw new DataFormatException(source.Path, $"scene '{source.Name}' is labelled with {table.Name} classes; this method trains the 20 ScanNet (nyu40) classes (pass --labels DIR with nyu40 labels)");
            semantic = null;
            instance = null;
        }
        if (requireLabels && semantic is null)
            throw new DataFormatException(source.Path, $"scene '{source.Name}' has no semantic labels (train on labelled scenes, or pass --labels DIR)");
        semantic = semantic is null ? new int[n] : ScanNetBenchmark.ToSemantic20(semantic);
        var inst = new int[n];
        if (instance is not null)
            for (int i = 0; i < n; i++) inst[i] = ScanNetBenchmark.IsInstanceClass(semantic[i]) ? instance[i] : Labels.NoInstance;

        // centre on the mean (in double: a room has 10⁵ points)
        double mx = 0, my = 0, mz = 0;
        var p = scene.Positions;
        for (int i = 0; i < n; i++) { mx += p[3 * i]; my += p[3 * i + 1]; mz += p[3 * i + 2]; }
        mx /= n; my /= n; mz /= n;
        var positions = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            positions[3 * i] = (float)(p[3 * i] - mx);
            positions[3 * i + 1] = (float)(p[3 * i + 1] - my);
            positions[3 * i + 2] = (float)(p[3 * i + 2] - mz);
        }
        var colors = new float[3 * n];
        if (scene.Colors is { } rgb)
            for (int i = 0; i < colors.Length; i++) colors[i] = rgb[i] / 127.5f - 1f;
        var (coords, pointToVoxel) = Voxelize(positions, voxelSize);
        return new PreparedScene(source.Name, positions, colors, semantic, inst, voxelSize, coords, pointToVoxel);
    }

    /// <summary>Voxel coordinates of <paramref name="positions"/> relative to their minimum (so all ≥ 0), batch 0.</summary>
    internal static (int[] Coords, int[] PointToVoxel) Voxelize(float[] positions, float voxelSize)
    {
        var shifted = ShiftToOrigin(positions);
        var v = Voxelizer.Voxelize(shifted, [], 0, voxelSize);
        return (v.Coords.Coordinates.ToArray(), v.PointToVoxel);
    }

    /// <summary>Positions minus their per-axis minimum.</summary>
    internal static float[] ShiftToOrigin(ReadOnlySpan<float> positions)
    {
        float x0 = float.PositiveInfinity, y0 = float.PositiveInfinity, z0 = float.PositiveInfinity;
        for (int i = 0; i < positions.Length; i += 3)
        {
            x0 = MathF.Min(x0, positions[i]);
            y0 = MathF.Min(y0, positions[i + 1]);
            z0 = MathF.Min(z0, positions[i + 2]);
        }
        var shifted = new float[positions.Length];
        for (int i = 0; i < positions.Length; i += 3)
        {
            shifted[i] = positions[i] - x0;
            shifted[i + 1] = positions[i + 1] - y0;
            shifted[i + 2] = positions[i + 2] - z0;
        }
        return shifted;
    }
}
