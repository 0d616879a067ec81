using Clickscape.Geometry.Interactive;
using Clickscape.Models.Interactive;
using Clickscape.Training.Methods;
using Clickscape.Training.Methods.Interactive;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Methods.Interactive;

public sealed class OnlineAdaptationTests
{
    [Fact]
    public void AdaptsACopy_TowardsTheClicks_AndLeavesTheTrainedNetworkAlone()
    {
        var config = InteractiveLossTests.Config("interactive");
        var method = (InteractiveMethod)MethodRegistry.CreateDefault().Get("interactive");
        using var trained = (InteractiveNet)method.CreateModel(config, 1);
        trained.Eval();
        var before = trained.StateDict().ToDictionary(kv => kv.Key, kv => kv.Value.ToArray());
        var (scene, _) = TinyDataset.Scene(0, 3000);
        int id = scene.InstanceIds!.Where(v => v > 0).GroupBy(v => v).OrderByDescending(g => g.Count()).First().Key;
        int inside = Array.IndexOf(scene.InstanceIds!, id);
        // one positive click on the largest object and negatives on five points outside it
        var outside = Enumerable.Range(0, scene.PointCount).Where(p => scene.InstanceIds![p] != id).ToArray();
        var clicks = new[] { new InteractiveClick(inside, true) }.Concat(Enumerable.Range(0, 5).Select(k => new InteractiveClick(outside[k * outside.Length / 5], false))).ToArray();
        var plain = new InteractiveNetSegmenter(trained, scene.Positions, scene.Colors, 0.05f).Predict(clicks);
        using var adaptive = new OnlineAdaptation(method, config, trained, scene, new OnlineAdaptationOptions { LearningRate = 1e-2f, Steps = 20 });
        var mask = adaptive.Predict(clicks);
        // the trained network is untouched
        foreach (var (name, t) in trained.StateDict()) Assert.Equal(before[name], t.ToArray());
        // the clicked cubes are forced, and 20 steps on the clicks moved the prediction towards them: the untrained
        // network calls (almost) everything foreground, the adapted copy much less
        foreach (int p in new ClickCubes(scene.Positions).Region(inside)) Assert.True(mask[p]);
        Assert.True(mask.Count(m => m) < 0.8 * plain.Count(m => m), $"{mask.Count(m => m)} vs {plain.Count(m => m)}");
        Assert.Throws<ArgumentOutOfRangeException>(() => adaptive.Predict([new InteractiveClick(scene.PointCount, true)]));
    }
}
