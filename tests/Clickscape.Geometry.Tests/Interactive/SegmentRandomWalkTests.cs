using System.Numerics;
using Clickscape.Data.Clicks;
using Clickscape.Data.Synthetic.Scenes;
using Clickscape.Geometry.Interactive;
using Clickscape.Geometry.Neighbors;
using Clickscape.Geometry.Scenes;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Geometry.Tests.Interactive;

public class SegmentRandomWalkTests
{
    // A flat grid of 20 × 4 points 0.1 m apart (a click's 5 cm cube holds only the clicked point), cut into four
    // segments of five columns each; segment colours given per column block.
    private static (Scene Scene, int[] Segments) Strip(params (byte R, byte G, byte B)[] segmentColors)
    {
        const int columns = 20, rows = 4;
        var positions = new float[columns * rows * 3];
        var colors = new byte[columns * rows * 3];
        var normals = new float[columns * rows * 3];
        var segments = new int[columns * rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                int v = r * columns + c;
                positions[3 * v] = 0.1f * c;
                positions[3 * v + 1] = 0.1f * r;
                segments[v] = c / 5;
                var color = segmentColors[c / 5];
                colors[3 * v] = color.R;
                colors[3 * v + 1] = color.G;
                colors[3 * v + 2] = color.B;
                normals[3 * v + 2] = 1;
            }
        }
        return (new Scene("strip", positions) { Colors = colors, Normals = normals }, segments);
    }

    private static int PointAt(int column, int row) => row * 20 + column;

    private static bool All(bool[] mask, int fromColumn, int toColumn, bool value)
    {
        for (int r = 0; r < 4; r++)
        {
            for (int c = fromColumn; c < toColumn; c++)
            {
                if (mask[PointAt(c, r)] != value) return false;
            }
        }
        return true;
    }

    [Fact]
    public void Positive_click_spreads_over_similar_segments_and_stops_at_a_colour_edge()
    {
        var (scene, segments) = Strip((200, 30, 30), (200, 30, 30), (200, 30, 30), (30, 30, 200));
        var walk = SegmentRandomWalk.FromScene(scene, segments);
        Assert.Equal(4, walk.SegmentCount);
        var mask = walk.Predict([new InteractiveClick(PointAt(2, 1), true)]);
        Assert.True(All(mask, 0, 15, true));
        Assert.True(All(mask, 15, 20, false));
    }

    [Fact]
    public void Negative_click_removes_a_wrongly_included_segment()
    {
        var (scene, segments) = Strip((200, 30, 30), (200, 30, 30), (200, 30, 30), (30, 30, 200));
        var walk = SegmentRandomWalk.FromScene(scene, segments);
        var positive = new InteractiveClick(PointAt(2, 1), true);
        Assert.True(All(walk.Predict([positive]), 5, 10, true)); // segment 1 wrongly included
        var mask = walk.Predict([positive, new InteractiveClick(PointAt(7, 2), false)]);
        Assert.True(All(mask, 0, 5, true));
        Assert.True(All(mask, 5, 20, false)); // segment 2 is reached only through the negative segment
    }

    [Fact]
    public void A_segment_with_both_kinds_of_clicks_is_split_by_the_nearest_click()
    {
        var (scene, segments) = Strip((200, 30, 30), (30, 200, 30), (30, 30, 200), (200, 200, 30));
        var walk = SegmentRandomWalk.FromScene(scene, segments);
        var mask = walk.Predict([new InteractiveClick(PointAt(5, 0), true), new InteractiveClick(PointAt(9, 0), false)]);
        for (int r = 0; r < 4; r++)
        {
            // Columns 5, 6 are nearer the positive click (column 5), 8, 9 the negative; 7 is a tie broken by click order.
            Assert.True(mask[PointAt(5, r)] && mask[PointAt(6, r)]);
            Assert.False(mask[PointAt(8, r)] || mask[PointAt(9, r)]);
        }
        Assert.True(All(mask, 0, 5, false));
    }

    [Fact]
    public void Click_region_is_the_cube_of_half_edge_5_cm_and_later_clicks_win()
    {
        var positions = new float[] { 0, 0, 0, 0.049f, 0.049f, -0.049f, 0.051f, 0, 0, 0, 0, 0.06f, 1, 1, 1 };
        var scene = new Scene("cube", positions) { Colors = new byte[15], Normals = [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1] };
        var walk = SegmentRandomWalk.FromScene(scene, [0, 1, 2, 3, 4]);
        Assert.Equal([0, 1], walk.ClickRegion(0));
        // A positive and then a negative click on the same point: the negative wins, over the whole cube.
        var mask = walk.Predict([new InteractiveClick(0, true), new InteractiveClick(0, false)]);
        Assert.False(mask[0] || mask[1]);
    }

    [Fact]
    public void Probabilities_match_a_dense_solve_of_the_dirichlet_problem()
    {
        // Random colours and tilted normals per segment on a 20 × 4 grid; adjacency from 8-NN as FromScene builds it.
        var random = new Random(5);
        var colors = Enumerable.Range(0, 4).Select(_ => ((byte)random.Next(256), (byte)random.Next(256), (byte)random.Next(256))).ToArray();
        var (scene, segments) = Strip(colors);
        for (int v = 0; v < scene.PointCount; v++)
        {
            var n = Vector3.Normalize(new Vector3(0.3f * segments[v], 0, 1));
            scene.Normals![3 * v] = n.X;
            scene.Normals[3 * v + 2] = n.Z;
        }
        var options = new SegmentRandomWalkOptions();
        var walk = SegmentRandomWalk.FromScene(scene, segments, options);
        var (neighbors, _) = new KdTree(scene.Positions).NearestAll(options.Neighbors + 1);
        var graph = SegmentGraph.FromNeighbors(segments, scene.Positions, neighbors, options.Neighbors + 1, scene.Colors, scene.Normals);

        var clicks = new[] { new InteractiveClick(PointAt(0, 0), true), new InteractiveClick(PointAt(19, 0), false) };
        var actual = walk.Probabilities(clicks);

        // Dense reference: unknowns are segments 1 and 2; seeds 0 (= 1) and 3 (= 0).
        double W(int i, int j)
        {
            if (!graph.Neighbors(i).Contains(j)) return 0;
            double dc = Vector3.DistanceSquared(graph.MeanColor(i), graph.MeanColor(j));
            double dn = 1 - Vector3.Dot(Vector3.Normalize(graph.MeanNormal(i)), Vector3.Normalize(graph.MeanNormal(j)));
            return Math.Exp(-dc / (2 * options.ColorSigma * options.ColorSigma) - dn / options.NormalSigma);
        }
        double Degree(int i) => Enumerable.Range(0, 4).Sum(j => j == i ? 0 : W(i, j));
        double a11 = Degree(1) + options.BackgroundPrior, a22 = Degree(2) + options.BackgroundPrior, a12 = -W(1, 2);
        double b1 = W(1, 0), b2 = W(2, 0);
        double det = a11 * a22 - a12 * a12;
        double x1 = (b1 * a22 - a12 * b2) / det, x2 = (a11 * b2 - a12 * b1) / det;
        Assert.Equal(1.0, actual[0]);
        Assert.Equal(0.0, actual[3]);
        Assert.Equal(x1, actual[1], 1e-8);
        Assert.Equal(x2, actual[2], 1e-8);
    }

    [Fact]
    public void No_positive_click_gives_an_empty_mask_and_a_bad_point_is_rejected()
    {
        var (scene, segments) = Strip((200, 30, 30), (200, 30, 30), (200, 30, 30), (30, 30, 200));
        var walk = SegmentRandomWalk.FromScene(scene, segments);
        Assert.DoesNotContain(true, walk.Predict([new InteractiveClick(3, false)]));
        Assert.DoesNotContain(true, walk.Predict([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => walk.Predict([new InteractiveClick(80, true)]));
    }

    [Fact]
    public void Simulated_user_on_a_generated_scene_reaches_high_iou()
    {
        // Every object of ≥ 500 points except walls and floor (nyu40 1, 2) on one generated room; the protocol's user.
        var synth = SceneGenerator.Generate(21, 0, SceneSize.Small);
        var scene = synth.Scene;
        var walk = SegmentRandomWalk.FromScene(scene, synth.SegIndices);
        var iouAt1 = new List<double>();
        var iouAt5 = new List<double>();
        var instances = scene.InstanceIds!;
        foreach (int id in instances.Distinct().Where(i => i > 0).Order())
        {
            int label = scene.SemanticLabels![Array.IndexOf(instances, id)];
            var gt = instances.Select(v => v == id).ToArray();
            if (label is 1 or 2 || gt.Count(b => b) < 500) continue;
            var user = new InteractiveClickSimulator(scene, gt, id, label);
            var clicks = new List<InteractiveClick>();
            var mask = new bool[scene.PointCount];
            for (int k = 0; k < 5; k++)
            {
                var click = user.NextClick(mask, k);
                if (click is null) break;
                clicks.Add(new InteractiveClick(click.Point, click.Positive));
                mask = walk.Predict(clicks);
                if (k == 0) iouAt1.Add(Iou(mask, gt));
            }
            iouAt5.Add(Iou(mask, gt));
        }
        Assert.True(iouAt1.Count >= 5, $"only {iouAt1.Count} objects");
        // Bars: one click gives most of an object (mean IoU ≥ 0.5); five clicks ≥ 0.85 on average.
        Assert.True(iouAt1.Average() >= 0.5, $"mean IoU after 1 click {iouAt1.Average():F3}");
        Assert.True(iouAt5.Average() >= 0.85, $"mean IoU after 5 clicks {iouAt5.Average():F3}");
    }

    [Fact]
    public void A_point_cloud_walk_from_one_shared_search_equals_one_built_from_separate_searches()
    {
        // A generated room as a bare point cloud (no normals), snapped to a 2 cm grid so that equal distances and
        // duplicate points abound: FromScene's single tree and 16-NN search (normals from all 16, adjacency from the
        // first 9) must give what a normals search, a 9-NN search and the walker's own tree give separately.
        var synth = SceneGenerator.Generate(22, 0, SceneSize.Small);
        var positions = synth.Scene.Positions.Select(v => MathF.Round(v / 0.02f) * 0.02f).ToArray();
        var scene = new Scene("grid", positions) { Colors = synth.Scene.Colors };
        var options = new SegmentRandomWalkOptions();
        var walk = SegmentRandomWalk.FromScene(scene, synth.SegIndices, options);

        var (min, max) = scene.Bounds();
        var normals = Clickscape.Geometry.Normals.PointCloudNormals.TowardsViewpoint(positions, (min + max) / 2);
        int k = options.Neighbors + 1;
        var (neighbors, _) = new KdTree(positions).Nearest(positions, k);
        var graph = SegmentGraph.FromNeighbors(synth.SegIndices, positions, neighbors, k, scene.Colors, normals);
        var reference = new SegmentRandomWalk(graph, positions, options);

        Assert.Equal(reference.PointSegments(), walk.PointSegments());
        int n = scene.PointCount;
        var clicks = new List<InteractiveClick>();
        foreach (var (point, positive) in new[] { (n / 3, true), (n / 2, false), (2 * n / 3, true), (n / 5, false) })
        {
            clicks.Add(new InteractiveClick(point, positive));
            Assert.Equal(reference.Probabilities(clicks), walk.Probabilities(clicks));
            Assert.Equal(reference.Predict(clicks), walk.Predict(clicks));
            Assert.Equal(reference.ClickRegion(point), walk.ClickRegion(point));
        }
    }

    internal static double Iou(bool[] a, bool[] b)
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
