using Clickscape.Data.Classes;
using Clickscape.Models.PointGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Sparse;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;

namespace Clickscape.Training.Methods.Full;

/// <summary>
/// <c>full</c>: fully supervised PointGroup-style 3D instance + semantic segmentation (Jiang et al., CVPR 2020) on
/// the 20 ScanNet semantic classes. Model from the <c>model</c> registry (<c>PG-v1m1</c> = <see cref="PgUNet"/>),
/// loss from the <c>loss</c> registry (<c>PGLoss-v1m1</c> = <see cref="PointGroupLoss"/>); labels from the scenes'
/// ground truth or a pseudo-label folder. Inference: <see cref="FullInference"/>.
/// </summary>
public sealed class FullMethod(ComponentRegistries registries) : TrainingMethod
{
    /// <summary>The registries models and losses come from.</summary>
    public ComponentRegistries Registries { get; } = registries ?? throw new ArgumentNullException(nameof(registries));

    /// <inheritdoc/>
    public override string Name => "full";

    /// <inheritdoc/>
    public override IReadOnlyList<int> ClassIds => ScanNetBenchmark.Semantic20Ids;

    /// <inheritdoc/>
    public override Module CreateModel(TrainConfig config, int seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        var model = Registries.Models.Create(config.Model, new ModelContext(PreparedScene.Channels, ClassIds.Count, seed), "model");
        if (model is not Module<SparseTensor, PgUNetOutput>)
            throw new ConfigException($"config section 'model': method '{Name}' needs a network with semantic, embedding and offset heads (e.g. PG-v1m1), not '{ConfigBinding.TypeOf(config.Model, "model")}'");
        return model;
    }

    /// <inheritdoc/>
    public override object CreateLoss(TrainConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ConfigBinding.Bind<FullInferenceOptions>(config.Inference, "inference"); // a bad inference section fails before training
        var loss = Registries.Losses.Create(config.Loss, Name, "loss");
        return loss as PointGroupLoss
            ?? throw new ConfigException($"config section 'loss': method '{Name}' needs a PointGroup loss (e.g. PGLoss-v1m1), not '{ConfigBinding.TypeOf(config.Loss, "loss")}'");
    }

    /// <inheritdoc/>
    public override LossTerms Loss(Module model, object loss, TrainingBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var network = (Module<SparseTensor, PgUNetOutput>)model;
        var features = Tensor.FromArray(batch.Features, batch.VoxelCount, PreparedScene.Channels);
        var output = network.Forward(new SparseTensor(batch.Coords, features));
        return ((PointGroupLoss)loss).Compute(output, batch);
    }

    /// <inheritdoc/>
    public override ScenePrediction Predict(Module model, TrainConfig config, PreparedScene scene)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = ConfigBinding.Bind<FullInferenceOptions>(config.Inference, "inference");
        return FullInference.Predict((Module<SparseTensor, PgUNetOutput>)model, scene, ClassIds, options.Grouping);
    }
}
