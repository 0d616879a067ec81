using Clickscape.Data;
using Clickscape.Data.Clicks;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Geometry.Scenes;
using Clickscape.Geometry.Segmentation;
using Clickscape.Models.SegGroup;
using Clickscape.Tensors.Autograd;
using Clickscape.Testing;
using Clickscape.Training.Data;
using Clickscape.Training.Methods.SegGroup;
using Clickscape.Training.Tests.Shared;
using Xunit.Abstractions;

namespace Clickscape.Training.Tests.Methods.SegGroup;

/// <summary>SegGroup on point clouds: segment adjacency from k nearest neighbours instead of mesh faces.</summary>
public sealed class SegGroupPointCloudTests(ITestOutputHelper output) : TempFolder
{
    [Fact]
    public void WithoutFaces_SegmentsAreAdjacentWhenTheirPointsAreNeighbours()
    {
        // three segments on a line: 0 at x 0..0.9, 1 at x 1..1.9 (touching 0), 2 at x 10..10.9 (far from both)
        var positions = new List<float>();
        var segments = new List<int>();
        foreach (var (segment, start) in new[] { (5, 0f), (8, 1f), (9, 10f) })
        {
            for (int i = 0; i < 10; i++)
            {
                positions.AddRange([start + 0.1f * i, 0f, 0f]);
                segments.Add(segment);
            }
        }
        var scene = new Scene("line", [.. positions]);
        var graph = SegGroupSceneBuilder.Adjacency(scene, [.. segments], 3);
        Assert.Equal(3, graph.Count);
        Assert.Equal([1], graph.Neighbors(0));
        Assert.Equal([0], graph.Neighbors(1));
        Assert.Empty(graph.Neighbors(2));
    }

    [SkippableFact]
    public void RealScanNetPointCloud_EveryPointEndsInAClickedObject()
    {
        var folder = RealData.Locate("scannet/scene0000_00", output);
        var segmentsDir = Path.Combine(Dir, "segs");
        Directory.CreateDirectory(segmentsDir);
        var dataset0 = SceneDataset.Open(folder);
        var source = dataset0.SingleScene();
        var scene = source.Load();
        Assert.Null(scene.Faces);
        new SegmentsFile(source.Name, PointCloudSegmentator.Segment(scene.Positions, scene.Colors), 0.03f, 20)
            .Write(SceneDataset.SegmentsOutputPath(source, 0.03f, segmentsDir));
        var dataset = SceneDataset.Open(folder, new SceneDatasetOptions { Segments = segmentsDir });
        var clicks = ClickSimulator.Simulate(scene, new ClickSimulator.Options(ClickPolicy.MaxSegment, 1), dataset.Segments(source, scene));
        var prepared = PreparedScene.Prepare(source, null, 0.05f, requireLabels: false);
        var (input, _) = SegGroupSceneBuilder.Build(dataset, source, scene, prepared, clicks.Clicks, 10);
        output.WriteLine($"{input.PointCount} points, {input.SegmentCount} segments, {input.EdgeA.Length} edges, {clicks.Clicks.Count} clicks");
        Assert.True(input.EdgeA.Length >= input.SegmentCount - 1, "a scan's segments form a connected-ish graph");

        using var net = new SegGroupNet(new Random(1));
        var labels = SegGroupPseudoLabeler.Label(net, input);
        Assert.Equal(scene.PointCount, labels.Semantic.Length);
        var clicked = clicks.Clicks.Select(c => c.Label).ToHashSet();
        Assert.All(labels.Semantic, l => Assert.Contains(l, clicked));
        Assert.All(clicks.Clicks, c => Assert.Equal(c.Label, labels.Semantic[c.Point]));
    }
}
