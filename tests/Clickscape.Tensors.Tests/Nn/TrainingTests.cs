using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Optim;

namespace Clickscape.Tensors.Tests.Nn;

public class TrainingTests
{
    [Fact]
    public void TinyMlpLearnsXorWithAdam()
    {
        var rng = new Random(1234);
        using var net = new Sequential(new Linear(2, 16, rng), new Tanh(), new Linear(16, 2, rng));
        using var opt = new Adam(net.Parameters(), learningRate: 0.05f);
        var x = Tensor.FromArray([0f, 0f, 0f, 1f, 1f, 0f, 1f, 1f], 4, 2).DetachFromScope();
        int[] y = [0, 1, 1, 0];
        float first = 0, last = 0;
        for (int step = 0; step < 200; step++)
        {
            using (TensorScope.Begin())
            {
                opt.ZeroGrad();
                var loss = Tensors.Losses.Losses.CrossEntropy(net.Forward(x), y);
                loss.Backward();
                opt.Step();
                if (step == 0) first = loss.Item();
                last = loss.Item();
            }
        }
        Assert.True(first > 0.5f, $"initial loss {first}");
        Assert.True(last < 0.02f, $"XOR loss after 200 Adam steps is {last}, expected < 0.02");
        using (Tensor.NoGrad())
        {
            var logits = net.Forward(x);
            for (int i = 0; i < 4; i++) Assert.Equal(y[i], logits[i, 1] > logits[i, 0] ? 1 : 0);
        }
    }

    [Fact]
    public void TwoMoonsWithBatchNormAndSgdNesterov()
    {
        var rng = new Random(7);
        int n = 128;
        var pts = new float[n * 2];
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            int c = i % 2;
            double t = Math.PI * rng.NextDouble();
            double px = c == 0 ? Math.Cos(t) : 1 - Math.Cos(t), py = c == 0 ? Math.Sin(t) : 0.5 - Math.Sin(t);
            pts[2 * i] = (float)(px + 0.1 * (rng.NextDouble() - 0.5));
            pts[2 * i + 1] = (float)(py + 0.1 * (rng.NextDouble() - 0.5));
            labels[i] = c;
        }
        var x = Tensor.FromArray(pts, n, 2).DetachFromScope();
        using var net = new Sequential(new Linear(2, 32, rng), new BatchNorm1d(32), new ReLU(), new Linear(32, 32, rng), new ReLU(), new Linear(32, 2, rng));
        using var opt = new Sgd(net.Parameters(), 0.1f, momentum: 0.9f, nesterov: true, weightDecay: 1e-4f);
        var schedule = new WarmupSchedule(new CosineSchedule(0.1f, 290), 10);
        float last = 0;
        for (int step = 0; step < 300; step++)
        {
            using (TensorScope.Begin())
            {
                opt.LearningRate = schedule.At(step);
                opt.ZeroGrad();
                var loss = Tensors.Losses.Losses.CrossEntropy(net.Forward(x), labels);
                loss.Backward();
                opt.Step();
                last = loss.Item();
            }
        }
        Assert.True(last < 0.05f, $"two-moons loss after 300 steps is {last}, expected < 0.05");
        net.Eval();
        using (Tensor.NoGrad())
        {
            var logits = net.Forward(x);
            int correct = Enumerable.Range(0, n).Count(i => (logits[i, 1] > logits[i, 0] ? 1 : 0) == labels[i]);
            Assert.True(correct >= n - 2, $"eval accuracy {correct}/{n}");
        }
    }
}
