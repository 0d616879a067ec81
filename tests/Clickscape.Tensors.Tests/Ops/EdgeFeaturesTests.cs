using Clickscape.Tensors.Ops;
using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class EdgeFeaturesTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 3, 4)]
    [InlineData(33, 5, 3)]
    public void MatchesReferenceAndGradients(int n, int k, int c)
    {
        var rng = new Random(n * 31 + k * 7 + c);
        var x = RandomTensors.Uniform(rng, -1, 1, n, c);
        var nb = Enumerable.Range(0, n * k).Select(_ => rng.Next(n)).ToArray();
        var y = EdgeFeatures.Forward(x, nb, k);
        Assert.Equal([n, k, 2 * c], y.ShapeArray());
        for (int i = 0; i < n; i++)
            for (int j = 0; j < k; j++)
                for (int ch = 0; ch < c; ch++)
                {
                    Assert.Equal(x[nb[i * k + j], ch] - x[i, ch], y[i, j, ch]);
                    Assert.Equal(x[i, ch], y[i, j, c + ch]);
                }
        GradCheck.Check(t => EdgeFeatures.Forward(t[0], nb, k), v => Reference.EdgeFeatures(v[0], n, c, nb, k), [x]);
    }
}
