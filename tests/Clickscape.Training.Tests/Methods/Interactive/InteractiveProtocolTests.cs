using Clickscape.Data.Formats.Ply;
using Clickscape.Evaluation.Interactive;
using Clickscape.Geometry.Interactive;
using Clickscape.Geometry.Scenes;
using Clickscape.Training.Methods.Interactive;
using Clickscape.Training.Tests.Shared;

namespace Clickscape.Training.Tests.Methods.Interactive;

public sealed class InteractiveProtocolTests : TempFolder
{
    /// <summary>Answers every click with the ground truth: the protocol must score it 1 click at every threshold.</summary>
    private sealed class Oracle(bool[] truth) : IInteractiveSegmenter
    {
        public int PointCount => truth.Length;

        public bool[] Predict(IReadOnlyList<InteractiveClick> clicks) => (bool[])truth.Clone();
    }

    /// <summary>Marks only the points clicked so far positive (a poor segmenter whose IoU grows slowly).</summary>
    private sealed class ClickedPointsOnly(int n) : IInteractiveSegmenter
    {
        public int PointCount => n;

        public bool[] Predict(IReadOnlyList<InteractiveClick> clicks)
        {
            var m = new bool[n];
            foreach (var c in clicks) m[c.Point] = c.Positive;
            return m;
        }
    }

    private static InteractiveObjectSample Sample()
    {
        var (scene, _) = TinyDataset.Scene(0, 3000);
        int id = scene.InstanceIds!.Where(v => v > 0).GroupBy(v => v).OrderByDescending(g => g.Count()).First().Key;
        return InteractiveObjects.FromScene(scene, "s", 1).Single(o => o.ObjectId == id);
    }

    [Fact]
    public void PerfectSegmenter_ReachesEveryThresholdAtTheFirstClick()
    {
        var o = Sample();
        var r = InteractiveProtocol.Run(o, _ => new Oracle(o.Mask));
        Assert.Equal([1.0], r.IouPerClick); // the user sees no error after the first click and stops
        var m = new ClickMetrics().Evaluate([r]);
        Assert.Equal(1, m.Overall.NocAt90);
    }

    [Fact]
    public void PoorSegmenter_NeedsAllClicks_AndIoUNeverDecreases()
    {
        var o = Sample();
        var r = InteractiveProtocol.Run(o, _ => new ClickedPointsOnly(o.Mask.Length), maxClicks: 5);
        Assert.Equal(5, r.IouPerClick.Length);
        for (int k = 1; k < 5; k++) Assert.True(r.IouPerClick[k] >= r.IouPerClick[k - 1]);
        Assert.True(r.IouPerClick[^1] < 0.5);
        Assert.Equal(20, new ClickMetrics().Evaluate([r]).Overall.NocAt80);
    }

    [Fact]
    public void Fallback_OnATinyScene_SegmentsEveryObject()
    {
        var (scene, _) = TinyDataset.Scene(1, 3000);
        var objects = InteractiveObjects.FromScene(scene, "tiny", minPoints: 100).ToList();
        Assert.True(objects.Count >= 3);
        foreach (var o in objects)
        {
            Assert.Equal(o.Crop.PointCount, o.Mask.Length);
            Assert.Equal(scene.InstanceIds!.Count(v => v == o.ObjectId), o.Mask.Count(m => m)); // the 5 m crop holds the whole object
        }
        using var evaluation = InteractiveEvaluation.Open(null, null);
        Assert.Equal("fallback", evaluation.Method);
        var results = evaluation.Evaluate(objects, 10);
        var json = InteractiveEvaluation.ToJson(results, 10);
        Assert.Equal(objects.Count, (int)json["objects"]!);
        Assert.Equal(10, json["iou_at"]!.AsArray().Count);
        Assert.InRange((double)json["noc90"]!, 1, 20);
        Assert.True((double)json["iou_at"]![9]! > 0.8, $"IoU@10 {json["iou_at"]![9]}");
        Assert.NotNull(json["groups"]!["seen"]);
    }

    [Fact]
    public void CropFolder_PairsCropsWithMasks_AndReadsClassNames()
    {
        var (scene, _) = TinyDataset.Scene(0, 2000);
        var objects = InteractiveObjects.FromScene(scene, "t", minPoints: 50).Take(2).ToList();
        for (int k = 0; k < objects.Count; k++)
        {
            var crop = objects[k].Crop;
            var mask = crop.Slice(Enumerable.Range(0, crop.PointCount).ToArray());
            mask.Colors = objects[k].Mask.SelectMany(m => m ? new byte[] { 255, 255, 255 } : new byte[] { 0, 0, 0 }).ToArray();
            PlyScene.Save(Path.Combine(Dir, $"x_crop_{k}.ply"), crop);
            PlyScene.Save(Path.Combine(Dir, $"x_mask_{k}.ply"), mask);
        }
        File.WriteAllLines(Path.Combine(Dir, "names_classes.txt"), ["chair", "table"]);
        var loaded = InteractiveObjects.Load(Dir).ToList();
        Assert.Equal(objects.Count, loaded.Count);
        for (int k = 0; k < loaded.Count; k++)
        {
            Assert.Equal(objects[k].Mask, loaded[k].Mask);
            Assert.Equal(k == 0 ? 5 : 7, loaded[k].ClassId);
        }
        File.Delete(Path.Combine(Dir, "x_mask_1.ply"));
        var e = Assert.Throws<Clickscape.Data.IO.DataFormatException>(() => InteractiveObjects.Load(Dir).ToList());
        Assert.Contains("x_mask_1.ply", e.Message, StringComparison.Ordinal);
    }
}
