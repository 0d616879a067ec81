using Clickscape.Models.Solo;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Optim;

namespace Clickscape.Models.Tests.Solo;

public sealed class SoloNetTests
{
    private static readonly SoloOptions Small = new() { Classes = 3, InputSize = 64, BackboneChannels = [16, 16, 24, 24], Channels = 16, MaskChannels = 8, Grids = [12, 8, 4] };

    [Fact]
    public void Forward_GivesOneGridPerLevelAndStride4MaskFeatures()
    {
        using var net = new SoloNet(Small, new Random(1));
        using var scope = TensorScope.Begin();
        var x = Tensor.Uniform(new Random(2), -1, 1, 2, 3, 64, 64);
        var o = net.Forward(x);
        Assert.Equal(3, o.CategoryLogits.Count);
        for (int l = 0; l < 3; l++)
        {
            Assert.Equal([2, 3, Small.Grids[l], Small.Grids[l]], o.CategoryLogits[l].ShapeArray());
            Assert.Equal([2, 8, Small.Grids[l], Small.Grids[l]], o.Kernels[l].ShapeArray());
        }
        Assert.Equal([2, 8, 16, 16], o.MaskFeatures.ShapeArray());
        // the focal prior: every class probability starts near 0.01
        var p = 1 / (1 + Math.Exp(-o.CategoryLogits[0].Data[0]));
        Assert.InRange(p, 0.001, 0.1);
        Assert.Throws<ArgumentException>(() => net.Forward(Tensor.Zeros(1, 3, 32, 32)));
    }

    [Fact]
    public void MaskLogits_AreTheCellsKernelDottedWithTheFeatures()
    {
        using var net = new SoloNet(Small, new Random(3));
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        var o = net.Forward(Tensor.Uniform(new Random(4), -1, 1, 2, 3, 64, 64));
        var m = SoloNet.MaskLogits(o, 1, 1, [5, 17]);
        Assert.Equal([2, 256], m.ShapeArray());
        int grid = 8, e = 8;
        for (int r = 0; r < 2; r++)
        {
            int cell = r == 0 ? 5 : 17;
            foreach (int pixel in new[] { 0, 77, 255 })
            {
                double s = 0;
                for (int k = 0; k < e; k++)
                    s += o.Kernels[1].Data[((1 * e + k) * grid * grid) + cell] * o.MaskFeatures.Data[(1 * e + k) * 256 + pixel];
                Assert.Equal(s, m.Data[r * 256 + pixel], 4);
            }
        }
    }

    /// <summary>Two images with one object each: a short Adam run must cut the loss by more than half and make the
    /// object's centre cell predict its class and a mask that overlaps it (the network and loss can learn at all).</summary>
    [Fact]
    public void TinyOverfit_LossFallsAndTheCentreCellFindsTheObject()
    {
        using var net = new SoloNet(Small, new Random(5));
        var rng = new Random(6);
        var pixels = Tensor.Uniform(rng, -0.2f, 0.2f, 2, 3, 64, 64).DetachFromScope();
        var instances = new List<IReadOnlyList<SoloInstance>>();
        for (int b = 0; b < 2; b++)
        {
            var mask = new byte[64 * 64];
            int cx = b == 0 ? 20 : 40, cy = b == 0 ? 24 : 38, r = 10;
            for (int y = 0; y < 64; y++)
                for (int x = 0; x < 64; x++)
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
                    {
                        mask[y * 64 + x] = 1;
                        for (int c = 0; c < 3; c++) pixels.Data[((b * 3 + c) * 64 + y) * 64 + x] += b == 0 ? 1.5f : -1.5f;
                    }
            instances.Add([new SoloInstance(b, mask)]);
        }
        using var adam = new Adam(net.Parameters(), 3e-3f);
        float first = 0, last = 0;
        for (int step = 0; step < 60; step++)
        {
            using var scope = TensorScope.Begin();
            adam.ZeroGrad();
            var (total, _, _) = SoloLoss.Compute(net, net.Forward(pixels), instances);
            total.Backward();
            adam.Step();
            if (step == 0) first = total.Item();
            last = total.Item();
        }
        Assert.True(last < first / 2, $"loss {first} → {last}");
        net.Eval();
        using (TensorScope.Begin())
        using (Tensor.NoGrad())
        {
            var o = net.Forward(pixels);
            var proposals = PointGuidedProposals.Propose(o, 0, Small, [new LabelledPoint(20.5, 24.5, 0)], LevelSelection.Adaptive);
            Assert.Single(proposals);
            var truth = SoloTargets.Downsample(instances[0][0].Mask, 64, 4);
            double inter = 0, union = 0;
            for (int i = 0; i < truth.Length; i++)
            {
                bool p = proposals[0].MaskProbabilities[i] > 0.5f, t = truth[i] > 0.5f;
                if (p && t) inter++;
                if (p || t) union++;
            }
            Assert.True(inter / union > 0.5, $"IoU {inter / union:F2} of the point's mask with the object");
        }
    }
}
