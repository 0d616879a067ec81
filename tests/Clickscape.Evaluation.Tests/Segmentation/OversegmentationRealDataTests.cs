using Clickscape.Data;
using Clickscape.Evaluation.Segmentation;
using Clickscape.Geometry.Segmentation;
using Clickscape.Testing;
using Xunit.Abstractions;

namespace Clickscape.Evaluation.Tests.Segmentation;

/// <summary>
/// Guards the measured quality of the point-cloud over-segmentations on the real ScanNet scan (docs/overseg-curve.md).
/// These are regression floors a little under today's values (felzenszwalb 0.852 at 270 segments, region merging
/// 0.847 / recall 0.941 at 300), not the target (purity ≥ 0.92 at ≤ 350 segments), which no method reaches.
/// </summary>
public class OversegmentationRealDataTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Scene0000_default_and_region_merging_stay_at_their_measured_quality()
    {
        var folder = RealData.Locate("scannet/scene0000_00", output);
        if (folder is null)
            return;
        var scene = SceneLoader.Load(folder);
        Assert.Equal(81369, scene.PointCount);
        var quality = new OversegmentationQuality();

        var fh = quality.Evaluate(scene.Positions, PointCloudSegmentator.Segment(scene.Positions, scene.Colors), scene.InstanceIds!);
        output.WriteLine($"felzenszwalb: {fh}");
        Assert.InRange(fh.Segments, 200, 350);
        Assert.True(fh.Purity >= 0.84, $"purity {fh.Purity}");

        var rm = quality.Evaluate(scene.Positions, RegionMergingSegmentation.Segment(scene.Positions, scene.Colors), scene.InstanceIds!);
        output.WriteLine($"region merging: {rm}");
        Assert.InRange(rm.Segments, 290, 300);
        Assert.True(rm.Purity >= 0.835, $"purity {rm.Purity}");
        Assert.True(rm.BoundaryRecall >= 0.92, $"boundary recall {rm.BoundaryRecall}");
    }
}
