using Clickscape.Tensors.Ops;
using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class ReductionsTests
{
    public static TheoryData<int[], int> AxisCases => new()
    {
        { [7], 0 },
        { [1, 1], 1 },
        { [7, 33], 0 },
        { [7, 33], 1 },
        { [3, 5, 4], 1 },
        { [2, 3, 4, 5], 2 },
        { [2, 3, 4, 5], -1 },
        { [257, 3], 0 },
    };

    [Theory]
    [MemberData(nameof(AxisCases))]
    public void AxisReductionsMatchReferenceAndGradients(int[] shape, int axis)
    {
        var rng = new Random(shape.Sum() + axis);
        var x = RandomTensors.Uniform(rng, -1, 1, shape);
        int a = axis < 0 ? axis + shape.Length : axis;
        int outer = shape.Take(a).Aggregate(1, (p, v) => p * v), d = shape[a], inner = shape.Skip(a + 1).Aggregate(1, (p, v) => p * v);
        var sum = new double[outer * inner];
        var max = new double[outer * inner];
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < inner; i++)
            {
                double s = 0, m = double.NegativeInfinity;
                for (int k = 0; k < d; k++) { double v = x.Data[(o * d + k) * inner + i]; s += v; m = Math.Max(m, v); }
                sum[o * inner + i] = s;
                max[o * inner + i] = m;
            }
        RandomTensors.AssertClose(sum, x.Sum(axis).Data, what: "sum");
        RandomTensors.AssertClose(sum.Select(v => v / d).ToArray(), x.Mean(axis).Data, what: "mean");
        RandomTensors.AssertClose(max, x.Max(axis).Data, what: "max");
        Assert.Equal(shape.Length, x.Sum(axis, keepDim: true).Rank);

        GradCheck.Check(t => t[0].Sum(axis), v => Reference.Reduce(v[0], shape, a, "sum"), [x]);
        GradCheck.Check(t => t[0].Mean(axis, keepDim: true), v => Reference.Reduce(v[0], shape, a, "mean"), [x]);
        GradCheck.Check(t => t[0].Max(axis), v => Reference.Reduce(v[0], shape, a, "max"), [RandomTensors.Distinct(rng, shape)]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(10_001)]
    public void TotalReductions(int n)
    {
        var rng = new Random(n);
        var x = RandomTensors.Uniform(rng, -1, 1, n);
        double s = x.ToArray().Sum(v => (double)v);
        Assert.Equal(s, x.Sum().Item(), 3);
        Assert.Equal(s / n, x.Mean().Item(), 5);
        Assert.Equal(x.ToArray().Max(), x.Max().Item());
        if (n < 100)
        {
            GradCheck.Check(t => t[0].Sum(), v => v[0].Sum(), [x]);
            GradCheck.Check(t => t[0].Mean(), v => v[0].Average(), [x]);
            GradCheck.Check(t => t[0].Max(), v => v[0].Max(), [RandomTensors.Distinct(rng, n)]);
        }
    }

    [Fact]
    public void MaxReportsArgMax()
    {
        var x = Tensor.FromArray([1f, 5f, 2f, 9f, 0f, 9f], 2, 3);
        var m = Reductions.Max(x, 1, out var arg);
        Assert.Equal([5f, 9f], m.ToArray());
        Assert.Equal([1, 0], arg);
    }
}
