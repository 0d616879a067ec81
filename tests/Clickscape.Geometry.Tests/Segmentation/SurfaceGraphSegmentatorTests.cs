using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Geometry.Tests.Segmentation;

public class SurfaceGraphSegmentatorTests
{
    // A floor (z = 0) and a box side standing on it (x = 0, z > 0), 2 cm grid, exact normals: every floor point's
    // candidate edge up the box side leaves the floor's tangent plane at ≥ 45°, so the filter keeps none.
    private static (float[] Positions, float[] Normals, int Floor) FloorAndBox()
    {
        var p = new List<float>();
        var nrm = new List<float>();
        for (int i = 0; i < 20; i++)
        {
            for (int j = 0; j < 20; j++)
            {
                p.AddRange([0.02f + i * 0.02f, j * 0.02f, 0]);
                nrm.AddRange([0, 0, 1]);
            }
        }
        int floor = p.Count / 3;
        for (int i = 0; i < 20; i++)
        {
            for (int j = 0; j < 20; j++)
            {
                p.AddRange([0, j * 0.02f, 0.02f + i * 0.02f]);
                nrm.AddRange([1, 0, 0]);
            }
        }
        return ([.. p], [.. nrm], floor);
    }

    [Fact]
    public void The_filter_drops_every_edge_across_the_contact_and_keeps_the_grid_edges()
    {
        var (positions, normals, floor) = FloorAndBox();
        var (a, b) = SurfaceGraphSegmentator.Edges(positions, normals, new SurfaceGraphOptions());
        Assert.DoesNotContain(Enumerable.Range(0, a.Length), e => (a[e] < floor) != (b[e] < floor));
        // Each pair once, lower index first; the 4-neighbour grid edges (length 0.02, in plane, mutual) are all kept.
        var pairs = Enumerable.Range(0, a.Length).Select(e => (a[e], b[e])).ToHashSet();
        Assert.Equal(a.Length, pairs.Count);
        Assert.All(pairs, p => Assert.True(p.Item1 < p.Item2));
        Assert.Contains((0, 1), pairs);     // floor (0, 0)–(0, 1)
        Assert.Contains((0, 20), pairs);    // floor (0, 0)–(1, 0)
        Assert.Contains((floor, floor + 1), pairs);
        // Without the slope limit the kNN graph does cross the contact.
        var (a1, b1) = SurfaceGraphSegmentator.Edges(positions, normals, new SurfaceGraphOptions { MaxPlaneSlope = 1 });
        Assert.Contains(Enumerable.Range(0, a1.Length), e => (a1[e] < floor) != (b1[e] < floor));
    }

    [Fact]
    public void Separates_the_floor_from_the_box_where_a_huge_k_merges_everything_on_the_plain_knn_graph()
    {
        var (positions, normals, floor) = FloorAndBox();
        var options = new SurfaceGraphOptions { KThresh = 1000, MinPoints = 1, ColorWeight = 0 };
        var seg = SurfaceGraphSegmentator.Segment(positions, default, normals, options);
        Assert.Single(seg[..floor].Distinct());
        Assert.Single(seg[floor..].Distinct());
        Assert.NotEqual(seg[0], seg[floor]);
        var plain = PointCloudSegmentator.Segment(positions, default, normals,
            new PointCloudSegmentationOptions { KThresh = 1000, MinPoints = 1, ColorWeight = 0 });
        Assert.Single(plain.Distinct());
    }

    [Fact]
    public void A_point_whose_edges_are_all_steep_keeps_the_edge_to_its_nearest_neighbour()
    {
        // A 10 × 10 plane (2 cm grid, point 10 i + j at (0.02 i, 0.02 j, 0)) and one point 3 cm above it.
        var p = new List<float>();
        for (int i = 0; i < 10; i++)
        {
            for (int j = 0; j < 10; j++)
                p.AddRange([0.02f * i, 0.02f * j, 0]);
        }
        p.AddRange([0.085f, 0.085f, 0.03f]);
        float[] positions = [.. p];
        var normals = Enumerable.Range(0, 101).SelectMany(_ => new float[] { 0, 0, 1 }).ToArray();
        var (a, b) = SurfaceGraphSegmentator.Edges(positions, normals, new SurfaceGraphOptions());
        var touching = Enumerable.Range(0, a.Length).Where(e => a[e] == 100 || b[e] == 100).ToArray();
        Assert.Single(touching);
        Assert.Equal((44, 100), (a[touching[0]], b[touching[0]]));
    }

    // Property of the Felzenszwalb stage (no refinement): on random clouds of awkward sizes the ids are points of their
    // own segment, every segment is connected through kept edges, and (with the small-segment pass) every segment of a
    // cloud with a connected kept graph has at least MinPoints points.
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 2)]
    [InlineData(257, 3)]
    [InlineData(1500, 4)]
    public void Segments_are_connected_through_kept_edges(int n, int seed)
    {
        var rng = new Random(seed);
        var positions = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            float u = (float)rng.NextDouble(), v = (float)rng.NextDouble();
            positions[3 * i] = u;
            positions[3 * i + 1] = v;
            positions[3 * i + 2] = 0.05f * MathF.Sin(6 * u) + 0.002f * (float)rng.NextDouble();
        }
        var options = new SurfaceGraphOptions { KThresh = 0.02f, MinPoints = 10, Viewpoint = new(0.5f, 0.5f, 2), RefinementPasses = 0 };
        var seg = SurfaceGraphSegmentator.Segment(positions, default, null, options);
        Assert.Equal(n, seg.Length);
        Assert.All(seg, id => Assert.Equal(id, seg[id]));
        var normals = Clickscape.Geometry.Normals.PointCloudNormals.TowardsViewpoint(positions, options.Viewpoint!.Value, Math.Min(options.NormalNeighbors, n));
        var (a, b) = SurfaceGraphSegmentator.Edges(positions, normals, options);
        var inside = new DisjointSet(n);
        var graph = new DisjointSet(n);
        for (int e = 0; e < a.Length; e++)
        {
            graph.Union(a[e], b[e]);
            if (seg[a[e]] == seg[b[e]])
                inside.Union(a[e], b[e]);
        }
        Assert.Equal(seg.Distinct().Count(), inside.SetCount);
        // A segment smaller than MinPoints is a whole component of the kept graph.
        foreach (var g in seg.GroupBy(s => s).Where(g => g.Count() < options.MinPoints))
            Assert.Equal(g.Count(), Enumerable.Range(0, n).Count(i => graph.Find(i) == graph.Find(g.Key)));
    }

    [Fact]
    public void The_default_is_the_felzenszwalb_stage_then_the_boundary_refinement()
    {
        // Reference: the two stages called one after the other.
        var (positions, colors, _, _) = TwoBoxScene.Create();
        var viewpoint = new System.Numerics.Vector3(0.45f, 0.25f, 1.5f);
        var normals = Clickscape.Geometry.Normals.PointCloudNormals.TowardsViewpoint(positions, viewpoint, 8);
        var options = new SurfaceGraphOptions { Viewpoint = viewpoint, KThresh = 0.01f, MinPoints = 20 };
        var stage = SurfaceGraphSegmentator.Segment(positions, colors, normals, options with { RefinementPasses = 0 });
        SegmentBoundaryRefinement.Refine(positions, colors, normals, stage, 2, 2f, 0.3f, 12);
        Assert.Equal(stage, SurfaceGraphSegmentator.Segment(positions, colors, normals, options));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void With_exact_normals_no_segment_straddles_the_touching_boxes_or_a_box_and_the_floor(int passes)
    {
        // The boxes' fronts, backs and tops are coplanar where they touch: only the colour term separates them.
        var (positions, colors, parts, normals) = TwoBoxScene.Create();
        var options = new SurfaceGraphOptions { KThresh = 0.01f, MinPoints = 20, RefinementPasses = passes };
        var seg = SurfaceGraphSegmentator.Segment(positions, colors, normals, options);
        Assert.Equal(0, TwoBoxScene.Straddling(seg, parts));
        Assert.InRange(seg.Distinct().Count(), 3, 60);
    }

    [Fact]
    public void With_PCA_normals_the_refinement_moves_crease_points_to_their_own_part()
    {
        // PCA normals round the floor–box creases, so Felzenszwalb leaves crease points in the wrong segment; the
        // refinement must not add any and must take some back. Reference: the part each point was generated on.
        var (positions, colors, parts, _) = TwoBoxScene.Create();
        var options = new SurfaceGraphOptions { Viewpoint = new(0.45f, 0.25f, 1.5f), KThresh = 0.01f, MinPoints = 20 };
        int before = TwoBoxScene.Impure(SurfaceGraphSegmentator.Segment(positions, colors, null, options with { RefinementPasses = 0 }), parts);
        int after = TwoBoxScene.Impure(SurfaceGraphSegmentator.Segment(positions, colors, null, options), parts);
        Assert.InRange(after, 0, before - 1);
        Assert.True(after < 0.05 * parts.Length, $"{after} of {parts.Length} points in another part's segment");
    }

    [Fact]
    public void The_distance_term_is_added_to_every_weight()
    {
        // A plane with exact normals and one colour: every weight is 0, so Felzenszwalb joins everything; with the
        // length term (≈ 1 per median edge, far above k) no edge joins and every point stays alone.
        var p = new List<float>();
        for (int i = 0; i < 12; i++)
        {
            for (int j = 0; j < 12; j++)
                p.AddRange([0.02f * i, 0.02f * j, 0]);
        }
        float[] positions = [.. p];
        var normals = Enumerable.Range(0, 144).SelectMany(_ => new float[] { 0, 0, 1 }).ToArray();
        var options = new SurfaceGraphOptions { KThresh = 0.01f, MinPoints = 1, RefinementPasses = 0 };
        Assert.Single(SurfaceGraphSegmentator.Segment(positions, default, normals, options).Distinct());
        Assert.Equal(144, SurfaceGraphSegmentator.Segment(positions, default, normals, options with { DistanceWeight = 1 }).Distinct().Count());
    }
}
