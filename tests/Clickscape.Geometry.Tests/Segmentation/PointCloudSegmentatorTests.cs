using Clickscape.Data.Formats.Npy;
using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Segmentation;
using Clickscape.Testing;
using Xunit.Abstractions;

namespace Clickscape.Geometry.Tests.Segmentation;

public class PointCloudSegmentatorTests(ITestOutputHelper output)
{
    // Two perpendicular planes (floor and wall, 0.02 spacing) with two colours on the floor: with the normal term
    // the crease separates floor from wall; with the colour term the floor splits along the colour border.
    [Fact]
    public void Separates_planes_at_a_crease_and_colours_at_a_border()
    {
        var p = new List<float>();
        var c = new List<byte>();
        for (int i = 0; i < 30; i++)
        {
            for (int j = 0; j < 30; j++)
            {
                p.AddRange([i * 0.02f + 0.02f, j * 0.02f, 0]);           // floor, x > 0
                c.AddRange(i < 15 ? [200, 50, 50] : new byte[] { 50, 50, 200 });
                p.AddRange([0, j * 0.02f, i * 0.02f + 0.02f]);           // wall, z > 0
                c.AddRange([128, 128, 128]);
            }
        }
        float[] positions = [.. p];
        byte[] colors = [.. c];
        var options = new PointCloudSegmentationOptions { KThresh = 0.5f, MinPoints = 20, Viewpoint = new(0.3f, 0.3f, 0.3f), ColorWeight = 0 };
        var seg = PointCloudSegmentator.Segment(positions, colors, null, options);
        var floor = Enumerable.Range(0, seg.Length).Where(i => i % 2 == 0).Select(i => seg[i]).ToArray();
        var wall = Enumerable.Range(0, seg.Length).Where(i => i % 2 == 1).Select(i => seg[i]).ToArray();
        Assert.Empty(floor.Intersect(wall));

        // Floor point of row i, column j is point 2 (30 i + j).
        int Floor(int[] labels, int i, int j) => labels[2 * (30 * i + j)];
        Assert.Equal(Floor(seg, 10, 15), Floor(seg, 25, 15));

        var withColor = PointCloudSegmentator.Segment(positions, colors, null, options with { ColorWeight = 2 });
        var red = Enumerable.Range(0, 15).SelectMany(i => Enumerable.Range(0, 30).Select(j => Floor(withColor, i, j))).ToHashSet();
        var blue = Enumerable.Range(15, 15).SelectMany(i => Enumerable.Range(0, 30).Select(j => Floor(withColor, i, j))).ToHashSet();
        Assert.Empty(red.Intersect(blue));
    }

    [Fact]
    public void Supervoxel_mode_labels_whole_voxels_and_separates_the_crease()
    {
        var p = new List<float>();
        for (int i = 0; i < 40; i++)
        {
            for (int j = 0; j < 40; j++)
            {
                p.AddRange([i * 0.01f + 0.005f, j * 0.01f + 0.005f, 0]);   // floor
                p.AddRange([0, j * 0.01f + 0.005f, i * 0.01f + 0.005f]);   // wall (touches the floor at x = z = 0)
            }
        }
        float[] positions = [.. p];
        var options = new PointCloudSegmentationOptions { KThresh = 0.1f, MinPoints = 5, VoxelSize = 0.04f, Viewpoint = new(0.2f, 0.2f, 0.2f) };
        var seg = PointCloudSegmentator.Segment(positions, default, null, options);
        int n = positions.Length / 3;
        var byVoxel = Enumerable.Range(0, n).GroupBy(i => ((int)MathF.Floor(positions[3 * i] / 0.04f), (int)MathF.Floor(positions[3 * i + 1] / 0.04f), (int)MathF.Floor(positions[3 * i + 2] / 0.04f)));
        Assert.All(byVoxel, g => Assert.Single(g.Select(i => seg[i]).Distinct()));
        Assert.All(seg, id => Assert.Equal(id, seg[id])); // ids are points of their own segment
        // Beyond four voxels from the crease (where a corner strip forms its own segment), floor and wall never share one.
        var floor = Enumerable.Range(0, n).Where(i => i % 2 == 0 && positions[3 * i] > 0.16f).Select(i => seg[i]).ToHashSet();
        var wall = Enumerable.Range(0, n).Where(i => i % 2 == 1 && positions[3 * i + 2] > 0.16f).Select(i => seg[i]).ToHashSet();
        Assert.Empty(floor.Intersect(wall));
    }

    [Fact]
    public void Segments_are_connected_in_the_knn_graph_and_large_enough()
    {
        var (positions, _) = SyntheticMeshes.BumpyGrid(40, 37, 5);
        var seg = PointCloudSegmentator.Segment(positions);
        int n = positions.Length / 3;
        var (nb, _) = new KdTree(positions).Nearest(positions, 9);
        var inside = new DisjointSet(n);
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < 9; t++)
            {
                if (seg[nb[i * 9 + t]] == seg[i])
                    inside.Union(i, nb[i * 9 + t]);
            }
        }
        Assert.Equal(seg.Distinct().Count(), inside.SetCount);
        Assert.All(seg.GroupBy(s => s), g => Assert.True(g.Count() >= new PointCloudSegmentationOptions().MinPoints));
    }

    [SkippableFact]
    public void Real_scannet_sample_segment_statistics()
    {
        var path = RealData.Locate("scannet/scene0000_00/scene0000_00_vert_all.npy", output);
        var array = NpyReader.Read(path);
        var data = array.ToSingleArray();
        int n = array.Shape[0];
        var positions = new float[3 * n];
        var colors = new byte[3 * n];
        for (int i = 0; i < n; i++)
        {
            for (int d = 0; d < 3; d++)
            {
                positions[3 * i + d] = data[6 * i + d];
                colors[3 * i + d] = (byte)data[6 * i + 3 + d];
            }
        }
        var seg = PointCloudSegmentator.Segment(positions, colors);
        var sizes = seg.GroupBy(s => s).Select(g => g.Count()).Order().ToArray();
        output.WriteLine($"scene0000_00: {n} points, {sizes.Length} segments, median size {sizes[sizes.Length / 2]}, largest {sizes[^1]}");
        Assert.Equal(81369, n);
        Assert.All(sizes, s => Assert.True(s >= 60));
        // The defaults are calibrated to ScanNet's segment count on a real room (316 on 148 615 vertices).
        Assert.InRange(sizes.Length, 200, 450);

        var voxel = PointCloudSegmentator.Segment(positions, colors, null, new PointCloudSegmentationOptions { VoxelSize = 0.03f, MinPoints = 10 });
        var voxelSizes = voxel.GroupBy(s => s).Select(g => g.Count()).Order().ToArray();
        output.WriteLine($"scene0000_00 supervoxels 3 cm, 10 voxels min: {voxelSizes.Length} segments, median size {voxelSizes[voxelSizes.Length / 2]}, largest {voxelSizes[^1]}");
        Assert.InRange(voxelSizes.Length, 20, 5000);
    }
}
