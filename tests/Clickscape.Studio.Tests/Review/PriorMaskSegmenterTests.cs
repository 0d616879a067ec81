using Clickscape.Geometry.Interactive;
using Clickscape.Studio.Review;

namespace Clickscape.Studio.Tests.Review;

/// <summary>
/// <see cref="PriorMaskSegmenter"/> against hand-worked cases on ten points in a row, with an inner segmenter whose
/// answer is known: the first click's point and its two neighbours, less the points of the other clicks.
/// </summary>
public class PriorMaskSegmenterTests
{
    private sealed class Neighbours : IInteractiveSegmenter
    {
        public int PointCount => 10;

        public bool[] Predict(IReadOnlyList<InteractiveClick> clicks)
        {
            var mask = new bool[10];
            for (int p = Math.Max(0, clicks[0].Point - 1); p <= Math.Min(9, clicks[0].Point + 1); p++) mask[p] = true;
            foreach (var c in clicks.Skip(1)) mask[c.Point] = false;
            return mask;
        }
    }

    private static readonly bool[] Prior = [.. Enumerable.Range(0, 10).Select(p => p is >= 2 and <= 6)];

    private static int[] Run(params InteractiveClick[] clicks)
    {
        var mask = new PriorMaskSegmenter(new Neighbours(), Prior).Predict(clicks);
        return [.. Enumerable.Range(0, 10).Where(p => mask[p])];
    }

    [Fact]
    public void The_anchor_alone_is_the_prediction() => Assert.Equal([2, 3, 4, 5, 6], Run(new InteractiveClick(4, true)));

    [Fact]
    public void A_negative_click_removes_what_it_wins_against_the_positives() =>
        Assert.Equal([2, 3, 4], Run(new(4, true), new(6, false)));      // 6 claims {5, 6, 7}

    [Fact]
    public void A_positive_click_adds_what_it_wins_against_the_negatives() =>
        Assert.Equal([2, 3, 4, 7, 8, 9], Run(new(4, true), new(6, false), new(8, true))); // 8 claims {7, 8, 9}; 6 still claims {5, 6, 7} (8 as a negative seed)

    [Fact]
    public void Later_clicks_win_over_earlier_ones() =>
        Assert.Equal([2, 3, 4, 5, 8, 9], Run(new(4, true), new(8, true), new(7, false))); // 8 claims {8, 9} against 7; then 7 claims {6, 7}

    [Fact]
    public void A_prior_of_the_wrong_length_is_refused() =>
        Assert.Throws<ArgumentException>(() => new PriorMaskSegmenter(new Neighbours(), new bool[9]));
}
