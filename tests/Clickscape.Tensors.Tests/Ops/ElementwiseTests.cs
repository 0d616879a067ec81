using Clickscape.Tensors.Ops;
using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class ElementwiseTests
{
    public static TheoryData<int[], int[]> Shapes => new()
    {
        { [7], [7] },
        { [33, 5], [33, 5] },
        { [1], [1] },
        { [7, 3], [3] },       // bias row
        { [3], [7, 3] },       // bias row on the left
        { [7, 3], [7, 1] },    // per-row column
        { [2, 3, 4], [4] },
        { [2, 3, 4], [2, 3, 1] },
        { [5, 4], [1] },       // scalar
        { [5, 4], [] },        // rank-0 scalar
        { [257], [1, 257] },
    };

    private static double Ref(int kind, double a, double b) => kind switch
    {
        0 => a + b,
        1 => a - b,
        2 => a * b,
        _ => a / b,
    };

    private static Tensor Op(int kind, Tensor a, Tensor b) => kind switch
    {
        0 => a + b,
        1 => a - b,
        2 => a * b,
        _ => a / b,
    };

    /// <summary>Reference broadcast: index of the small operand for output element i.</summary>
    private static int SourceIndex(int[] outShape, int[] shape, int i)
    {
        // Right-align shapes (numpy rules) and map the multi-index, treating size-1 dims as broadcast.
        int rank = outShape.Length;
        var coord = new int[rank];
        for (int d = rank - 1, r = i; d >= 0; d--) { coord[d] = r % outShape[d]; r /= outShape[d]; }
        int off = 0;
        for (int d = 0; d < shape.Length; d++)
        {
            int od = d + rank - shape.Length;
            int c = od < 0 ? 0 : (shape[d] == 1 ? 0 : coord[od]);
            off = off * shape[d] + c;
        }
        return off;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void ForwardMatchesDoubleReference(int[] sa, int[] sb)
    {
        var rng = new Random(sa.Sum() * 31 + sb.Length);
        for (int kind = 0; kind < 4; kind++)
        {
            var a = RandomTensors.Positive(rng, sa);
            var b = RandomTensors.Positive(rng, sb);
            var c = Op(kind, a, b);
            var outShape = c.ShapeArray();
            Assert.Equal(Math.Max(a.Length, b.Length), c.Length);
            var expected = new double[c.Length];
            for (int i = 0; i < c.Length; i++)
                expected[i] = Ref(kind, a.Data[SourceIndex(outShape, sa, i)], b.Data[SourceIndex(outShape, sb, i)]);
            RandomTensors.AssertClose(expected, c.Data, what: $"kind {kind}");
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void GradientsMatchFiniteDifferences(int[] sa, int[] sb)
    {
        var rng = new Random(sa.Length * 7 + sb.Sum());
        for (int kind = 0; kind < 4; kind++)
        {
            int k = kind;
            GradCheck.Check(t => Op(k, t[0], t[1]), v => Reference.Broadcast(v[0], sa, v[1], sb, (p, q) => Ref(k, p, q)), [RandomTensors.Positive(rng, sa), RandomTensors.Positive(rng, sb)], seed: kind);
        }
    }

    [Fact]
    public void ScalarFormsAndGradients()
    {
        var rng = new Random(5);
        var x = RandomTensors.Uniform(rng, -1, 1, 7, 3);
        var y = 2f - (x * 3f + 1f) / 2f;
        for (int i = 0; i < x.Length; i++) Assert.Equal(2.0 - (x.Data[i] * 3.0 + 1.0) / 2.0, y.Data[i], 5);
        GradCheck.Check(t => 2f - (t[0] * 3f + 1f) / 2f, v => Reference.Map(v[0], a => 2 - (a * 3 + 1) * (double)(1f / 2f)), [x]);
        GradCheck.Check(t => -t[0], v => Reference.Map(v[0], a => -a), [RandomTensors.Uniform(rng, -1, 1, 33)]);
    }

    [Fact]
    public void IncompatibleShapesThrowWithBothShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(3, 4) + Tensor.Zeros(3));
        Assert.Contains("[3,4]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("[3]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LargeTensorsTakeTheParallelPathAndAgree()
    {
        var rng = new Random(9);
        int n = Elementwise.ParallelBlock * 3 + 17;
        var a = RandomTensors.Uniform(rng, -1, 1, n);
        var b = RandomTensors.Uniform(rng, -1, 1, n);
        var c = a * b;
        for (int i = 0; i < n; i += 997) Assert.Equal(a.Data[i] * b.Data[i], c.Data[i]);
    }
}
