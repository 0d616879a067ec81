using Clickscape.Tensors.Ops;
using Clickscape.Tensors.Tests.Autograd;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Tests.Ops;

/// <summary>Kernels partitioned by output rows give bit-identical results for 1 and 2 threads, forward and backward.</summary>
[Collection("ComputeThreads")]
public class ThreadDeterminismTests
{
    private static (float[] Out, float[] Grad) Run(int threads, Func<Tensor, Tensor> op, Tensor x)
    {
        int saved = ComputeThreads.Count;
        try
        {
            ComputeThreads.Count = threads;
            var input = x.Detach();
            input.RequiresGrad = true;
            var y = op(input);
            y.Backward(Tensor.Full(0.5f, y.ShapeArray()));
            return (y.ToArray(), input.Grad!.ToArray());
        }
        finally
        {
            ComputeThreads.Count = saved;
        }
    }

    public static TheoryData<string> Ops => new() { "scatter", "gather", "segmean", "segmax", "batchnorm", "softmax", "sum0", "edge" };

    [Theory]
    [MemberData(nameof(Ops))]
    public void OneAndTwoThreadsAgreeBitForBit(string name)
    {
        var rng = new Random(11);
        int m = 20_000, c = 16, targets = 300;
        var x = RandomTensors.Uniform(rng, -1, 1, m, c);
        var index = Enumerable.Range(0, m).Select(_ => rng.Next(targets)).ToArray();
        var nb = Enumerable.Range(0, m * 2).Select(_ => rng.Next(m)).ToArray();
        Func<Tensor, Tensor> op = name switch
        {
            "scatter" => t => IndexOps.ScatterAdd(t, index, targets),
            "gather" => t => t.IndexSelect(index),
            "segmean" => t => SegmentReductions.Mean(t, index, targets),
            "segmax" => t => SegmentReductions.Max(t, index, targets),
            "batchnorm" => t => BatchNorm.Forward(t, null, null, Tensor.Zeros(c), Tensor.Ones(c), training: true),
            "softmax" => t => t.LogSoftmax(),
            "sum0" => t => t.Sum(0),
            _ => t => EdgeFeatures.Forward(t, nb, 2),
        };
        var one = Run(1, op, x);
        var two = Run(2, op, x);
        Assert.Equal(one.Out, two.Out);
        Assert.Equal(one.Grad, two.Grad);
    }
}
