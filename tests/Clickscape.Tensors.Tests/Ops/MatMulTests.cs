using Clickscape.Tensors.Ops;
using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class MatMulTests
{
    public static TheoryData<int, int, int, bool, bool> Cases()
    {
        var d = new TheoryData<int, int, int, bool, bool>();
        foreach (var (m, n, k) in new[] { (1, 1, 1), (7, 3, 5), (33, 17, 9), (2, 65, 1) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    d.Add(m, n, k, ta, tb);
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesDoubleReferenceAndGradients(int m, int n, int k, bool ta, bool tb)
    {
        var rng = new Random(m * 100 + n * 10 + k);
        var a = ta ? RandomTensors.Uniform(rng, -1, 1, k, m) : RandomTensors.Uniform(rng, -1, 1, m, k);
        var b = tb ? RandomTensors.Uniform(rng, -1, 1, n, k) : RandomTensors.Uniform(rng, -1, 1, k, n);
        var c = a.MatMul(b, ta, tb);
        Assert.Equal([m, n], c.ShapeArray());
        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (double)(ta ? a.Data[p * m + i] : a.Data[i * k + p]) * (tb ? b.Data[j * k + p] : b.Data[p * n + j]);
                expected[i * n + j] = s;
            }
        RandomTensors.AssertClose(expected, c.Data, rtol: 1e-5, atol: 1e-5);
        GradCheck.Check(t => t[0].MatMul(t[1], ta, tb), v => Reference.MatMul(v[0], a.Dim(0), a.Dim(1), v[1], b.Dim(0), b.Dim(1), ta, tb), [a, b]);
    }

    [Theory]
    [InlineData(1, 1, 1, true)]
    [InlineData(7, 5, 3, true)]
    [InlineData(33, 4, 9, false)]
    public void LinearMatchesReferenceAndGradients(int rows, int inF, int outF, bool bias)
    {
        var rng = new Random(rows + inF + outF);
        var x = RandomTensors.Uniform(rng, -1, 1, rows, inF);
        var w = RandomTensors.Uniform(rng, -1, 1, outF, inF);
        var b = RandomTensors.Uniform(rng, -1, 1, outF);
        var y = MatMul.Linear(x, w, bias ? b : null);
        var expected = new double[rows * outF];
        for (int r = 0; r < rows; r++)
            for (int o = 0; o < outF; o++)
            {
                double s = bias ? b.Data[o] : 0;
                for (int i = 0; i < inF; i++) s += (double)x.Data[r * inF + i] * w.Data[o * inF + i];
                expected[r * outF + o] = s;
            }
        RandomTensors.AssertClose(expected, y.Data, rtol: 1e-5, atol: 1e-5);
        if (bias) GradCheck.Check(t => MatMul.Linear(t[0], t[1], t[2]), v => Reference.Linear(v[0], rows, inF, v[1], outF, v[2]), [x, w, b]);
        else GradCheck.Check(t => MatMul.Linear(t[0], t[1], null), v => Reference.Linear(v[0], rows, inF, v[1], outF, null), [x, w]);
    }

    [Fact]
    public void MismatchedInnerDimensionsThrow() =>
        Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, 3).MatMul(Tensor.Zeros(4, 2)));
}
