using Clickscape.Tensors.Ops;
using Clickscape.Tensors.Sparse;
using Clickscape.Tensors.Tests.Sparse;

namespace Clickscape.Tensors.Tests.Autograd;

/// <summary>
/// Tensor's ownership rule: disposing a tensor of a recorded graph before <c>Backward()</c> throws
/// <see cref="ObjectDisposedException"/> — it must never compute a gradient from a pooled array that another
/// tensor has taken over in between.
/// </summary>
public sealed class DisposedInputTests
{
    /// <summary>An operation of two inputs: the first ("data") does not require grad, the second ("weight") does.</summary>
    public static TheoryData<string> Ops() =>
    [
        "sparse conv", "sparse conv strided", "sparse conv transposed", "matmul", "linear", "conv2d",
        "multiply", "divide", "batchnorm", "pairwise distance", "concat",
    ];

    /// <summary>Creates the data input (rows × 4, no grad) and applies the operation to it and the weight.</summary>
    private static (Tensor Data, Tensor Y) Apply(string op, Tensor weight, SparseCoords coords, Random rng)
    {
        if (op == "sparse conv transposed")
        {
            // The transposed conv reads features on the coarse rows of the strided map.
            var map = coords.GetKernelMap(2, 2);
            var coarse = RandomTensors.Uniform(rng, -1, 1, map.Output.Count, 4);
            return (coarse, SparseConv3d.Convolve(map, coarse, weight.Slice(0, 0, 8 * 16).Reshape(8, 4, 4), transposed: true));
        }
        if (op == "conv2d")
        {
            var image = RandomTensors.Uniform(rng, -1, 1, 1, 4, 6, 5);
            return (image, Tensors.Ops.Conv2d.Forward(image, weight.Slice(0, 0, 4 * 4 * 9).Reshape(4, 4, 3, 3), null, padding: 1));
        }
        var data = RandomTensors.Uniform(rng, -1, 1, coords.Count, 4);
        Tensor y = op switch
        {
            "sparse conv" => SparseConv3d.Convolve(coords.GetKernelMap(3), data, weight.Reshape(27, 4, 4), transposed: false),
            "sparse conv strided" => SparseConv3d.Convolve(coords.GetKernelMap(2, 2), data, weight.Slice(0, 0, 8 * 16).Reshape(8, 4, 4), transposed: false),
            "matmul" => data.MatMul(weight.Slice(0, 0, 4 * 3).Reshape(4, 3)),
            "linear" => MatMul.Linear(data, weight.Slice(0, 0, 3 * 4).Reshape(3, 4), null),
            "multiply" => data * weight.Slice(0, 0, 4),
            "divide" => weight.Slice(0, 0, 4) / data,
            "batchnorm" => BatchNorm.Forward(data, weight.Slice(0, 0, 4), null, Tensor.Zeros(4), Tensor.Ones(4), training: true),
            "pairwise distance" => PairwiseDistance.Squared(data, weight.Slice(0, 0, 12).Reshape(3, 4)),
            _ => Tensor.Concat([data, weight.Slice(0, 0, 8).Reshape(2, 4)], 0),
        };
        return (data, y);
    }

    [Theory]
    [MemberData(nameof(Ops))]
    public void DisposingAnInputBeforeBackwardThrowsInsteadOfReadingAReusedBuffer(string op)
    {
        var coords = RandomVoxels.Create(64, 6, seed: 3);
        var rng = new Random(5);
        var weight = RandomTensors.Uniform(rng, -1, 1, 27 * 16);
        weight.RequiresGrad = true;
        var (data, y) = Apply(op, weight, coords, rng);
        var loss = y.Sum();

        // The probe of the review: dispose the input and let the pool hand its array to a new tensor full of junk.
        int length = data.Length;
        data.Dispose();
        var reuse = Tensor.Full(6e4f, length);

        Assert.Throws<ObjectDisposedException>(() => loss.Backward());
        GC.KeepAlive(reuse);
    }

    [Fact]
    public void DisposingAnIntermediateBeforeBackwardThrows()
    {
        var w = RandomTensors.Uniform(new Random(1), -1, 1, 5, 3);
        w.RequiresGrad = true;
        var x = RandomTensors.Uniform(new Random(2), -1, 1, 4, 5);
        var h = x.MatMul(w);
        var loss = h.Relu().Sum();
        h.Dispose();
        Assert.Throws<ObjectDisposedException>(() => loss.Backward());
    }

    [Fact]
    public void DisposedRootThrows()
    {
        var w = RandomTensors.Uniform(new Random(1), -1, 1, 3);
        w.RequiresGrad = true;
        var loss = (w * w).Sum();
        loss.Dispose();
        Assert.Throws<ObjectDisposedException>(() => loss.Backward());
    }
}
