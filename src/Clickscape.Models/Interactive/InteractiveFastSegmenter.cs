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

    /// <summary>
    /// Masks of several objects of the scene from one pass of the head (AGILE3D's multi-object mode): the score maps of
    /// every object's clicks are computed once; an object's foreground logit is its best positive score minus the best of
    /// its own negatives' scores, the other objects' positive scores and the background level, so the masks are disjoint.
    /// Each object's positive cubes are then forced into its mask (and out of the others'), its negative cubes out of it.
    /// With one object this is <see cref="Predict"/>.
    /// </summary>
    public bool[][] PredictObjects(IReadOnlyList<IReadOnlyList<InteractiveClick>> objects)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var all = new List<VoxelClick>();
        var owner = new List<int>();
        for (int o = 0; o < objects.Count; o++)
        {
            foreach (var c in objects[o])
            {
                _cubes.Check(c.Point);
                all.Add(new VoxelClick(_voxels.PointToVoxel[c.Point], c.Positive, _positions[3 * c.Point], _positions[3 * c.Point + 1], _positions[3 * c.Point + 2]));
                owner.Add(o);
            }
        }
        var masks = objects.Select(_ => new bool[PointCount]).ToArray();
        if (all.Any(c => c.Positive))
        {
            int v = _voxels.VoxelCount;
            float[] scores;
            float background;
            using (Tensor.NoGrad())
            using (TensorScope.Begin())
            {
                scores = _model.Scores(_features, 0, v, all).ToArray();
                background = _model.Background.Data[0];
            }
            var winner = new int[v];
            for (int j = 0; j < v; j++)
            {
                // the object whose positive click scores highest, if that beats every rival of that object
                int best = -1;
                float bestScore = float.NegativeInfinity;
                for (int i = 0; i < all.Count; i++)
                {
                    if (all[i].Positive && scores[i * v + j] > bestScore) (best, bestScore) = (owner[i], scores[i * v + j]);
                }
                float rival = background;
                for (int i = 0; i < all.Count; i++)
                {
                    if (owner[i] == best && all[i].Positive) continue;
                    if (owner[i] == best || all[i].Positive) rival = MathF.Max(rival, scores[i * v + j]);
                }
                winner[j] = best >= 0 && bestScore > rival ? best : -1;
            }
            for (int p = 0; p < PointCount; p++)
            {
                int w = winner[_voxels.PointToVoxel[p]];
                if (w >= 0) masks[w][p] = true;
            }
        }
        for (int o = 0; o < objects.Count; o++)
        {
            foreach (var c in objects[o])
            {
                foreach (int p in _cubes.Region(c.Point))
                {
                    if (c.Positive)
                        for (int k = 0; k < masks.Length; k++) masks[k][p] = k == o;
                    else
                        masks[o][p] = false;
                }
            }
        }
        return masks;
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
