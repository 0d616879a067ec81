using Clickscape.Data.Synthetic.Scenes;
using Clickscape.Geometry.Interactive;

namespace Clickscape.Geometry.Tests.Interactive;

public class InteractiveSessionTests
{
    private static readonly Lazy<(SegmentRandomWalk Walk, int[] Instances)> Room = new(() =>
    {
        var synth = SceneGenerator.Generate(4, 1, SceneSize.Small);
        return (SegmentRandomWalk.FromScene(synth.Scene, synth.SegIndices), synth.Scene.InstanceIds!);
    });

    // Clicks on the points of three different instances, then a negative click on the last point of their mask.
    private static InteractiveClick[] SomeClicks(SegmentRandomWalk walk, int[] instances)
    {
        var ids = instances.Distinct().Where(i => i > 0).Order().Take(3).ToArray();
        var clicks = ids.Select(id => new InteractiveClick(Array.IndexOf(instances, id), true)).ToList();
        clicks.Add(new InteractiveClick(Array.LastIndexOf(walk.Predict(clicks), true), false));
        return [.. clicks];
    }

    [Fact]
    public void Each_click_returns_the_mask_of_the_clicks_so_far_and_undo_redo_walk_back_and_forth()
    {
        var (walk, instances) = Room.Value;
        var clicks = SomeClicks(walk, instances);
        var session = new InteractiveSession(walk);
        Assert.DoesNotContain(true, session.Mask);
        Assert.False(session.CanUndo);
        var masks = new List<bool[]>();
        for (int k = 0; k < clicks.Length; k++)
        {
            var mask = session.Add(clicks[k]);
            Assert.Equal(walk.Predict(clicks[..(k + 1)]), mask);
            masks.Add(mask);
        }
        Assert.NotEqual(masks[^1], masks[^2]);

        Assert.Equal(masks[^2], session.Undo());
        Assert.Equal(masks[^3], session.Undo());
        Assert.True(session.CanRedo);
        Assert.Equal(masks[^2], session.Redo());
        Assert.Equal(clicks[..^1], session.Clicks);

        // A new click after an undo drops the redo stack.
        session.Undo();
        var branched = session.Add(clicks[^1]);
        Assert.False(session.CanRedo);
        Assert.Equal(walk.Predict([clicks[0], clicks[1], clicks[3]]), branched);
        Assert.Equal(branched, session.Redo()); // nothing to redo: unchanged
        Assert.Equal([clicks[0], clicks[1], clicks[3]], session.Clicks);

        while (session.CanUndo) session.Undo();
        Assert.DoesNotContain(true, session.Mask);
        Assert.Equal(masks[0], session.Redo());
    }

    [Fact]
    public void Sessions_on_one_segmenter_run_in_parallel_with_the_results_of_a_sequential_run()
    {
        var (walk, instances) = Room.Value;
        var clicks = SomeClicks(walk, instances);
        var expected = walk.Predict(clicks);
        var results = new bool[8][];
        Parallel.For(0, results.Length, t =>
        {
            var session = new InteractiveSession(walk);
            foreach (var c in clicks) results[t] = session.Add(c);
        });
        foreach (var r in results) Assert.Equal(expected, r);

        // One session hit from several threads stays consistent: every click lands exactly once.
        var shared = new InteractiveSession(walk);
        Parallel.For(0, 16, _ => shared.Add(clicks[0]));
        Assert.Equal(16, shared.Clicks.Count);
    }

    [Fact]
    public void A_click_on_a_point_that_does_not_exist_is_rejected_and_leaves_the_session_unchanged()
    {
        var (walk, instances) = Room.Value;
        var session = new InteractiveSession(walk, [new InteractiveClick(0, true)]);
        var before = session.Mask;
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Add(new InteractiveClick(walk.PointCount, true)));
        Assert.Throws<ArgumentOutOfRangeException>(() => session.Add(new InteractiveClick(-1, false)));
        Assert.Equal(before, session.Mask);
        Assert.Single(session.Clicks);
        _ = instances;
    }
}
