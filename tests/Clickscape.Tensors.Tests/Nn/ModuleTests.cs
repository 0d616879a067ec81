using Clickscape.Tensors.Nn;

namespace Clickscape.Tensors.Tests.Nn;

public class ModuleTests
{
    [Fact]
    public void NamesFollowPyTorchStateDictConvention()
    {
        var rng = new Random(1);
        using var net = new Sequential(new Linear(3, 4, rng), new BatchNorm1d(4), new ReLU(), new Linear(4, 2, rng, bias: false));
        var names = net.StateDict().Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        Assert.Equal(["0.bias", "0.weight", "1.bias", "1.running_mean", "1.running_var", "1.weight", "3.weight"], names);
        Assert.Equal(4 * 3 + 4 + 4 + 4 + 2 * 4, net.ParameterCount());
        Assert.All(net.Parameters(), p => Assert.True(p.RequiresGrad));
    }

    [Fact]
    public void LinearInitializationIsBoundedAndSeeded()
    {
        using var a = new Linear(16, 8, new Random(7));
        using var b = new Linear(16, 8, new Random(7));
        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
        Assert.All(a.Weight.ToArray(), v => Assert.InRange(v, -0.25f, 0.25f));
    }

    [Fact]
    public void TrainEvalPropagatesAndDropoutIsIdentityInEval()
    {
        var rng = new Random(2);
        using var net = new Sequential(new Dropout(0.5f, rng), new LeakyReLU(0.2f));
        var x = Tensor.FromArray([1f, -1f, 2f, -2f], 4);
        net.Eval();
        Assert.False(net.Layers[0].Training);
        Assert.Equal([1f, -0.2f, 2f, -0.4f], net.Forward(x).ToArray());
    }

    [Fact]
    public void LoadStateDictChecksNamesAndShapes()
    {
        using var a = new Linear(3, 2, new Random(1));
        using var b = new Linear(3, 2, new Random(2));
        b.LoadStateDict(a.StateDict());
        Assert.Equal(a.Weight.ToArray(), b.Weight.ToArray());
        using var c = new Linear(4, 2, new Random(3));
        var ex = Assert.Throws<InvalidDataException>(() => c.LoadStateDict(a.StateDict()));
        Assert.Contains("'weight'", ex.Message, StringComparison.Ordinal);
        using var d = new Linear(3, 2, new Random(3), bias: false);
        Assert.Throws<InvalidDataException>(() => d.LoadStateDict(a.StateDict()));
        d.LoadStateDict(a.StateDict(), strict: false);
    }
}

public class ResidualTests
{
    [Fact]
    public void ResidualAddsIdentityOrProjection()
    {
        var rng = new Random(4);
        using var block = new Residual(new Sequential(new Linear(3, 3, rng), new ReLU()));
        var x = Tests.Autograd.RandomTensors.Uniform(rng, -1, 1, 5, 3);
        using (Tensor.NoGrad())
        {
            var body = ((Sequential)block.Body).Forward(x);
            var y = block.Forward(x);
            for (int i = 0; i < x.Length; i++) Assert.Equal(body.Data[i] + x.Data[i], y.Data[i]);
        }
        using var proj = new Residual(new Linear(3, 4, rng), new Linear(3, 4, rng, bias: false));
        Assert.Contains("shortcut.weight", proj.StateDict().Keys);
        var projBody = (Linear)proj.Body;
        var shortcut = (Linear)proj.Shortcut!;
        static double[] D(Tensor t) => [.. t.ToArray().Select(v => (double)v)];
        Tests.Autograd.GradCheck.Check(t => proj.Forward(t[0]),
            v => Tests.Autograd.Reference.Linear(v[0], 5, 3, D(projBody.Weight), 4, D(projBody.Bias!)).Zip(Tests.Autograd.Reference.Linear(v[0], 5, 3, D(shortcut.Weight), 4, null), (p, q) => p + q).ToArray(),
            [x]);
    }
}
