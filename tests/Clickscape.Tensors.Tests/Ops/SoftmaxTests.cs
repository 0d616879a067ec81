using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class SoftmaxTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 3)]
    [InlineData(3, 33)]
    [InlineData(2, 257)]
    public void MatchesDoubleReferenceAndGradients(int rows, int cols)
    {
        var rng = new Random(rows * 1000 + cols);
        var x = RandomTensors.Uniform(rng, -3, 3, rows, cols);
        var soft = new double[rows * cols];
        var logSoft = new double[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            double max = double.NegativeInfinity, sum = 0;
            for (int c = 0; c < cols; c++) max = Math.Max(max, x.Data[r * cols + c]);
            for (int c = 0; c < cols; c++) sum += Math.Exp(x.Data[r * cols + c] - max);
            for (int c = 0; c < cols; c++)
            {
                logSoft[r * cols + c] = x.Data[r * cols + c] - max - Math.Log(sum);
                soft[r * cols + c] = Math.Exp(logSoft[r * cols + c]);
            }
        }
        RandomTensors.AssertClose(soft, x.Softmax().Data, rtol: 1e-5, atol: 1e-6);
        RandomTensors.AssertClose(logSoft, x.LogSoftmax().Data, rtol: 1e-5, atol: 1e-5);
        GradCheck.Check(t => t[0].Softmax(), v => Reference.Softmax(v[0], cols, log: false), [x]);
        GradCheck.Check(t => t[0].LogSoftmax(), v => Reference.Softmax(v[0], cols, log: true), [x]);
    }

    [Fact]
    public void StableForLargeLogits()
    {
        var x = Tensor.FromArray([1000f, 1000f, -1000f], 1, 3);
        Assert.Equal([0.5f, 0.5f, 0f], x.Softmax().ToArray());
        Assert.Equal(-MathF.Log(2), x.LogSoftmax().Data[0], 5);
    }
}
