using Clickscape.Tensors.Serialization;
using Clickscape.Training.Configs;
using Clickscape.Training.Engine;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Engine;

public sealed class CheckpointTests : TempFolder
{
    [Fact]
    public void OptimizerState_IsKeyedByParameterName_AndRoundTrips()
    {
        var config = TinyDataset.Config();
        var method = Clickscape.Training.Methods.MethodRegistry.CreateDefault().Get("full");
        var registries = ComponentRegistries.CreateDefault();
        using var model = method.CreateModel(config, 3);
        var setup = registries.Optimizers.Create(config.Optimizer, model);
        foreach (var p in model.Parameters())
        {
            p.GradBuffer().Fill(0.5f);
        }
        setup.Optimizer.Step();
        var path = Path.Combine(Dir, "c.safetensors");
        var state = new TrainingState { Step = 1, Epoch = 0, BatchInEpoch = 1, EpochSeed = 77, Rng = new Clickscape.Training.Randomness.Xoshiro256(5).State };
        Checkpoint.Save(path, model, setup.Optimizer, state, config);

        var names = SafeTensors.Load(path).Keys.ToList();
        Assert.Contains("optimizer.exp_avg.backbone.input_conv.weight", names);
        Assert.Contains("optimizer.exp_avg_sq.sem.bias", names);
        Assert.Contains("optimizer.step", names);
        Assert.Contains("sem.weight", names);

        using var other = method.CreateModel(config, 4);
        var otherSetup = registries.Optimizers.Create(config.Optimizer, other);
        var loaded = Checkpoint.Load(path, other, otherSetup.Optimizer);
        Assert.Equal(state, loaded);
        Assert.Equal(1, otherSetup.Optimizer.StepCount);
        foreach (var ((_, a), (_, b)) in model.NamedParameters().Zip(other.NamedParameters()))
            Assert.Equal(a.ToArray(), b.ToArray());
        var sa = setup.Optimizer.StateDict();
        var sb = otherSetup.Optimizer.StateDict();
        Assert.Equal(sa.Keys.Order(), sb.Keys.Order());
        foreach (var k in sa.Keys) Assert.Equal(sa[k].ToArray(), sb[k].ToArray());
        var (storedConfig, _) = Checkpoint.ReadMetadata(path);
        Assert.Equal(config.ToJsonString(), storedConfig.ToJsonString());
    }

    [Fact]
    public void ForeignSafetensors_IsRejected()
    {
        var path = Path.Combine(Dir, "w.safetensors");
        using var t = Clickscape.Tensors.Tensor.Zeros(2);
        SafeTensors.Save(path, new Dictionary<string, Clickscape.Tensors.Tensor> { ["x"] = t });
        Assert.Contains("not a Clickscape training checkpoint", Assert.Throws<InvalidDataException>(() => Checkpoint.ReadMetadata(path)).Message, StringComparison.Ordinal);
    }
}
