using Clickscape.Data.Formats.Npy;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.SemanticKitti;
using Clickscape.Testing;
using Xunit.Abstractions;

namespace Clickscape.Data.Tests.Formats;

/// <summary>Every real sample in shared/data/real loads with the counts its README states.</summary>
public class RealSampleTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void ScanNetNpy_Scene0000_Has81369PointsAnd67SingleClassInstances()
    {
        var folder = RealData.Locate("scannet/scene0000_00", output);
        var scene = SceneLoader.Load(folder);
        Assert.Equal("scene0000_00", scene.Name);
        Assert.Equal(81369, scene.PointCount);
        Assert.Equal("nyu40", scene.Classes!.Name);
        var instances = scene.InstanceIds!.Where(k => k != 0).Distinct().ToList();
        Assert.Equal(67, instances.Count);
        Assert.Equal(Enumerable.Range(1, 67), instances.Order());
        var classesPerInstance = Enumerable.Range(0, scene.PointCount).Where(i => scene.InstanceIds![i] != 0)
            .GroupBy(i => scene.InstanceIds![i]).Select(g => g.Select(i => scene.SemanticLabels![i]).Distinct().Count());
        Assert.All(classesPerInstance, c => Assert.Equal(1, c));
        Assert.All(scene.SemanticLabels!, l => Assert.InRange(l, 0, 40));
        Assert.Contains(scene.Colors!, c => c > 100);
        var raw = NpyReader.Read(Path.Combine(folder, "scene0000_00_sem_label_all.npy"));
        Assert.Equal(NpyDType.UInt32, raw.DType);
    }

    [SkippableFact]
    public void ScanNetCrops_DoubleXyzUcharRgb_MasksMatchTheirCrops()
    {
        var folder = RealData.Locate("scannet/scene0423_00_objects", output);
        for (int i = 0; i < 6; i++)
        {
            var cropPath = Path.Combine(folder, $"scene0423_00_crop_{i}.ply");
            var data = PlyReader.Read(cropPath);
            Assert.Equal(PlyScalarType.Float64, data.Element("vertex")!.Property("x")!.Type);
            Assert.Equal(PlyScalarType.UInt8, data.Element("vertex")!.Property("red")!.Type);
            var crop = PlyScene.Load(cropPath);
            var mask = PlyScene.Load(Path.Combine(folder, $"scene0423_00_mask_{i}.ply"));
            Assert.Equal(crop.PointCount, mask.PointCount);
            Assert.Equal(crop.Positions, mask.Positions);
            Assert.All(mask.Colors!, c => Assert.True(c is 0 or 255));
            int inside = Enumerable.Range(0, mask.PointCount).Count(p => mask.Colors![3 * p] == 255);
            Assert.InRange(inside, 1, mask.PointCount - 1);
            output.WriteLine($"crop {i}: {crop.PointCount} points, {inside} in the object");
        }
    }

    [SkippableFact]
    public void SemanticKitti_Sweep_Has124668PointsAndItsCarInstances()
    {
        var path = RealData.Locate("semantickitti/seq00_000000/000000.bin", output);
        var scene = SemanticKittiScan.Load(path);
        Assert.Equal(124668, scene.PointCount);
        // The .label holds 14 (instance, class) pairs: 13 car instances (class 10; ids 208..219 and 504) and
        // one moving-motorcyclist (class 255, instance 1). The README's "13 instances" counts differently.
        Assert.Equal(14, scene.InstanceIds!.Where(k => k != 0).Distinct().Count());
        var carInstances = Enumerable.Range(0, scene.PointCount).Where(i => scene.InstanceIds![i] != 0 && scene.SemanticLabels![i] == 10)
            .Select(i => scene.InstanceIds![i]).Distinct().Count();
        Assert.Equal(13, carInstances);
        Assert.Equal(88, scene.SemanticLabels!.Count(l => l == 255));
        Assert.Null(scene.Colors);
    }

    [SkippableFact]
    public void PartNet_Bottle_Has10000PointsAndItsHierarchy()
    {
        var folder = RealData.Locate("partnet/3763", output);
        var shape = PartNetShape.Load(folder);
        Assert.Equal(10000, shape.PointCount);
        Assert.Equal(("3763", "Bottle"), (shape.AnnoId, shape.Category));
        Assert.Equal("bottle", shape.Roots[0].Name);
        Assert.Equal(2, shape.MaxDepth);
        Assert.Equal(new[] { "bottle", "normal_bottle", "lid" }, shape.Ancestors(7).Select(n => n.Name));
        Assert.Equal(new[] { 5, 6, 7 }, shape.PointNodeIds.Distinct().Order());
        Assert.Equal(3, shape.ToScene(2).InstanceIds!.Distinct().Count());
        Assert.Single(shape.ToScene(1).InstanceIds!.Distinct());
    }

    [SkippableFact]
    public void SceneLoader_EnumeratesAndLoadsEveryRealSample()
    {
        var root = RealData.Locate("", output);
        var sources = SceneLoader.Enumerate(root).ToList();
        foreach (var s in sources) output.WriteLine($"{s.Format,-14} {s.Name}");
        Assert.Contains(sources, s => s.Format == "scannet-npy");
        Assert.Contains(sources, s => s.Format == "partnet");
        Assert.Contains(sources, s => s.Format == "semantickitti");
        Assert.Equal(12, sources.Count(s => s.Format == "ply"));
        foreach (var s in sources) Assert.Null(s.Load().Validate());
    }
}
