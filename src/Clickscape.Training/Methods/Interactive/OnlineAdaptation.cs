using Clickscape.Geometry.Interactive;
using Clickscape.Geometry.Scenes;
using Clickscape.Models.Interactive;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Optim;
using Clickscape.Tensors.Sparse;
using Clickscape.Training.Configs;

namespace Clickscape.Training.Methods.Interactive;

/// <summary>Parameters of <see cref="OnlineAdaptation"/>: the paper's Tab. IV setting (lr 5·10⁻⁵, λ = 0.1, from [19]).</summary>
public sealed record OnlineAdaptationOptions
{
    /// <summary>Adam learning rate of the per-object fine-tuning.</summary>
    public float LearningRate { get; init; } = 5e-5f;

    /// <summary>λ, the weight of the previous-mask term.</summary>
    public float Lambda { get; init; } = 0.1f;

    /// <summary>Gradient steps after each click.</summary>
    public int Steps { get; init; } = 3;
}

/// <summary>
/// Online adaptation of the paper's network to the object being segmented (Kontogianni et al., "Interactive Object
/// Segmentation in 3D Point Clouds", Tab. IV, following the instance adaptation of Kontogianni et al., "Continuous
/// Adaptation for Interactive Object Segmentation by Learning from Corrections", ECCV 2020): the user's clicks are
/// sparse training labels. After each click a private copy of the network takes <see cref="OnlineAdaptationOptions.Steps"/>
/// Adam steps on L = CE(points under the click cubes, their click's label) + λ·CE(all points, the previous mask), the
/// second term keeping it from forgetting what was already right; then it predicts the new mask (cubes forced).
/// </summary>
/// <remarks>
/// Unlike the other segmenters this one is stateful: each <see cref="Predict"/> adapts the copy further, so one
/// instance serves one object's sequence of clicks (the protocol opens one per object). BatchNorm keeps its running
/// statistics (evaluation mode); only the weights move. Calls are serialized by a lock.
/// </remarks>
public sealed class OnlineAdaptation : IInteractiveSegmenter, IDisposable
{
    private readonly InteractiveNet _net;
    private readonly Adam _optimizer;
    private readonly SceneVoxels _voxels;
    private readonly ClickCubes _cubes;
    private readonly OnlineAdaptationOptions _options;
    private readonly Lock _lock = new();
    private bool[]? _previous;

    /// <summary>Copies <paramref name="trained"/> and opens <paramref name="scene"/> for it.</summary>
    public OnlineAdaptation(InteractiveMethod method, TrainConfig config, InteractiveNet trained, Scene scene, OnlineAdaptationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(trained);
        ArgumentNullException.ThrowIfNull(scene);
        _options = options ?? new OnlineAdaptationOptions();
        if (!(_options.LearningRate > 0) || !(_options.Lambda >= 0) || _options.Steps < 1)
            throw new ArgumentException("online adaptation: learning rate > 0, λ ≥ 0 and steps ≥ 1 expected", nameof(options));
        _net = (InteractiveNet)method.CreateNetwork(config, 0);
        _net.LoadStateDict(trained.StateDict(), strict: true, "trained network");
        _net.Eval();
        _optimizer = new Adam(_net.Parameters(), _options.LearningRate);
        _voxels = new SceneVoxels(scene.Positions, scene.Colors ?? [], config.Data.VoxelSize);
        _cubes = new ClickCubes(scene.Positions, InteractiveMethod.LossOptions(config).ClickHalfEdge);
    }

    /// <inheritdoc/>
    public int PointCount => _voxels.PointCount;

    /// <inheritdoc/>
    public bool[] Predict(IReadOnlyList<InteractiveClick> clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        foreach (var c in clicks) _cubes.Check(c.Point);
        lock (_lock)
        {
            var (tp, tn) = _cubes.Encode(clicks);
            var input = _voxels.NetworkInput(tp, tn);
            if (clicks.Count > 0)
            {
                var corrections = new int[PointCount];
                Array.Fill(corrections, Clickscape.Geometry.Scenes.Labels.Ignore);
                foreach (var c in clicks)
                {
                    foreach (int p in _cubes.Region(c.Point)) corrections[p] = c.Positive ? 1 : 0;
                }
                var previous = _previous?.Select(b => b ? 1 : 0).ToArray();
                for (int s = 0; s < _options.Steps; s++)
                {
                    using var scope = TensorScope.Begin();
                    _optimizer.ZeroGrad();
                    var logits = Forward(input).IndexSelect(_voxels.PointToVoxel);
                    var loss = Tensors.Losses.Losses.CrossEntropy(logits, corrections);
                    if (previous is not null && _options.Lambda > 0) loss += Tensors.Losses.Losses.CrossEntropy(logits, previous) * _options.Lambda;
                    loss.Backward();
                    _optimizer.Step();
                }
            }
            var mask = new bool[PointCount];
            using (Tensor.NoGrad())
            using (TensorScope.Begin())
            {
                var logits = Forward(input).Data;
                for (int p = 0; p < mask.Length; p++)
                {
                    int v = _voxels.PointToVoxel[p];
                    mask[p] = logits[2 * v + 1] > logits[2 * v];
                }
            }
            _cubes.Force(clicks, mask);
            _previous = (bool[])mask.Clone();
            return mask;
        }
    }

    private Tensor Forward(float[] input) =>
        _net.Forward(new SparseTensor(_voxels.Coords, Tensor.FromArray(input, _voxels.VoxelCount, InteractiveNet.InputChannels)));

    /// <inheritdoc/>
    public void Dispose()
    {
        _optimizer.Dispose();
        _net.Dispose();
    }
}
