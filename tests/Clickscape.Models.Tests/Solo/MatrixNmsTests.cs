using Clickscape.Models.Solo;

namespace Clickscape.Models.Tests.Solo;

public sealed class MatrixNmsTests
{
    private static SoloDetection Det(int cls, float score, int from, int to) =>
        new(cls, score, 0, 0, Enumerable.Range(0, 100).Select(i => i >= from && i < to ? 0.9f : 0.1f).ToArray());

    [Fact]
    public void Duplicate_IsDecayed_OtherClassAndDisjointAreNot()
    {
        var sorted = new[] { Det(0, 0.9f, 0, 40), Det(0, 0.8f, 0, 40), Det(1, 0.7f, 0, 40), Det(0, 0.6f, 60, 90) };
        var d = MatrixNms.Decay(sorted, 0.5f, 2f);
        Assert.Equal(1f, d[0]);
        Assert.Equal(MathF.Exp(-2f), d[1], 5); // iou 1 with the best, which itself overlaps nothing above it
        Assert.Equal(1f, d[2]);
        Assert.Equal(1f, d[3]);
    }

    [Fact]
    public void DecayIsCompensatedWhenTheSuppressorIsItselfADuplicate()
    {
        // b duplicates a (iou 1); c overlaps b by 0.5 and a by 0.5: c's decay through b is exp(−2(0.25 − 1)) > 1, through a exp(−0.5)
        var sorted = new[] { Det(0, 0.9f, 0, 40), Det(0, 0.8f, 0, 40), Det(0, 0.7f, 20, 60) };
        var d = MatrixNms.Decay(sorted, 0.5f, 2f);
        float iou = 20f / 60f;
        Assert.Equal(MathF.Exp(-2f * iou * iou), d[2], 5);
    }
}
