using Clickscape.Training.Methods.ClickSeg;

namespace Clickscape.Training.Tests.Methods.ClickSeg;

public sealed class ClickPseudoLabelsTests
{
    /// <summary>Voxels in two groups: embeddings near (0, …) and (3, …), positions near x = 0 and x = 2, probabilities one-hot class 0 or 1.</summary>
    private static (float[] E, float[] P, float[] S, int[] Truth) TwoObjects(int perObject, bool sameEmbedding, bool sameClass, int seed = 3)
    {
        var rng = new Random(seed);
        int v = 2 * perObject, e = 4, c = 3;
        var emb = new float[v * e];
        var pos = new float[v * 3];
        var prob = new float[v * c];
        var truth = new int[v];
        for (int i = 0; i < v; i++)
        {
            int g = i < perObject ? 0 : 1;
            truth[i] = g;
            for (int d = 0; d < e; d++) emb[i * e + d] = (sameEmbedding ? 0f : 3f * g) + 0.1f * (float)(rng.NextDouble() - 0.5);
            pos[3 * i] = 2f * g + 0.3f * (float)(rng.NextDouble() - 0.5);
            pos[3 * i + 1] = 0.3f * (float)(rng.NextDouble() - 0.5);
            int cls = sameClass ? 0 : g;
            for (int k = 0; k < c; k++) prob[i * c + k] = k == cls ? 0.9f : 0.05f;
        }
        return (emb, pos, prob, truth);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SeparatedObjects_EveryVoxelJoinsItsClickedObject(bool kMeans)
    {
        var (e, p, s, truth) = TwoObjects(30, sameEmbedding: false, sameClass: false);
        var r = ClickPseudoLabels.Assign(e, 4, p, s, 3, [5, 40], [0, 1], new SimilarityTerms(true, true, true, 1f, 0.5f), kMeans);
        Assert.Equal(truth, r.Instance);
        Assert.Equal(1f, r.Similarity[5], 4);
        Assert.All(r.Similarity, x => Assert.InRange(x, 0f, 1f));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void FixedVoxels_KeepTheirSegLevelInstance_WithSimilarityOne_TheRestIsAssigned(bool kMeans)
    {
        var (e, p, s, truth) = TwoObjects(30, sameEmbedding: false, sameClass: false);
        var known = Enumerable.Repeat(-1, 60).ToArray();
        for (int i = 40; i < 45; i++) known[i] = 0; // a clicked segment says these belong to object 0, whatever the network thinks
        var r = ClickPseudoLabels.Assign(e, 4, p, s, 3, [5, 40], [0, 1], new SimilarityTerms(true, true, true, 1f, 0.5f), kMeans, fixedInstance: known);
        Assert.Equal(1, r.Instance[40]); // a clicked voxel keeps its own click
        for (int i = 41; i < 45; i++) Assert.Equal((0, 1f), (r.Instance[i], r.Similarity[i]));
        for (int i = 0; i < 60; i++)
            if (i is < 40 or > 44) Assert.Equal(truth[i], r.Instance[i]);
        Assert.Throws<ArgumentException>(() => ClickPseudoLabels.Assign(e, 4, p, s, 3, [5, 40], [0, 1], new SimilarityTerms(true, true, true, 1f, 0.5f), kMeans, fixedInstance: [0, 1]));
    }

    [Fact]
    public void KnownInstances_AreTheVoxelMajorityObject_WhereItOutnumbersTheUnlabelledPoints()
    {
        // voxel 0: objects 7, 7, 9 → 7; voxel 1: 7 and two unlabelled → unknown; voxel 2: 9, 9, unlabelled → 9;
        // voxel 3: 4 (no click here) → unknown; voxel 4: a 7/9 tie → the lower index, 7's
        int[] voxel = [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 4, 4];
        int[] obj = [7, 7, 9, 7, 0, 0, 9, 9, 0, 4, 9, 7];
        var objects = new Dictionary<int, int> { [9] = 1, [7] = 0 };
        Assert.Equal([0, -1, 1, -1, 0], ClickPseudoLabels.KnownInstances(5, voxel, obj, objects));
    }

    [Fact]
    public void EqualEmbeddings_OnlyTheSpatialTermSeparatesTheObjects()
    {
        var (e, p, s, truth) = TwoObjects(30, sameEmbedding: true, sameClass: true);
        var with = ClickPseudoLabels.Assign(e, 4, p, s, 3, [5, 40], [0, 1], new SimilarityTerms(true, true, true, 1f, 0.5f), kMeans: false);
        Assert.Equal(truth, with.Instance);
        var without = ClickPseudoLabels.Assign(e, 4, p, s, 3, [5, 40], [0, 1], new SimilarityTerms(true, false, true, 1f, 0.5f), kMeans: false);
        int wrong = without.Instance.Zip(truth).Count(t => t.First != t.Second);
        Assert.True(wrong >= 10, $"without D_p only {wrong} of 60 voxels differ from the truth; the embeddings cannot tell the objects apart");
    }

    [Fact]
    public void EqualEmbeddingsAndPlaces_TheSemanticTermSeparatesTheClasses()
    {
        var (e, _, s, truth) = TwoObjects(30, sameEmbedding: true, sameClass: false);
        var p = new float[60 * 3]; // all at one place
        var r = ClickPseudoLabels.Assign(e, 4, p, s, 3, [5, 40], [0, 1], new SimilarityTerms(true, true, true, 1f, 0.5f), kMeans: true);
        Assert.Equal(truth, r.Instance);
    }

    [Fact]
    public void SeveralClicksPerInstance_AssignByTheMeanSimilarityToTheInstancesClicks()
    {
        var rng = new Random(9);
        int v = 80, e = 2, c = 2;
        var emb = Enumerable.Range(0, v * e).Select(_ => (float)(rng.NextDouble() * 3)).ToArray();
        var pos = Enumerable.Range(0, v * 3).Select(_ => (float)rng.NextDouble()).ToArray();
        var prob = Enumerable.Range(0, v * c).Select(_ => (float)rng.NextDouble()).ToArray();
        int[] seeds = [0, 1, 2, 3, 4];
        int[] inst = [0, 0, 1, 1, 1];
        var terms = new SimilarityTerms(true, true, true, 1.2f, 0.7f);
        var r = ClickPseudoLabels.Assign(emb, e, pos, prob, c, seeds, inst, terms, kMeans: true);
        var sim = terms.For(e, c);
        float[] Row(int i) => [.. emb.AsSpan(i * e, e), .. pos.AsSpan(3 * i, 3), .. prob.AsSpan(i * c, c)];
        for (int i = 5; i < v; i++)
        {
            double a = (sim.Similarity(Row(i), Row(0)) + sim.Similarity(Row(i), Row(1))) / 2;
            double b = (sim.Similarity(Row(i), Row(2)) + sim.Similarity(Row(i), Row(3)) + sim.Similarity(Row(i), Row(4))) / 3;
            Assert.Equal(a >= b ? 0 : 1, r.Instance[i]);
            Assert.Equal(Math.Max(a, b), r.Similarity[i], 5);
        }
        Assert.Equal(inst, r.Instance.Take(5));
    }

    [Fact]
    public void KMeans_CorrectsAClickOnTheBorderThatNearestNeighbourGetsWrong()
    {
        // 1-D embeddings, spacing 0.05: object A on [0, 1] clicked on its edge at 1.0, object B on [1.3, 3.3] clicked at its
        // centre 2.3. Nearest neighbour gives B's near edge [1.3, 1.65) to A's click; k-means moves A's centre into A.
        var emb = new List<float>();
        var truth = new List<int>();
        for (int i = 0; i <= 20; i++) { emb.Add(i * 0.05f); truth.Add(0); }
        for (int i = 0; i <= 40; i++) { emb.Add(1.3f + i * 0.05f); truth.Add(1); }
        int v = emb.Count;
        var pos = new float[3 * v];
        var prob = Enumerable.Repeat(1f, v).ToArray();
        int clickA = 20, clickB = 21 + 20;
        var terms = new SimilarityTerms(true, false, false, 1f, 1f);
        var nearest = ClickPseudoLabels.Assign(emb.ToArray(), 1, pos, prob, 1, [clickA, clickB], [0, 1], terms, kMeans: false);
        var kmeans = ClickPseudoLabels.Assign(emb.ToArray(), 1, pos, prob, 1, [clickA, clickB], [0, 1], terms, kMeans: true);
        int Wrong(int[] l) => l.Zip(truth).Count(t => t.First != t.Second);
        Assert.True(Wrong(nearest.Instance) > 0, "nearest neighbour should misassign B's near edge in this layout");
        Assert.True(Wrong(kmeans.Instance) < Wrong(nearest.Instance), $"k-means {Wrong(kmeans.Instance)} wrong, nearest {Wrong(nearest.Instance)}");
        Assert.True(kmeans.Iterations >= 1);
    }
}
