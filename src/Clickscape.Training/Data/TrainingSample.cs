namespace Clickscape.Training.Data;

/// <summary>
/// One scene as the network sees it in one step: the kept points (after the crop) with the coordinates they are
/// voxelized at (augmented and elastically distorted), their input features and their labels, and the undistorted
/// coordinates that offset targets are measured in. Plain arrays, made on the loader thread.
/// </summary>
/// <param name="Name">Scene id.</param>
/// <param name="Points">Indices of the kept points in the <see cref="PreparedScene"/>.</param>
/// <param name="VoxelPositions">x, y, z per kept point, the positions that are voxelized (metres).</param>
/// <param name="Features">r, g, b, x, y, z per kept point (colour with noise; augmented, undistorted xyz).</param>
/// <param name="OffsetPositions">x, y, z per kept point before the elastic distortion: offset targets use these.</param>
/// <param name="Semantic">nyu40 id per kept point (0 = unlabelled).</param>
/// <param name="Instance">Instance id per kept point (0 = none).</param>
public sealed record TrainingSample(string Name, int[] Points, float[] VoxelPositions, float[] Features, float[] OffsetPositions,
    int[] Semantic, int[] Instance)
{
    /// <summary>Kept points.</summary>
    public int PointCount => Points.Length;

    /// <summary>The un-augmented sample of a whole scene (inference, evaluation).</summary>
    public static TrainingSample Plain(PreparedScene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        int n = scene.PointCount;
        var features = new float[6 * n];
        for (int i = 0; i < n; i++)
        {
            scene.Colors.AsSpan(3 * i, 3).CopyTo(features.AsSpan(6 * i, 3));
            scene.Positions.AsSpan(3 * i, 3).CopyTo(features.AsSpan(6 * i + 3, 3));
        }
        return new TrainingSample(scene.Name, Enumerable.Range(0, n).ToArray(), scene.Positions, features, scene.Positions, scene.Semantic, scene.Instance);
    }
}
