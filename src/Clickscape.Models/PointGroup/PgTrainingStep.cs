using Clickscape.Models.Profiling;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Optim;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.PointGroup;

/// <summary>
/// One training step of <see cref="PgUNet"/> exactly as perf-ref/unet_step.py times it: zero the gradients, forward,
/// <see cref="PgUNetLoss"/>, backward, Adam step (lr 1e-3 by default). Kernel maps are cached on the coordinate set,
/// so after the first step they are prebuilt like the script's. All activations of a step go back to the tensor pool
/// at its end.
/// </summary>
public sealed class PgTrainingStep : IDisposable
{
    private readonly Tensor _features;

    /// <summary>Prepares a step on <paramref name="coords"/> with input <paramref name="features"/> (N × C, copied).</summary>
    public PgTrainingStep(PgUNet model, SparseCoords coords, ReadOnlySpan<float> features, PgTargets targets, float learningRate = 1e-3f)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(coords);
        ArgumentNullException.ThrowIfNull(targets);
        if (targets.Count != coords.Count) throw new ArgumentException($"PointGroup step: {coords.Count} voxels but {targets.Count} targets");
        int channels = model.Backbone.InChannels;
        if (features.Length != (long)coords.Count * channels)
            throw new ArgumentException($"PointGroup step: features hold {features.Length} floats, expected {coords.Count} voxels × {channels} channels");
        Model = model;
        Coords = coords;
        Targets = targets;
        _features = Tensor.FromSpan(features, [coords.Count, channels]).DetachFromScope();
        Optimizer = new Adam(model.Parameters(), learningRate);
        model.Train();
    }

    /// <summary>The network.</summary>
    public PgUNet Model { get; }

    /// <summary>Voxels of the scene (kernel maps cached here).</summary>
    public SparseCoords Coords { get; }

    /// <summary>Targets.</summary>
    public PgTargets Targets { get; }

    /// <summary>The Adam optimizer.</summary>
    public Adam Optimizer { get; }

    /// <summary>Runs one step; returns the total loss before the update.</summary>
    public float Step() => StepTerms().Total;

    /// <summary>Runs one step; returns the loss terms before the update.</summary>
    public (float Total, float Semantic, float Offset, float Discriminative) StepTerms()
    {
        using var scope = TensorScope.Begin();
        LayerProfile.Time("zero-grad", () => { Optimizer.ZeroGrad(); return 0; });
        var output = Model.Forward(new SparseTensor(Coords, _features));
        var loss = PgUNetLoss.Compute(output, Targets);
        LayerProfile.Backward(loss.Total);
        LayerProfile.Time("adam", () => { Optimizer.Step(); return 0; });
        return (loss.Total.Item(), loss.Semantic.Item(), loss.Offset.Item(), loss.Discriminative.Item());
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _features.Dispose();
        Optimizer.Dispose();
    }
}
