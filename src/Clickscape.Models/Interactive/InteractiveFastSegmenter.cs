using Clickscape.Geometry.Interactive;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Interactive;

/// <summary>
/// <see cref="IInteractiveSegmenter"/> over <see cref="InteractiveFastNet"/>: the backbone runs once, when the scene
/// opens (<see cref="FastSceneFeatures"/> cached); each prediction runs only the click head over the cached keys and
/// values, slices the voxel logits back to the points and forces the points under each click's cube to its label.
/// Without a positive click the mask is empty (then forced).
/// </summary>
/// <remarks>Thread-safe without locks: after construction only the immutable cached tensors are read.</remarks>
public sealed class InteractiveFastSegmenter : IInteractiveSegmenter
{
    private readonly InteractiveFastNet _model;
    private readonly SceneVoxels _voxels;
    private readonly ClickCubes _cubes;
    private readonly FastSceneFeatures _features;
    private readonly float[] _positions;

    /// <summary>Opens a scene for <paramref name="model"/> (put in evaluation mode): voxelizes it and runs the backbone.</summary>
    public InteractiveFastSegmenter(InteractiveFastNet model, ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors, float voxelSize = 0.05f, float halfEdge = ClickCubes.DefaultHalfEdge)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _voxels = new SceneVoxels(positions, colors, voxelSize);
        _cubes = new ClickCubes(positions, halfEdge);
        _positions = positions.ToArray();
        model.Eval();
        using var grad = Tensor.NoGrad();
        // no scope: the cached tensors must outlive this constructor
        _features = model.Encode(new SparseTensor(_voxels.Coords, Tensor.FromArray(_voxels.Colors, _voxels.VoxelCount, InteractiveFastNet.InputChannels)), _voxels.Centres);
    }

    /// <inheritdoc/>
    public int PointCount => _voxels.PointCount;

    /// <summary>The voxelized scene.</summary>
    public SceneVoxels Voxels => _voxels;

    /// <summary>The cached click-independent features.</summary>
    public FastSceneFeatures Features => _features;

    /// <summary>The head's foreground logit per voxel for <paramref name="clicks"/> (−∞ everywhere without a positive click).</summary>
    public float[] VoxelLogits(IReadOnlyList<InteractiveClick> clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        foreach (var c in clicks) _cubes.Check(c.Point);
        var logits = new float[_voxels.VoxelCount];
        if (!clicks.Any(c => c.Positive))
        {
            Array.Fill(logits, float.NegativeInfinity);
            return logits;
        }
        var voxelClicks = clicks.Select(c => new VoxelClick(_voxels.PointToVoxel[c.Point], c.Positive,
            _positions[3 * c.Point], _positions[3 * c.Point + 1], _positions[3 * c.Point + 2])).ToList();
        using var grad = Tensor.NoGrad();
        using var scope = TensorScope.Begin();
        _model.Logits(_features, 0, _voxels.VoxelCount, voxelClicks).Data.CopyTo(logits);
        return logits;
    }

    /// <inheritdoc/>
    public bool[] Predict(IReadOnlyList<InteractiveClick> clicks)
    {
        var logits = VoxelLogits(clicks);
        var mask = new bool[PointCount];
        for (int p = 0; p < mask.Length; p++) mask[p] = logits[_voxels.PointToVoxel[p]] > 0;
        _cubes.Force(clicks, mask);
        return mask;
    }
}
