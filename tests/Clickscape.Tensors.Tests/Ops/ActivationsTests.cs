using Clickscape.Tensors.Ops;
using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class ActivationsTests
{
    public static TheoryData<string, int> Cases()
    {
        var d = new TheoryData<string, int>();
        foreach (var name in new[] { "relu", "leaky", "sigmoid", "tanh", "exp", "log", "sqrt", "abs", "square" })
            foreach (int n in new[] { 1, 7, 33, 257 })
                d.Add(name, n);
        return d;
    }

    private static (Func<Tensor, Tensor> Op, Func<double, double> Ref, bool Positive) Get(string name) => name switch
    {
        "relu" => (Activations.Relu, x => Math.Max(x, 0), false),
        "leaky" => (x => Activations.LeakyRelu(x, 0.2f), x => x > 0 ? x : 0.2 * x, false),
        "sigmoid" => (Activations.Sigmoid, x => 1 / (1 + Math.Exp(-x)), false),
        "tanh" => (Activations.Tanh, Math.Tanh, false),
        "exp" => (Activations.Exp, Math.Exp, false),
        "log" => (Activations.Log, Math.Log, true),
        "sqrt" => (Activations.Sqrt, Math.Sqrt, true),
        "abs" => (Activations.Abs, Math.Abs, false),
        _ => (Activations.Square, x => x * x, false),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ForwardMatchesDoubleAndGradientMatchesFiniteDifferences(string name, int n)
    {
        var (op, reference, positive) = Get(name);
        var rng = new Random(n * 13 + name.Length);
        var x = positive ? RandomTensors.Positive(rng, n) : RandomTensors.AwayFromZero(rng, n);
        var y = op(x);
        var expected = x.ToArray().Select(v => reference(v)).ToArray();
        RandomTensors.AssertClose(expected, y.Data, rtol: 1e-5, atol: 1e-6, what: name);
        GradCheck.Check(t => op(t[0]), v => Reference.Map(v[0], reference), [x]);
    }

    [Fact]
    public void LeakyReluRejectsBadSlope() => Assert.Throws<ArgumentOutOfRangeException>(() => Activations.LeakyRelu(Tensor.Zeros(1), 1.5f));
}

public class ClampAndArgMaxTests
{
    [Fact]
    public void ClampMatchesReferenceAndGradient()
    {
        var rng = new Random(8);
        var x = RandomTensors.Distinct(rng, 7, 5);
        var y = x.Clamp(-0.1f, 0.05f);
        for (int i = 0; i < x.Length; i++) Assert.Equal(Math.Clamp(x.Data[i], -0.1f, 0.05f), y.Data[i]);
        GradCheck.Check(t => t[0].Clamp(-0.105f, 0.055f), v => Reference.Map(v[0], a => Math.Clamp(a, -0.105f, 0.055f)), [x]);
    }

    [Fact]
    public void ArgMaxPerRow()
    {
        var x = Tensor.FromArray([1f, 3f, 2f, 7f, 7f, 0f], 2, 3);
        Assert.Equal([1, 0], x.ArgMax());
    }
}
