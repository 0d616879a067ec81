using System.Globalization;
using Clickscape.Data.Clicks;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Synthetic.Scenes;
using Clickscape.Evaluation.Interactive;
using Clickscape.Geometry.Interactive;
using Clickscape.Geometry.Scenes;
using Clickscape.Testing;
using Xunit.Abstractions;

namespace Clickscape.Studio.Tests.Interactive;

/// <summary>
/// NoC@80/85/90 and IoU@k of the model-free refiner (<see cref="SegmentRandomWalk"/>) with the protocol's simulated
/// user (<see cref="InteractiveClickSimulator"/>, 20 clicks, REFERENCE.md §5) scored by <see cref="ClickMetrics"/>:
/// on generated rooms (seed 11, not the seed its defaults were chosen on) and on the real ScanNet crops. The bars
/// are far looser than the measured values (printed); they catch a broken refiner, not a small regression.
/// </summary>
public class FallbackNocTests(ITestOutputHelper output)
{
    [Fact]
    public void Generated_rooms()
    {
        var objects = new List<InteractiveObject>();
        for (int index = 0; index < 3; index++)
        {
            var synth = SceneGenerator.Generate(11, index, SceneSize.Small);
            var scene = synth.Scene;
            var instances = scene.InstanceIds!;
            var walk = SegmentRandomWalk.FromScene(scene, synth.SegIndices);
            foreach (int id in instances.Distinct().Where(i => i > 0).Order())
            {
                var gt = instances.Select(v => v == id).ToArray();
                if (gt.Count(b => b) < 200) continue;
                objects.Add(Run(scene, walk, gt, id, scene.SemanticLabels![Array.IndexOf(instances, id)]));
            }
        }
        var result = Report("generated rooms (seed 11, scenes 0-2, small, every instance of >= 200 points)", objects);
        Assert.True(objects.Count >= 30);
        Assert.True(result.Overall.NocAt85 <= 8, $"NoC@85 {result.Overall.NocAt85}");
        Assert.True(result.Overall.IouAtClick[4] >= 0.8, $"IoU@5 {result.Overall.IouAtClick[4]}");
    }

    [SkippableFact]
    public void Real_scannet_crops()
    {
        var dir = RealData.Locate("scannet/scene0423_00_objects", output);
        if (dir is null) return;
        var objects = new List<InteractiveObject>();
        foreach (var crop in Directory.GetFiles(dir, "scene0423_00_crop_*.ply").Order(StringComparer.Ordinal))
        {
            var scene = PlyScene.Load(crop);
            var mask = PlyScene.Load(crop.Replace("_crop_", "_mask_", StringComparison.Ordinal));
            var gt = Enumerable.Range(0, mask.PointCount).Select(p => mask.Colors![3 * p] > 127).ToArray();
            var walk = SegmentRandomWalk.FromScene(scene); // point cloud: PointCloudSegmentator segments, k-NN adjacency
            int number = int.Parse(Path.GetFileNameWithoutExtension(crop).Split('_')[^1], CultureInfo.InvariantCulture);
            objects.Add(Run(scene, walk, gt, number, 0));
        }
        var result = Report("real ScanNet crops (scene0423_00_objects)", objects);
        Assert.Equal(6, objects.Count);
        Assert.True(result.Overall.NocAt90 <= 12, $"NoC@90 {result.Overall.NocAt90}");
        Assert.True(result.Overall.IouAtClick[4] >= 0.75, $"IoU@5 {result.Overall.IouAtClick[4]}");
    }

    private static InteractiveObject Run(Scene scene, SegmentRandomWalk walk, bool[] gt, int id, int label)
    {
        var user = new InteractiveClickSimulator(scene, gt, id, label);
        var session = new InteractiveSession(walk);
        var mask = session.Mask;
        var ious = new List<double>();
        for (int k = 0; k < ClickMetrics.MaxClicks; k++)
        {
            var click = user.NextClick(mask, k);
            if (click is null) break; // perfect on the sub-sampled points: the last IoU is carried forward
            mask = session.Add(new InteractiveClick(click.Point, click.Positive));
            ious.Add(Iou(mask, gt));
        }
        return new InteractiveObject(scene.Name, id, label, [.. ious]);
    }

    private ClickMetricsResult Report(string what, List<InteractiveObject> objects)
    {
        var r = new ClickMetrics().Evaluate(objects);
        var o = r.Overall;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {o.Objects} objects, NoC@80 {o.NocAt80:F2}, NoC@85 {o.NocAt85:F2}, NoC@90 {o.NocAt90:F2}, IoU@1 {o.IouAtClick[0]:F3}, IoU@3 {o.IouAtClick[2]:F3}, IoU@5 {o.IouAtClick[4]:F3}, IoU@10 {o.IouAtClick[9]:F3}"));
        return r;
    }

    private static double Iou(bool[] a, bool[] b)
    {
        int inter = 0, union = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] && b[i]) inter++;
            if (a[i] || b[i]) union++;
        }
        return union == 0 ? 1 : (double)inter / union;
    }
}
