using Clickscape.Geometry.Scenes;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Training.Data;

/// <summary>
/// B samples in one voxel set: coordinates (batch, x, y, z) with the sample's index as the batch coordinate, mean
/// input features per voxel, and per-voxel targets (semantic class index 0..19 or <see cref="Labels.Ignore"/>,
/// batch-unique instance index or <see cref="Labels.Ignore"/>, offset to the instance centroid). Plain arrays and a
/// <see cref="SparseCoords"/> (no tensors), so the loader thread builds it and the training thread makes tensors.
/// </summary>
/// <param name="Samples">The samples, in batch-coordinate order.</param>
/// <param name="Coords">The voxels of all samples.</param>
/// <param name="Features">V × <see cref="PreparedScene.Channels"/> mean features.</param>
/// <param name="Semantic">Class index per voxel (majority of its labelled points), or <see cref="Labels.Ignore"/>.</param>
/// <param name="Instance">Instance index per voxel (majority of its points, unique in the batch), or <see cref="Labels.Ignore"/>.</param>
/// <param name="Offset">V × 3: instance centroid minus the voxel's mean undistorted point (0 without an instance).</param>
/// <param name="PointToVoxel">Voxel row of every kept point, samples concatenated in order.</param>
/// <param name="PointStart">Sample b's points are PointToVoxel[PointStart[b] .. PointStart[b + 1]).</param>
public sealed record TrainingBatch(IReadOnlyList<TrainingSample> Samples, SparseCoords Coords, float[] Features,
    int[] Semantic, int[] Instance, float[] Offset, int[] PointToVoxel, int[] PointStart)
{
    /// <summary>Voxels V.</summary>
    public int VoxelCount => Coords.Count;

    /// <summary>Points of all samples.</summary>
    public int PointCount => PointToVoxel.Length;

    /// <summary>Position of the batch in its epoch (0-based).</summary>
    public int Index { get; init; }

    /// <summary>Epoch the batch belongs to (0-based).</summary>
    public int Epoch { get; init; }
}
