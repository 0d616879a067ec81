using Clickscape.Models.Interactive;
using Clickscape.Models.PointGroup;
using Clickscape.Tensors.Serialization;
using Clickscape.Training.Methods.Interactive;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Methods.Interactive;

public sealed class BackbonePretrainingTests : TempFolder
{
    [Fact]
    public void CopiesTheSemanticBackbone_AndTheColourChannelsOfTheInputConv()
    {
        using var source = new PgUNet(new Random(1), 6, [8, 16], 1, 20, 4);
        string file = Path.Combine(Dir, "full.safetensors");
        SafeTensors.Save(file, source);
        using var net = new InteractiveNet(new Random(2), [8, 16], 1);
        var before = net.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        int copied = BackbonePretraining.Apply(net, file);
        var src = source.StateDict();
        var dst = net.StateDict();
        Assert.True(copied > 10);
        foreach (var (name, t) in dst)
        {
            if (name == "backbone.input_conv.weight")
            {
                // [27, in, out]: colour channels from the source, click channels as initialized
                var s = src[name];
                for (int k = 0; k < 27; k++)
                    for (int c = 0; c < 5; c++)
                        for (int o = 0; o < 8; o++)
                        {
                            float expected = c < 3 ? s.Data[(k * 6 + c) * 8 + o] : before[name][(k * 5 + c) * 8 + o];
                            Assert.Equal(expected, t.Data[(k * 5 + c) * 8 + o]);
                        }
            }
            else if (name.StartsWith("backbone.", StringComparison.Ordinal)) Assert.Equal(src[name].ToArray(), t.ToArray());
            else Assert.Equal(before[name], t.ToArray()); // the classifier is the interactive network's own
        }
    }

    [Fact]
    public void AnUnrelatedCheckpoint_IsAnError()
    {
        using var other = new InteractiveFastNet(new Random(1), [8], 1, 4);
        string file = Path.Combine(Dir, "x.safetensors");
        SafeTensors.Save(file, new Dictionary<string, Clickscape.Tensors.Tensor> { ["head.weight"] = other.Key.Weight });
        using var net = new InteractiveNet(new Random(2), [8, 16], 1);
        Assert.Throws<Clickscape.Data.IO.DataFormatException>(() => BackbonePretraining.Apply(net, file));
        Assert.Throws<Clickscape.Data.IO.DataFormatException>(() => BackbonePretraining.Apply(net, Path.Combine(Dir, "missing")));
    }
}
