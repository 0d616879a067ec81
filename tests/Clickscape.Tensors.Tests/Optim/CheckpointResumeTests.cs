using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Optim;
using Clickscape.Tensors.Serialization;

namespace Clickscape.Tensors.Tests.Optim;

public sealed class CheckpointResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("clickscape-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void Train(Module<Tensor, Tensor> net, Optimizer opt, Tensor x, int[] y, int steps)
    {
        for (int s = 0; s < steps; s++)
        {
            using (TensorScope.Begin())
            {
                opt.ZeroGrad();
                Tensors.Losses.Losses.CrossEntropy(net.Forward(x), y).Backward();
                opt.Step();
            }
        }
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    public void ResumingFromCheckpointIsBitExact(string kind)
    {
        var rng = new Random(5);
        var x = Tensor.Randn(rng, 1f, 16, 4).DetachFromScope();
        var y = Enumerable.Range(0, 16).Select(i => i % 3).ToArray();
        Optimizer Make(Module net) => kind == "adam" ? new Adam(net.Parameters(), 0.01f) : new Sgd(net.Parameters(), 0.1f, momentum: 0.9f);

        using var a = new Sequential(new Linear(4, 8, new Random(1)), new ReLU(), new Linear(8, 3, new Random(2)));
        using var optA = Make(a);
        Train(a, optA, x, y, 3);
        string model = Path.Combine(_dir, "model.safetensors"), state = Path.Combine(_dir, "optim.safetensors");
        SafeTensors.Save(model, a);
        SafeTensors.Save(state, optA.StateDict());
        Train(a, optA, x, y, 2);

        using var b = new Sequential(new Linear(4, 8, new Random(9)), new ReLU(), new Linear(8, 3, new Random(9)));
        using var optB = Make(b);
        SafeTensors.LoadInto(b, model);
        optB.LoadStateDict(SafeTensors.Load(state), state);
        Assert.Equal(3, optB.StepCount);
        Train(b, optB, x, y, 2);
        foreach (var (name, t) in a.StateDict()) Assert.Equal(t.ToArray(), b.StateDict()[name].ToArray());
    }

    [Fact]
    public void ClipNormScalesGlobalNorm()
    {
        var p = Tensor.FromArray([0f, 0f], 2);
        p.RequiresGrad = true;
        p.Grad = Tensor.FromArray([3f, 4f], 2).DetachFromScope();
        Assert.Equal(5f, GradientClipping.ClipNorm([p], 1f), 5);
        Assert.Equal(0.6f, p.Grad.Data[0], 4);
        Assert.Equal(0.8f, p.Grad.Data[1], 4);
        Assert.Equal(1f, GradientClipping.ClipNorm([p], 10f), 4);
    }
}
