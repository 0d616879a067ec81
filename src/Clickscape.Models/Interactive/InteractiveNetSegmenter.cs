using Clickscape.Geometry.Interactive;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Interactive;

/// <summary>
/// <see cref="IInteractiveSegmenter"/> over the paper's network (<see cref="InteractiveNet"/>; Kontogianni et al.,
/// "Interactive Object Segmentation in 3D Point Clouds", §III): every prediction encodes the clicks (Eq. 1), averages
/// colour and click channels per 5 cm voxel, runs the whole network, takes each point's voxel's argmax, and finally
/// forces the points under each click's cube to its label. The voxelization, its kernel maps and the click-cube index
/// are built once per scene.
/// </summary>
/// <remarks>
/// Thread-safe: the network's forward (which fills this scene's kernel-map cache) runs under the segmenter's lock; the
/// network itself is only read (evaluation mode, set once when the scene opens), so segmenters of different scenes may
/// share it.
/// </remarks>
public sealed class InteractiveNetSegmenter : IInteractiveSegmenter
{
    private readonly InteractiveNet _model;
    private readonly SceneVoxels _voxels;
    private readonly ClickCubes _cubes;
    private readonly Lock _lock = new();

    /// <summary>Opens a scene (positions x, y, z; colours 0–255 or empty) for <paramref name="model"/> (put in evaluation mode).</summary>
    public InteractiveNetSegmenter(InteractiveNet model, ReadOnlySpan<float> positions, ReadOnlySpan<byte> colors, float voxelSize = 0.05f, float halfEdge = ClickCubes.DefaultHalfEdge)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        model.Eval(); // once, here: segmenters of other scenes may share the network
        _voxels = new SceneVoxels(positions, colors, voxelSize);
        _cubes = new ClickCubes(positions, halfEdge);
    }

    /// <inheritdoc/>
    public int PointCount => _voxels.PointCount;

    /// <summary>The voxelized scene.</summary>
    public SceneVoxels Voxels => _voxels;

    /// <summary>The click cubes of the scene.</summary>
    public ClickCubes Cubes => _cubes;

    /// <summary>The network's foreground-minus-background logit per voxel for <paramref name="clicks"/> (before forcing).</summary>
    public float[] VoxelLogits(IReadOnlyList<InteractiveClick> clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        foreach (var c in clicks) _cubes.Check(c.Point);
        var (tp, tn) = _cubes.Encode(clicks);
        var input = _voxels.NetworkInput(tp, tn);
        var margin = new float[_voxels.VoxelCount];
        lock (_lock)
        {
            using var grad = Tensor.NoGrad();
            using var scope = TensorScope.Begin();
            var logits = _model.Forward(new SparseTensor(_voxels.Coords, Tensor.FromArray(input, _voxels.VoxelCount, InteractiveNet.InputChannels))).Data;
            for (int j = 0; j < margin.Length; j++) margin[j] = logits[2 * j + 1] - logits[2 * j];
        }
        return margin;
    }

    /// <inheritdoc/>
    public bool[] Predict(IReadOnlyList<InteractiveClick> clicks)
    {
        var margin = VoxelLogits(clicks);
        var mask = new bool[PointCount];
        for (int p = 0; p < mask.Length; p++) mask[p] = margin[_voxels.PointToVoxel[p]] > 0;
        _cubes.Force(clicks, mask);
        return mask;
    }
}
