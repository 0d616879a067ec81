using Clickscape.Tensors.Ops;
using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class PairwiseDistanceTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 5, 3)]
    [InlineData(33, 17, 6)]
    public void MatchesDoubleReferenceAndGradients(int n, int m, int c)
    {
        var rng = new Random(n * m + c);
        var a = RandomTensors.Uniform(rng, -1, 1, n, c);
        var b = RandomTensors.Uniform(rng, -1, 1, m, c);
        var d = PairwiseDistance.Squared(a, b);
        var expected = new double[n * m];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < m; j++)
            {
                double s = 0;
                for (int k = 0; k < c; k++) { double diff = a[i, k] - b[j, k]; s += diff * diff; }
                expected[i * m + j] = s;
            }
        RandomTensors.AssertClose(expected, d.Data, rtol: 1e-4, atol: 1e-5);
        GradCheck.Check(t => PairwiseDistance.Squared(t[0], t[1]), v => Reference.PairwiseSquared(v[0], n, v[1], m, c), [a, b]);
    }
}
