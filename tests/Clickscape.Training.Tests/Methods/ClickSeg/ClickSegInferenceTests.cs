using Clickscape.Training.Methods.ClickSeg;

namespace Clickscape.Training.Tests.Methods.ClickSeg;

public sealed class ClickSegInferenceTests
{
    private static VoxelOutputs Random(int v, int c, int e, int seed)
    {
        var rng = new Random(seed);
        var prob = new float[v * c];
        for (int i = 0; i < v; i++)
        {
            double sum = 0;
            for (int k = 0; k < c; k++) sum += prob[i * c + k] = (float)rng.NextDouble();
            for (int k = 0; k < c; k++) prob[i * c + k] /= (float)sum;
        }
        var emb = Enumerable.Range(0, v * e).Select(_ => (float)rng.NextDouble() * 1.5f).ToArray();
        var pos = Enumerable.Range(0, v * 3).Select(_ => (float)rng.NextDouble()).ToArray();
        var counts = Enumerable.Range(0, v).Select(_ => rng.Next(1, 5)).ToArray();
        return new VoxelOutputs(prob, c, emb, e, new float[3 * v], pos, counts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fusion_IsEquation6OverTheCluster(bool eq5)
    {
        var o = Random(40, 4, 3, 7);
        int[] cluster = [.. Enumerable.Range(0, 30)];
        var terms = eq5 ? new SimilarityTerms(true, true, true, 0.8f, 0.6f) : SimilarityTerms.EmbeddingOnly;
        var fused = ClickSegInference.Fuse(o, o.Positions, [cluster], terms, 0.3f);
        double S(int i, int j)
        {
            double de = 0, dp = 0, dot = 0, ni = 0, nj = 0;
            for (int d = 0; d < 3; d++) de += Math.Pow(o.Embedding[i * 3 + d] - o.Embedding[j * 3 + d], 2);
            for (int d = 0; d < 3; d++) dp += Math.Pow(o.Positions[i * 3 + d] - o.Positions[j * 3 + d], 2);
            for (int k = 0; k < 4; k++) { dot += o.Probabilities[i * 4 + k] * o.Probabilities[j * 4 + k]; ni += Math.Pow(o.Probabilities[i * 4 + k], 2); nj += Math.Pow(o.Probabilities[j * 4 + k], 2); }
            return eq5 ? dot / Math.Sqrt(ni * nj) * Math.Exp(-de / (0.8 * 0.8) - dp / (0.6 * 0.6)) : Math.Exp(-de);
        }
        for (int i = 0; i < 40; i++)
        {
            for (int k = 0; k < 4; k++)
            {
                double expected = o.Probabilities[i * 4 + k];
                if (i < 30)
                {
                    double num = 0, den = 0;
                    foreach (int j in cluster)
                    {
                        double s = S(i, j);
                        if (s <= 0.3) continue;
                        num += s * o.Counts[j] * o.Probabilities[j * 4 + k];
                        den += s * o.Counts[j];
                    }
                    expected = num / den;
                }
                Assert.Equal(expected, fused[i * 4 + k], 4);
            }
        }
    }

    /// <summary>
    /// One object of 10 voxels, close in embedding and position: 7 voxels say chair (0.6), 3 say table (0.55 table,
    /// 0.45 chair), plus a far-away 5-voxel table. Eq. 6 over the class-agnostic cluster turns the 3 into chairs, so the
    /// object is one chair instance; without fusion the per-class mean-shift splits it into a chair and a table.
    /// </summary>
    [Fact]
    public void Fusion_RunsBeforeTheInstanceClustering_SoItCanMergeAMisclassifiedPart()
    {
        int[] ids = [5, 7]; // nyu40 chair, table: columns of the head
        int v = 15;
        var prob = new float[v * 2];
        var emb = new float[v * 2];
        var pos = new float[v * 3];
        for (int i = 0; i < v; i++)
        {
            bool far = i >= 10;
            (prob[2 * i], prob[2 * i + 1]) = far ? (0.1f, 0.9f) : i < 7 ? (0.6f, 0.4f) : (0.45f, 0.55f);
            (emb[2 * i], emb[2 * i + 1]) = (far ? 5f : 0f, 0.01f * i);
            (pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]) = (far ? 4f : 0.02f * i, 0, 0);
        }
        var o = new VoxelOutputs(prob, 2, emb, 2, new float[3 * v], pos, [.. Enumerable.Repeat(10, v)]);
        var terms = new SimilarityTerms(true, true, true, 1f, 1f);
        var (fused, clusters) = ClickSegInference.Group(o, o.Positions, terms, ids, new ClickSegInferenceOptions { Bandwidth = 0.5f, Fusion = true });
        Assert.All(Enumerable.Range(0, 10), i => Assert.True(fused[2 * i] > fused[2 * i + 1], $"voxel {i} should be fused to chair"));
        Assert.Equal(2, clusters.Count);
        Assert.Contains(clusters, cl => cl.Order().SequenceEqual(Enumerable.Range(0, 10)));

        var (plain, split) = ClickSegInference.Group(o, o.Positions, terms, ids, new ClickSegInferenceOptions { Bandwidth = 0.5f, Fusion = false });
        Assert.Same(o.Probabilities, plain);
        Assert.Equal(3, split.Count); // chair part, table part, far table
    }

    /// <summary>
    /// Two chairs touching each other (one voxel row apart, so a ball query on p joins them) whose offsets point at their own
    /// centres, plus a floor: <c>dual_set</c> finds the two chairs from p + o and never groups the floor; the semantic
    /// labels are the fused classes of each point's voxel. (The chairs' confidences differ, so NMS keeps the surer chair
    /// over the p-cluster of both and that over the other chair, as PointGroup's NMS does without a ScoreNet.)
    /// </summary>
    [Fact]
    public void DualSet_SplitsTouchingObjectsByTheirOffsets_AndLeavesTheFloor()
    {
        int[] ids = [2, 5]; // nyu40 floor, chair
        int perChair = 150, v = 2 * perChair + 60;
        var prob = new float[v * 2];
        var pos = new float[v * 3];
        var off = new float[v * 3];
        var coords = new int[v * 4];
        for (int i = 0; i < v; i++)
        {
            int chair = i < perChair ? 0 : i < 2 * perChair ? 1 : -1;
            int k = chair < 0 ? i - 2 * perChair : i - chair * perChair;
            int gx = chair < 0 ? k % 30 : chair * 10 + k % 10, gy = chair < 0 ? k / 30 : k / 10 % 15, gz = chair < 0 ? 0 : 1;
            (pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]) = (0.02f * gx, 0.02f * gy, 0.02f * gz);
            (coords[4 * i + 1], coords[4 * i + 2], coords[4 * i + 3]) = (gx, gy, gz);
            (prob[2 * i], prob[2 * i + 1]) = chair < 0 ? (0.9f, 0.1f) : chair == 0 ? (0.2f, 0.8f) : (0.1f, 0.9f);
            if (chair >= 0)
            {
                var (cx, cy) = (0.02f * (chair * 10 + 4.5f), 0.02f * 7f);
                (off[3 * i], off[3 * i + 1]) = (cx - pos[3 * i], cy - pos[3 * i + 1]);
            }
        }
        var o = new VoxelOutputs(prob, 2, new float[v * 2], 2, off, pos, [.. Enumerable.Repeat(1, v)]);
        var scene = new Clickscape.Training.Data.PreparedScene("two-chairs", pos, new float[3 * v], new int[v], new int[v], 0.02f, coords, [.. Enumerable.Range(0, v)]);
        var options = new ClickSegInferenceOptions { Clustering = "dual_set", Fusion = false };
        var prediction = ClickSegInference.DualSet(scene, o, o.ShiftedPositions(), new SimilarityTerms(true, true, true, 1f, 1f), ids, options);
        Assert.Equal(Enumerable.Range(0, v).Select(i => i < 2 * perChair ? 5 : 2), prediction.Semantic);
        var chairs = prediction.Instances.Where(m => m.Vertices.Length >= perChair * 0.9).ToList();
        Assert.Equal(2, chairs.Count);
        Assert.Contains(chairs, m => m.Vertices.SequenceEqual(Enumerable.Range(0, perChair)));
        Assert.Contains(chairs, m => m.Vertices.SequenceEqual(Enumerable.Range(perChair, perChair)));
        Assert.All(prediction.Instances, m => Assert.Equal(5, m.LabelId));
        Assert.All(prediction.Instances, m => Assert.All(m.Vertices, p => Assert.True(p < 2 * perChair)));
    }

    [Theory]
    [InlineData("""{"clustering": "dbscan"}""", "inference.clustering")]
    [InlineData("""{"clustering": "dual_set", "grouping": {"radius": 0}}""", "inference.grouping.radius")]
    public void BadClusteringOptions_AreConfigErrors(string inference, string names)
    {
        var config = ClickSegMethodTests.Config("clickseg", 1, inference: inference);
        var e = Assert.Throws<Clickscape.Training.Configs.ConfigException>(() => ClickSegMethod.InferenceOptions(config));
        Assert.Contains(names, e.Message, StringComparison.Ordinal);
    }

    /// <summary>The preset's <c>inference.grouping</c> (the cpu preset's radius for the benchmark's vertex spacing) reaches
    /// clickseg's dual-set grouping, as it reaches full's; the versions without offsets do not take it.</summary>
    [Fact]
    public void PresetGrouping_CarriesOverToClickSeg()
    {
        var preset = new System.Text.Json.Nodes.JsonObject
        {
            ["inference"] = new System.Text.Json.Nodes.JsonObject { ["grouping"] = new System.Text.Json.Nodes.JsonObject { ["radius"] = 0.09 } },
        };
        var registry = Clickscape.Training.Methods.MethodRegistry.CreateDefault();
        Assert.Equal(0.09, (double)registry.Get("clickseg").Configure(preset)["inference"]!["grouping"]!["radius"]!, 6);
        Assert.Null(registry.Get("weak").Configure(preset)["inference"]!["grouping"]);
        Assert.Equal(0.09f, ClickSegMethod.InferenceOptions(ClickSegMethodTests.Config("clickseg", 1, inference: """{"grouping": {"radius": 0.09}}""")).Grouping.Radius, 6);
    }

    [Fact]
    public void MeanShiftModes_FindTwoSeparatedGroups()
    {
        var rng = new Random(4);
        var x = new float[200 * 2];
        for (int i = 0; i < 200; i++)
        {
            x[2 * i] = (i < 100 ? 0f : 4f) + 0.3f * (float)(rng.NextDouble() - 0.5);
            x[2 * i + 1] = 0.3f * (float)(rng.NextDouble() - 0.5);
        }
        var rows = Enumerable.Range(0, 200).ToArray();
        var modes = ClickSegMeanShift.Modes(x, 2, rows, 1f, sample: 50);
        Assert.Equal(4, modes.Length);
        var labels = ClickSegMeanShift.Nearest(x, 2, rows, modes);
        Assert.All(Enumerable.Range(0, 200), i => Assert.Equal(labels[0], i < 100 ? labels[i] : 1 - labels[i]));
    }
}
