using Clickscape.Tensors.Ops;
using Clickscape.Tensors.Tests.Autograd;

namespace Clickscape.Tensors.Tests.Ops;

public class SegmentReductionsTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 3, 4)]
    [InlineData(257, 5, 33)]
    [InlineData(100, 37, 7)] // wide rows: the SIMD max path plus its scalar tail
    public void MatchDoubleReferenceAndGradients(int m, int c, int segments)
    {
        var rng = new Random(m + c + segments);
        var x = RandomTensors.Uniform(rng, -1, 1, m, c);
        // Some rows unlabelled (−1); some segments may stay empty.
        var seg = Enumerable.Range(0, m).Select(_ => rng.Next(10) == 0 ? -1 : rng.Next(segments)).ToArray();
        var sum = new double[segments * c];
        var max = Enumerable.Repeat(double.NegativeInfinity, segments * c).ToArray();
        var count = new int[segments];
        for (int r = 0; r < m; r++)
        {
            if (seg[r] < 0) continue;
            count[seg[r]]++;
            for (int j = 0; j < c; j++)
            {
                sum[seg[r] * c + j] += x[r, j];
                max[seg[r] * c + j] = Math.Max(max[seg[r] * c + j], x[r, j]);
            }
        }
        var mean = sum.Select((v, i) => count[i / c] == 0 ? 0 : v / count[i / c]).ToArray();
        for (int i = 0; i < max.Length; i++) if (count[i / c] == 0) max[i] = 0;
        RandomTensors.AssertClose(sum, SegmentReductions.Sum(x, seg, segments).Data, what: "sum");
        RandomTensors.AssertClose(mean, SegmentReductions.Mean(x, seg, segments).Data, what: "mean");
        RandomTensors.AssertClose(max, SegmentReductions.Max(x, seg, segments).Data, what: "max");
        Assert.Equal(count, SegmentReductions.Counts(seg, segments));

        GradCheck.Check(t => SegmentReductions.Sum(t[0], seg, segments), v => Reference.Segment(v[0], c, seg, segments, "sum"), [x]);
        GradCheck.Check(t => SegmentReductions.Mean(t[0], seg, segments), v => Reference.Segment(v[0], c, seg, segments, "mean"), [x]);
        GradCheck.Check(t => SegmentReductions.Max(t[0], seg, segments), v => Reference.Segment(v[0], c, seg, segments, "max"), [RandomTensors.Distinct(rng, m, c)]);
    }
}
