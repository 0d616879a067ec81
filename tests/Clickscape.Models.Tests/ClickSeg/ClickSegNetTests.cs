using Clickscape.Models.ClickSeg;
using Clickscape.Models.PointGroup;
using Clickscape.Models.Tests.PointGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Tests.ClickSeg;

public sealed class ClickSegNetTests
{
    [Fact]
    public void WrapsPointGroupsUNet_AndAddsTheTwoLearnedBandwidths()
    {
        using var net = new ClickSegNet(new PgUNet(new Random(2), 3, [4, 6], 1, 5, 4), sigmaE: 1.5f, sigmaP: 0.25f);
        Assert.Equal(1.5f, net.SigmaE, 5);
        Assert.Equal(0.25f, net.SigmaP, 5);
        var names = net.NamedParameters().Select(p => p.Name).ToList();
        Assert.Contains("log_sigma_e", names);
        Assert.Contains("log_sigma_p", names);
        Assert.Contains(names, n => n.StartsWith("net.backbone.", StringComparison.Ordinal));
        Assert.Equal(net.Net.ParameterCount() + 2, net.ParameterCount());

        var rng = new Random(3);
        int n = 40;
        var coords = SparseCoords.FromXyz(PgUNetTests.RandomVoxels(rng, n, 6));
        var x = Enumerable.Range(0, 3 * n).Select(_ => (float)rng.NextDouble()).ToArray();
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        net.Eval();
        var a = net.Forward(new SparseTensor(coords, Tensor.FromArray(x, n, 3)));
        var b = net.Net.Forward(new SparseTensor(coords, Tensor.FromArray(x, n, 3)));
        Assert.Equal(b.Embedding.ToArray(), a.Embedding.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ClickSegNet(new PgUNet(new Random(2), 3, [4], 1, 5, 4), sigmaE: 0f));
    }
}
