using BenchmarkDotNet.Attributes;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Ops;
using Clickscape.Tensors.Threading;

namespace Clickscape.Benchmarks.Tensors;

/// <summary>
/// The dense 2-D operations of the image networks (PointWSSIS: SOLO teacher/student, MaskRefineNet), forward and
/// backward together, on feature-map sizes of those networks: a batch of 2 maps of 64 channels at 64×64.
/// The same cases, shapes and order as <c>bench/pytorch/image2d_ops.py</c> (PyTorch CPU), to run in one sitting and
/// report the ratio.
/// </summary>
/// <remarks>Run: <c>dotnet run -c Release --project bench/Clickscape.Benchmarks -- --filter *Image2dOpsBenchmarks*</c>,
/// then <c>/usr/bin/python3 bench/pytorch/image2d_ops.py</c>.</remarks>
[MemoryDiagnoser]
public class Image2dOpsBenchmarks
{
    /// <summary>One case: the op and its geometry.</summary>
    public sealed record Case(string Label, int N, int CIn, int H, int W)
    {
        public override string ToString() => Label;
    }

    public static IEnumerable<Case> Cases() =>
    [
        new("conv3x3 s1 64-64 @64", 2, 64, 64, 64),
        new("conv3x3 s2 64-128 @64", 2, 64, 64, 64),
        new("conv3x3 d2 64-64 @64", 2, 64, 64, 64),
        new("convT4x4 s2 64-32 @32", 2, 64, 32, 32),
        new("groupnorm32 64 @64", 2, 64, 64, 64),
        new("bilinear x2 64 @32", 2, 64, 32, 32),
    ];

    [ParamsSource(nameof(Cases))]
    public Case Op { get; set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    private Tensor _x = null!, _w = null!, _b = null!, _gamma = null!, _beta = null!;
    private int _savedThreads;

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(42);
        _x = Tensor.Uniform(rng, -1, 1, Op.N, Op.CIn, Op.H, Op.W).DetachFromScope();
        _x.RequiresGrad = true;
        var (wShape, bLength) = Op.Label switch
        {
            var l when l.StartsWith("conv3x3 s2", StringComparison.Ordinal) => (new[] { 128, 64, 3, 3 }, 128),
            var l when l.StartsWith("convT", StringComparison.Ordinal) => (new[] { 64, 32, 4, 4 }, 32),
            _ => (new[] { 64, 64, 3, 3 }, 64),
        };
        _w = Tensor.Uniform(rng, -0.05f, 0.05f, wShape).DetachFromScope();
        _b = Tensor.Uniform(rng, -0.05f, 0.05f, bLength).DetachFromScope();
        _gamma = Tensor.Ones(64).DetachFromScope();
        _beta = Tensor.Zeros(64).DetachFromScope();
        foreach (var p in new[] { _w, _b, _gamma, _beta }) p.RequiresGrad = true;
        _savedThreads = ComputeThreads.Count;
        ComputeThreads.Count = Threads;
    }

    [GlobalCleanup]
    public void Cleanup() => ComputeThreads.Count = _savedThreads;

    /// <summary>Forward, then backward of Σ y (gradient of ones), as the PyTorch script does.</summary>
    [Benchmark]
    public float ForwardBackward()
    {
        using var scope = TensorScope.Begin();
        var y = Op.Label switch
        {
            var l when l.StartsWith("conv3x3 s1", StringComparison.Ordinal) => Conv2d.Forward(_x, _w, _b, 1, 1),
            var l when l.StartsWith("conv3x3 s2", StringComparison.Ordinal) => Conv2d.Forward(_x, _w, _b, 2, 1),
            var l when l.StartsWith("conv3x3 d2", StringComparison.Ordinal) => Conv2d.Forward(_x, _w, _b, 1, 2, 2),
            var l when l.StartsWith("convT", StringComparison.Ordinal) => ConvTranspose2d.Forward(_x, _w, _b, 2, 1),
            var l when l.StartsWith("groupnorm", StringComparison.Ordinal) => GroupNorm.Forward(_x, 32, _gamma, _beta),
            _ => Upsample2d.Bilinear(_x, 2 * Op.H, 2 * Op.W),
        };
        var loss = y.Sum();
        loss.Backward();
        foreach (var p in new[] { _x, _w, _b, _gamma, _beta }) p.ZeroGrad();
        return loss.Item();
    }
}
