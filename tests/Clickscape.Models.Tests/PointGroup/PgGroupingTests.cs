using Clickscape.Models.PointGroup;

namespace Clickscape.Models.Tests.PointGroup;

public sealed class PgGroupingTests
{
    private const int Classes = 5; // 0 wall, 1 floor, 2 chair, 3 table, 4 sofa
    private static readonly HashSet<int> Stuff = [0, 1];

    /// <summary>A box of side × side × side points on a 1.5 cm lattice (linked at r = 3 cm), offsets to its centre.</summary>
    private sealed record Box(float X, float Y, float Z, int Side, int Class, float Probability);

    /// <summary>
    /// A floor (2 cm grid, 1 × 1 m, class 1 at p = 0.9) and the boxes after it; each point's probabilities put
    /// the box's <see cref="Box.Probability"/> on its class and the rest evenly on the others. Returns the
    /// point ranges of the boxes.
    /// </summary>
    private static (float[] Positions, float[] Offsets, float[] Probabilities, int[][] Boxes) Scan(params Box[] boxes)
    {
        var positions = new List<float>();
        var offsets = new List<float>();
        var probabilities = new List<float>();
        void Add(float x, float y, float z, float ox, float oy, float oz, int cls, float p)
        {
            positions.AddRange([x, y, z]);
            offsets.AddRange([ox, oy, oz]);
            for (int c = 0; c < Classes; c++) probabilities.Add(c == cls ? p : (1 - p) / (Classes - 1));
        }
        for (int i = 0; i < 50; i++)
            for (int j = 0; j < 50; j++)
                Add(0.02f * i, 0.02f * j, -0.1f, 0, 0, 0, 1, 0.9f);
        var ranges = new List<int[]>();
        foreach (var b in boxes)
        {
            int first = positions.Count / 3;
            float half = 0.015f * (b.Side - 1) / 2;
            for (int i = 0; i < b.Side; i++)
                for (int j = 0; j < b.Side; j++)
                    for (int k = 0; k < b.Side; k++)
                        Add(b.X + 0.015f * i, b.Y + 0.015f * j, b.Z + 0.015f * k, half - 0.015f * i, half - 0.015f * j, half - 0.015f * k, b.Class, b.Probability);
            ranges.Add([.. Enumerable.Range(first, positions.Count / 3 - first)]);
        }
        return ([.. positions], [.. offsets], [.. probabilities], [.. ranges]);
    }

    [Fact]
    public void Recovers_separated_objects_exactly_with_their_class_and_score()
    {
        var (p, o, prob, boxes) = Scan(
            new Box(0.1f, 0.1f, 0, 6, 2, 0.8f),
            new Box(0.5f, 0.1f, 0, 7, 3, 0.6f),
            new Box(0.1f, 0.5f, 0, 8, 4, 0.7f));
        var instances = PgGrouping.Group(p, o, prob, Classes, Stuff, new PgGroupingOptions());
        // Each box is found in both sets (IoU 1); NMS keeps one; sorted by score.
        Assert.Equal(3, instances.Count);
        Assert.Equal([2, 4, 3], instances.Select(x => x.ClassIndex));
        Assert.Equal(boxes[0], instances[0].Points);
        Assert.Equal(boxes[2], instances[1].Points);
        Assert.Equal(boxes[1], instances[2].Points);
        Assert.Equal([0.8f, 0.7f, 0.6f], instances.Select(x => x.Score), (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void Shifted_set_separates_touching_objects_and_nms_drops_the_merged_cluster()
    {
        // Two chairs 1.5 cm apart: one cluster on the original coordinates (score (0.9 + 0.7) / 2), two on the shifted
        // ones (0.9 and 0.7). NMS keeps the 0.9 chair, drops the merged cluster (IoU 0.5 > 0.3), keeps the 0.7 chair.
        var (p, o, prob, boxes) = Scan(
            new Box(0.1f, 0.1f, 0, 6, 2, 0.9f),
            new Box(0.1f + 6 * 0.015f, 0.1f, 0, 6, 2, 0.7f));
        var instances = PgGrouping.Group(p, o, prob, Classes, Stuff, new PgGroupingOptions());
        Assert.Equal(2, instances.Count);
        Assert.Equal(boxes[0], instances[0].Points);
        Assert.Equal(boxes[1], instances[1].Points);

        // Without offsets both sets see the merged pair only.
        var merged = Assert.Single(PgGrouping.Group(p, new float[o.Length], prob, Classes, Stuff, new PgGroupingOptions()));
        Assert.Equal(boxes[0].Concat(boxes[1]), merged.Points);
        Assert.Equal(0.8f, merged.Score, 1e-6f);
    }

    [Fact]
    public void Stuff_classes_are_never_grouped()
    {
        var (p, o, prob, boxes) = Scan(new Box(0.1f, 0.1f, 0, 6, 0, 0.8f), new Box(0.5f, 0.5f, 0, 6, 3, 0.8f));
        var instances = PgGrouping.Group(p, o, prob, Classes, Stuff, new PgGroupingOptions());
        Assert.Equal(boxes[1], Assert.Single(instances).Points);

        // Nothing is stuff: the floor (2500 points) and the wall-class box become instances too.
        var all = PgGrouping.Group(p, o, prob, Classes, new HashSet<int>(), new PgGroupingOptions());
        Assert.Equal([0, 1, 3], all.Select(x => x.ClassIndex).Order());
        Assert.Contains(all, x => x.Points.Length == 2500 && x.ClassIndex == 1);

        // Tables declared stuff: no instance left.
        Assert.Empty(PgGrouping.Group(p, o, prob, Classes, new HashSet<int> { 0, 1, 3 }, new PgGroupingOptions()));
    }

    [Fact]
    public void Score_and_point_filters_apply()
    {
        // 4³ = 64 points: kept by the BFS (≥ 50), dropped by the instance filter (< 100) unless it is lowered.
        var (p, o, prob, boxes) = Scan(new Box(0.1f, 0.1f, 0, 4, 2, 0.8f), new Box(0.5f, 0.5f, 0, 6, 3, 0.3f));
        var defaults = PgGrouping.Group(p, o, prob, Classes, Stuff, new PgGroupingOptions());
        Assert.Equal(boxes[1], Assert.Single(defaults).Points);
        var small = PgGrouping.Group(p, o, prob, Classes, Stuff, new PgGroupingOptions { MinInstancePoints = 64 });
        Assert.Equal(2, small.Count);
        Assert.Empty(PgGrouping.Group(p, o, prob, Classes, Stuff, new PgGroupingOptions { MinInstancePoints = 65, MinClusterPoints = 300 }));
        // Score 0.3: dropped at threshold 0.3 (strictly greater is kept), kept just below.
        Assert.Empty(PgGrouping.Group(p, o, prob, Classes, Stuff, new PgGroupingOptions { ScoreThreshold = 0.3f }));
        Assert.Single(PgGrouping.Group(p, o, prob, Classes, Stuff, new PgGroupingOptions { ScoreThreshold = 0.29f }));
    }

    [Fact]
    public void Majority_vote_and_mean_probability_of_the_majority_class()
    {
        // Points 0..5 predicted [2 2 3 3 3 1]; probabilities rows of 4 classes.
        int[] predicted = [2, 2, 3, 3, 3, 1];
        float[] prob =
        [
            0, 0.1f, 0.5f, 0.4f,
            0, 0.1f, 0.6f, 0.3f,
            0, 0.1f, 0.2f, 0.7f,
            0, 0.1f, 0.3f, 0.6f,
            0, 0.1f, 0.1f, 0.8f,
            0, 0.9f, 0.05f, 0.05f,
        ];
        var (cls, score) = PgClusterScore.MajorityMeanProbability([0, 1, 2, 3, 4, 5], predicted, prob, 4);
        Assert.Equal(3, cls);
        Assert.Equal((0.4f + 0.3f + 0.7f + 0.6f + 0.8f + 0.05f) / 6, score, 1e-6f);
        // A tie (two of class 2, two of class 3) goes to the lower class.
        (cls, score) = PgClusterScore.MajorityMeanProbability([0, 1, 2, 3], predicted, prob, 4);
        Assert.Equal(2, cls);
        Assert.Equal((0.5f + 0.6f + 0.2f + 0.3f) / 4, score, 1e-6f);
        Assert.Equal([2, 2, 3, 3, 3, 1], PgClusterScore.Argmax(prob, 4));
        Assert.Equal([0, 1], PgClusterScore.Argmax([0.5f, 0.5f, 0.2f, 0.3f], 2)); // tie → lower index
    }

    [Fact]
    public void Is_deterministic_on_a_noisy_scan()
    {
        var rng = new Random(5);
        var (p, o, prob, _) = Scan(
            new Box(0.1f, 0.1f, 0, 8, 2, 0.8f), new Box(0.1f + 8 * 0.015f, 0.1f, 0, 8, 2, 0.6f),
            new Box(0.5f, 0.5f, 0, 7, 3, 0.7f), new Box(0.5f, 0.1f, 0, 9, 4, 0.5f));
        for (int i = 0; i < o.Length; i++) o[i] += 0.02f * (float)(rng.NextDouble() - 0.5);
        for (int i = 0; i < prob.Length; i++) prob[i] += 0.2f * (float)rng.NextDouble();
        var first = PgGrouping.Group(p, o, prob, Classes, Stuff, new PgGroupingOptions());
        Assert.NotEmpty(first);
        for (int run = 0; run < 3; run++)
        {
            var again = PgGrouping.Group(p, o, prob, Classes, Stuff, new PgGroupingOptions());
            Assert.Equal(first.Count, again.Count);
            for (int k = 0; k < first.Count; k++)
            {
                Assert.Equal(first[k].ClassIndex, again[k].ClassIndex);
                Assert.Equal(first[k].Score, again[k].Score);
                Assert.Equal(first[k].Points, again[k].Points);
            }
        }
        Assert.True(first.Zip(first.Skip(1)).All(pair => pair.First.Score >= pair.Second.Score));
        Assert.All(first, x => Assert.True(x.Points.Zip(x.Points.Skip(1)).All(pair => pair.First < pair.Second)));
    }

    [Fact]
    public void Rejects_inconsistent_inputs()
    {
        var options = new PgGroupingOptions();
        Assert.Throws<ArgumentException>(() => PgGrouping.Group(new float[6], new float[3], new float[2 * Classes], Classes, Stuff, options));
        Assert.Throws<ArgumentException>(() => PgGrouping.Group(new float[6], new float[6], new float[Classes], Classes, Stuff, options));
        Assert.Throws<ArgumentException>(() => PgGrouping.Group(new float[5], new float[5], new float[Classes], Classes, Stuff, options));
        Assert.Throws<ArgumentOutOfRangeException>(() => PgGrouping.Group(new float[3], new float[3], new float[Classes], Classes, Stuff, options with { Radius = 0 }));
        Assert.Empty(PgGrouping.Group([], [], [], Classes, Stuff, options));
    }
}
