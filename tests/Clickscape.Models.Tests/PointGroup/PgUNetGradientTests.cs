using Clickscape.Models.PointGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Tests.PointGroup;

/// <summary>The composed network's backward (sparse convs, BN, concat, heads, all three loss terms) against central finite differences.</summary>
public sealed class PgUNetGradientTests
{
    [Fact]
    public void TotalLoss_Gradient_MatchesFiniteDifferences_OnWeightsAcrossTheNetwork()
    {
        var rng = new Random(11);
        int n = 90;
        var coords = SparseCoords.FromXyz(PgUNetTests.RandomVoxels(rng, n, 7));
        using var model = new PgUNet(new Random(12), 3, [4, 6, 8], 1, 5, 4);
        var features = Enumerable.Range(0, 3 * n).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
        var sem = Enumerable.Range(0, n).Select(i => i % 7 == 0 ? -100 : rng.Next(5)).ToArray();
        var inst = Enumerable.Range(0, n).Select(i => i % 5 == 0 ? -100 : rng.Next(3)).ToArray();
        var off = Enumerable.Range(0, 3 * n).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        var targets = new PgTargets(sem, inst, off);
        using var x = Tensor.FromArray(features, n, 3).DetachFromScope();

        double Loss()
        {
            using var scope = TensorScope.Begin();
            using var noGrad = Tensor.NoGrad();
            return PgUNetLoss.Compute(model.Forward(new SparseTensor(coords, x)), targets).Total.Item();
        }

        model.ZeroGrad();
        using (TensorScope.Begin())
        {
            PgUNetLoss.Compute(model.Forward(new SparseTensor(coords, x)), targets).Total.Backward();
        }

        var parameters = model.NamedParameters().ToDictionary(p => p.Name, p => p.Value);
        string[] names =
        [
            "backbone.input_conv.weight", "backbone.unet.blocks.0.conv2.weight", "backbone.unet.down.weight",
            "backbone.unet.u.u.blocks.0.conv1.weight", "backbone.unet.up.weight", "backbone.unet.tail.0.proj.weight",
            "backbone.unet.tail.0.bn1.0.weight", "sem.weight", "emb.0.weight", "off.3.bias",
        ];
        int checkedCount = 0;
        foreach (var name in names)
        {
            var w = parameters[name];
            var grad = w.Grad!.Data.ToArray();
            // the two entries with the largest analytic gradient (a clear signal above float32 noise)
            var picks = Enumerable.Range(0, grad.Length).OrderByDescending(i => Math.Abs(grad[i])).Take(2);
            foreach (int i in picks)
            {
                // ReLU kinks and the discriminative hinges make larger steps biased, float32 noise limits smaller
                // ones: accept the best of three step sizes (deterministic, so not a retry on noise).
                float original = w.Data[i];
                double bestError = double.PositiveInfinity, bestNumeric = double.NaN;
                foreach (float h in new[] { 1e-3f, 5e-4f, 2.5e-4f })
                {
                    w.Data[i] = original + h;
                    double plus = Loss();
                    w.Data[i] = original - h;
                    double minus = Loss();
                    w.Data[i] = original;
                    double numeric = (plus - minus) / (2 * h);
                    if (Math.Abs(numeric - grad[i]) < bestError) (bestError, bestNumeric) = (Math.Abs(numeric - grad[i]), numeric);
                }
                double tolerance = 2e-3 + 0.03 * Math.Abs(grad[i]);
                Assert.True(bestError <= tolerance, $"{name}[{i}]: analytic {grad[i]:G6}, finite difference {bestNumeric:G6}");
                checkedCount++;
            }
        }
        Assert.Equal(2 * names.Length, checkedCount);
    }
}
