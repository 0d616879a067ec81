using Clickscape.Geometry.Segmentation;

namespace Clickscape.Geometry.Tests.Segmentation;

public class SegmentBoundaryRefinementTests
{
    private static float[] ExactNormals(int n) =>
        Enumerable.Range(0, n).SelectMany(i => SupervoxelScenes.OnFloor(i) ? new float[] { 0, 0, 1 } : [1, 0, 0]).ToArray();

    [Fact]
    public void Moves_wall_points_mislabelled_as_floor_back_to_the_wall()
    {
        // Floor and wall meet at x = z = 0; the two wall rows nearest the crease start in the floor's segment, as a
        // Felzenszwalb border a point or two off. Reference: the plane each point was generated on.
        var (positions, colors) = SupervoxelScenes.FloorAndWall();
        int n = positions.Length / 3;
        var normals = ExactNormals(n);
        var segments = new int[n];
        for (int i = 0; i < n; i++)
            segments[i] = SupervoxelScenes.OnFloor(i) || positions[3 * i + 2] < 0.02f ? 0 : 1;
        int wrongBefore = Enumerable.Range(0, n).Count(i => segments[i] != (SupervoxelScenes.OnFloor(i) ? 0 : 1));
        Assert.Equal(80, wrongBefore);
        SegmentBoundaryRefinement.Refine(positions, colors, normals, segments, passes: 4);
        Assert.All(Enumerable.Range(0, n), i => Assert.Equal(SupervoxelScenes.OnFloor(i) ? 0 : 1, segments[i]));
    }

    [Fact]
    public void Colour_moves_points_where_the_normals_do_not_differ()
    {
        // On the floor alone (one plane) the red half's border column starts in the grey segment: only colour tells.
        var (all, allColors) = SupervoxelScenes.FloorAndWall();
        var floor = Enumerable.Range(0, all.Length / 3).Where(SupervoxelScenes.OnFloor).ToArray();
        var positions = floor.SelectMany(i => all.AsSpan(3 * i, 3).ToArray()).ToArray();
        var colors = floor.SelectMany(i => allColors.AsSpan(3 * i, 3).ToArray()).ToArray();
        int n = floor.Length;
        var normals = Enumerable.Range(0, n).SelectMany(_ => new float[] { 0, 0, 1 }).ToArray();
        bool Red(int i) => positions[3 * i] < 0.2f;
        var segments = Enumerable.Range(0, n).Select(i => positions[3 * i] < 0.19f ? 0 : 1).ToArray(); // column 19 (red) in grey
        SegmentBoundaryRefinement.Refine(positions, colors, normals, segments);
        Assert.All(Enumerable.Range(0, n), i => Assert.Equal(Red(i) ? 0 : 1, segments[i]));
        // Without colour the column stays where it was (the neighbour shares decide nothing more on a plane).
        var blind = Enumerable.Range(0, n).Select(i => positions[3 * i] < 0.19f ? 0 : 1).ToArray();
        SegmentBoundaryRefinement.Refine(positions, colors, normals, blind, colorWeight: 0, neighborWeight: 0);
        Assert.Contains(Enumerable.Range(0, n), i => Red(i) && blind[i] == 1);
    }

    [Fact]
    public void Leaves_points_whose_neighbours_are_all_in_their_segment_and_zero_passes_alone()
    {
        var (positions, colors) = SupervoxelScenes.FloorAndWall();
        int n = positions.Length / 3;
        var normals = ExactNormals(n);
        var one = new int[n];
        SegmentBoundaryRefinement.Refine(positions, colors, normals, one);
        Assert.All(one, s => Assert.Equal(0, s));
        var start = Enumerable.Range(0, n).Select(i => i % 7).ToArray();
        var copy = start.ToArray();
        SegmentBoundaryRefinement.Refine(positions, colors, normals, copy, passes: 0);
        Assert.Equal(start, copy);
    }

    [Fact]
    public void Rejects_a_segment_array_of_the_wrong_length()
    {
        var positions = new float[9];
        var normals = new float[9];
        var ex = Assert.Throws<ArgumentException>(() => SegmentBoundaryRefinement.Refine(positions, default, normals, new int[2]));
        Assert.Contains("2 segment ids for 3 points", ex.Message, StringComparison.Ordinal);
    }
}
