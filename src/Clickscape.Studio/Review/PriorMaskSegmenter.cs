using Clickscape.Geometry.Interactive;

namespace Clickscape.Studio.Review;

/// <summary>
/// Fixing a predicted mask with clicks (review mode): the mask starts as the prediction and each click after the first
/// edits it with the region it wins on <paramref name="inner"/>, the scene's interactive segmenter. Click 0 is the
/// object's anchor (a point of the prediction) and leaves the prediction as it is. Click k &gt; 0 claims the region
/// <paramref name="inner"/> gives for k as a positive click competing against every click of the other sign as
/// negative ones (the anchor counts as positive); a positive click adds that region, a negative one removes it, in
/// click order, later over earlier — the way the interactive protocol applies corrective clicks to the current mask
/// (REFERENCE.md §5), with the prediction in place of a first click's mask.
/// </summary>
/// <remarks>Immutable and thread-safe when <paramref name="inner"/> is.</remarks>
/// <param name="inner">The scene's segmenter (<see cref="SegmentRandomWalk"/> or a trained model behind <see cref="IInteractiveSegmenter"/>).</param>
/// <param name="prior">The predicted mask, one flag per point.</param>
public sealed class PriorMaskSegmenter(IInteractiveSegmenter inner, bool[] prior) : IInteractiveSegmenter
{
    private readonly bool[] _prior = prior.Length == inner.PointCount ? (bool[])prior.Clone()
        : throw new ArgumentException($"prior mask has {prior.Length} flags, the scene has {inner.PointCount} points", nameof(prior));

    /// <inheritdoc/>
    public int PointCount => inner.PointCount;

    /// <inheritdoc/>
    public bool[] Predict(IReadOnlyList<InteractiveClick> clicks)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        var mask = (bool[])_prior.Clone();
        for (int k = 1; k < clicks.Count; k++)
        {
            var click = clicks[k];
            var competition = new List<InteractiveClick> { new(click.Point, true) };
            for (int j = 0; j < clicks.Count; j++)
            {
                bool positive = j == 0 || clicks[j].Positive;
                if (j != k && positive != click.Positive) competition.Add(new InteractiveClick(clicks[j].Point, false));
            }
            var region = inner.Predict(competition);
            for (int p = 0; p < mask.Length; p++)
            {
                if (region[p]) mask[p] = click.Positive;
            }
        }
        return mask;
    }
}
