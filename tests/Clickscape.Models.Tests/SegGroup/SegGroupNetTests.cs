using Clickscape.Models.SegGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Losses;

namespace Clickscape.Models.Tests.SegGroup;

public sealed class SegGroupNetTests
{
    private const int U = SegGroupScene.Unlabelled;

    /// <summary>
    /// A strip of 12 segments along x (each a 1 × 1 patch of 30 random points with its own colour), adjacent in a chain;
    /// segment 1 is clicked as object 7 (chair), segment 9 as object 3 (table).
    /// </summary>
    internal static SegGroupScene Strip(int seed = 1)
    {
        var rng = new Random(seed);
        int segments = 12, per = 30;
        var positions = new List<float>();
        var colors = new List<float>();
        var pointSegment = new List<int>();
        for (int s = 0; s < segments; s++)
        {
            float r = (float)rng.NextDouble() * 2 - 1, g = (float)rng.NextDouble() * 2 - 1;
            for (int p = 0; p < per; p++)
            {
                positions.AddRange([s + (float)rng.NextDouble(), (float)rng.NextDouble(), 0.1f * (float)rng.NextDouble()]);
                colors.AddRange([r, g, 0.5f]);
                pointSegment.Add(s);
            }
        }
        var labels = Enumerable.Repeat(U, segments).ToArray();
        labels[1] = 7;
        labels[9] = 3;
        return new SegGroupScene("strip", [.. positions], [.. colors], [.. pointSegment], segments,
            Enumerable.Range(0, segments - 1).ToArray(), Enumerable.Range(1, segments - 1).ToArray(), labels, new Dictionary<int, int> { [7] = 5, [3] = 7 });
    }

    [Fact]
    public void Forward_LabelsEverySegment_KeepsTheClickedOnes_AndScoresEachObject()
    {
        var scene = Strip();
        using var net = new SegGroupNet(new Random(2));
        using var scope = TensorScope.Begin();
        var output = net.Forward(scene);
        Assert.Equal(4, output.LayerLabels.Count); // seg-level labels + three layers
        Assert.Equal(scene.SegmentObject, output.LayerLabels[0]);
        foreach (var labels in output.LayerLabels.Append(output.FinalLabels))
        {
            Assert.Equal(7, labels[1]);
            Assert.Equal(3, labels[9]);
        }
        Assert.DoesNotContain(U, output.FinalLabels);
        // each layer can only merge: the graph never grows
        for (int l = 1; l < output.LayerClusters.Count; l++) Assert.True(output.LayerClusters[l] <= output.LayerClusters[l - 1]);
        Assert.Equal([3, 7], output.Objects);
        Assert.Equal([2, 40], output.Logits!.ShapeArray());
    }

    [Fact]
    public void Layers_StopEarly_WithoutTheFinalClustering()
    {
        var scene = Strip();
        using var net = new SegGroupNet(new Random(2));
        using var scope = TensorScope.Begin();
        var output = net.Forward(scene, 1, final: false);
        Assert.Equal(2, output.LayerLabels.Count);
        Assert.Null(output.Logits);
        Assert.Same(output.LayerLabels[^1], output.FinalLabels);
    }

    [Fact]
    public void Loss_ReachesEveryLayer()
    {
        var scene = Strip();
        using var net = new SegGroupNet(new Random(2));
        using (TensorScope.Begin())
        {
            var output = net.Forward(scene);
            var targets = output.Objects.Select(o => scene.ObjectClass[o] - 1).ToArray();
            CrossEntropy.Forward(output.Logits!, targets, labelSmoothing: 0.2f).Backward();
        }
        foreach (var name in new[] { "mlp1.conv0.weight", "mlp2.conv0.weight", "gcn2.fc.weight", "mlp3.conv1.weight", "gcn3.fc.weight", "classifier.linear2.weight" })
        {
            var p = net.NamedParameters().Single(q => q.Name == name).Value;
            var g = p.Grad!.ToArray();
            Assert.All(g, v => Assert.True(float.IsFinite(v)));
            Assert.True(g.Any(v => v != 0), $"{name} gets no gradient");
        }
    }

    [Fact]
    public void SegmentPointSets_TileThenFillByFarthestPoints()
    {
        var positions = new float[] { 0, 0, 0, 1, 0, 0, 5, 0, 0, 2, 0, 0 };
        // 4 points → 9 samples: all four twice, then one by farthest-point sampling, started from the point farthest from the first (x = 5)
        var rows = SegmentPointSets.Resample(positions, [0, 1, 2, 3], 9);
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3, 2], rows);
        var sets = SegmentPointSets.Build(Strip(), 64, 10);
        Assert.Equal(12 * 64 * SegmentPointSets.Channels, sets.Features.Length);
        // normalized: every coordinate within the unit cube, and each segment's samples centred
        for (int s = 0; s < 12; s++)
        {
            for (int d = 0; d < 3; d++)
            {
                double mean = 0;
                for (int r = 0; r < 64; r++)
                {
                    float v = sets.Features[(s * 64 + r) * 6 + d];
                    Assert.InRange(v, -1.0001f, 1.0001f);
                    mean += v;
                }
                Assert.True(Math.Abs(mean / 64) < 1e-4);
            }
        }
        Assert.All(sets.Neighbors.Select((n, i) => (n, i)), t => Assert.Equal(t.i / 10 / 64, t.n / 64)); // neighbours inside the segment
    }
}
