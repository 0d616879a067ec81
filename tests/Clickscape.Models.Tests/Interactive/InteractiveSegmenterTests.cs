using Clickscape.Geometry.Interactive;
using Clickscape.Models.Interactive;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Sparse;

namespace Clickscape.Models.Tests.Interactive;

public sealed class InteractiveSegmenterTests
{
    /// <summary>Two boxes of points 1 m apart (red and blue), 2 cm spacing.</summary>
    private static (float[] Positions, byte[] Colors) TwoBoxes()
    {
        var p = new List<float>();
        var c = new List<byte>();
        var random = new Random(3);
        foreach (float x0 in new[] { 0f, 1f })
        {
            for (int i = 0; i < 15; i++)
            for (int j = 0; j < 15; j++)
            for (int k = 0; k < 10; k++)
            {
                p.AddRange([x0 + 0.02f * i + 0.001f * (float)random.NextDouble(), 0.02f * j, 0.02f * k]);
                c.AddRange(x0 == 0 ? [200, 30, 30] : [30, 30, 200]);
            }
        }
        return ([.. p], [.. c]);
    }

    private static readonly InteractiveClick[] Clicks =
        [new(10, true), new(2500, false), new(700, true), new(3300, false), new(1200, true)];

    [Fact]
    public void Fast_CachedFeaturesGiveTheMasksOfRecomputingEverything()
    {
        var (p, c) = TwoBoxes();
        using var model = new InteractiveFastNet(new Random(1), [8, 16, 24], 1, 16);
        var cached = new InteractiveFastSegmenter(model, p, c);
        for (int k = 1; k <= Clicks.Length; k++)
        {
            var prefix = Clicks.Take(k).ToList();
            var again = cached.Predict(prefix);
            var fresh = new InteractiveFastSegmenter(model, p, c).Predict(prefix); // backbone run again from scratch
            Assert.Equal(fresh, again);
        }
        // and the cached logits are those of the training path (one Encode + Logits over the same voxels)
        var voxels = cached.Voxels;
        using var grad = Tensor.NoGrad();
        using var scope = TensorScope.Begin();
        var features = model.Encode(new SparseTensor(voxels.Coords, Tensor.FromArray(voxels.Colors, voxels.VoxelCount, 3)), voxels.Centres);
        var clicks = Clicks.Select(k => new VoxelClick(voxels.PointToVoxel[k.Point], k.Positive, p[3 * k.Point], p[3 * k.Point + 1], p[3 * k.Point + 2])).ToList();
        var direct = model.Logits(features, 0, voxels.VoxelCount, clicks).ToArray();
        var viaSegmenter = cached.VoxelLogits(Clicks);
        for (int v = 0; v < direct.Length; v++) Assert.Equal(direct[v], viaSegmenter[v], 4);
    }

    [Fact]
    public void Fast_ASampleOfABatch_HasTheLogitsOfThatSceneAlone()
    {
        var (p, c) = TwoBoxes();
        using var model = new InteractiveFastNet(new Random(2), [8, 16], 1, 8);
        var alone = new InteractiveFastSegmenter(model, p, c); // puts the model in evaluation mode
        var clicks = new[] { new InteractiveClick(10, true), new InteractiveClick(2500, false) };
        var expected = alone.VoxelLogits(clicks);
        // the training path: two samples in one voxel set (the second a shifted copy), the first sample's voxel slice
        int n = p.Length / 3;
        var points = new float[6 * n];
        var features = new float[12 * n];
        var batch = new int[2 * n];
        float x0 = p.Where((_, i) => i % 3 == 0).Min(), y0 = p.Where((_, i) => i % 3 == 1).Min(), z0 = p.Where((_, i) => i % 3 == 2).Min();
        for (int b = 0; b < 2; b++)
        {
            for (int i = 0; i < n; i++)
            {
                int g = b * n + i;
                points[3 * g] = p[3 * i] - x0 + 0.3f * b;
                points[3 * g + 1] = p[3 * i + 1] - y0;
                points[3 * g + 2] = p[3 * i + 2] - z0;
                for (int k = 0; k < 3; k++)
                {
                    features[6 * g + k] = c[3 * i + k] / 255f;
                    features[6 * g + 3 + k] = p[3 * i + k];
                }
                batch[g] = b;
            }
        }
        var v = Voxelizer.Voxelize(points, features, 6, 0.05f, batch);
        var rgb = new float[3 * v.Coords.Count];
        var centres = new float[3 * v.Coords.Count];
        for (int j = 0; j < v.Coords.Count; j++)
            for (int k = 0; k < 3; k++) { rgb[3 * j + k] = v.Features[6 * j + k]; centres[3 * j + k] = v.Features[6 * j + 3 + k]; }
        int first = Enumerable.Range(0, v.Coords.Count).Count(j => v.Coords[j].Batch == 0);
        Assert.Equal(alone.Voxels.VoxelCount, first);
        using var grad = Tensor.NoGrad();
        using var scope = TensorScope.Begin();
        var f = model.Encode(new SparseTensor(v.Coords, Tensor.FromArray(rgb, v.Coords.Count, 3)), centres);
        var voxelClicks = clicks.Select(k => new VoxelClick(v.PointToVoxel[k.Point], k.Positive, p[3 * k.Point], p[3 * k.Point + 1], p[3 * k.Point + 2])).ToList();
        var got = model.Logits(f, 0, first, voxelClicks).ToArray();
        for (int j = 0; j < first; j++) Assert.Equal(expected[j], got[j], 3);
    }

    [Fact]
    public void BothNetworks_ForceTheClickedCubes()
    {
        var (p, c) = TwoBoxes();
        using var net = new InteractiveNet(new Random(4), [8, 16], 1);
        using var fast = new InteractiveFastNet(new Random(4), [8, 16], 1, 8);
        var cubes = new ClickCubes(p);
        foreach (IInteractiveSegmenter seg in new IInteractiveSegmenter[] { new InteractiveNetSegmenter(net, p, c), new InteractiveFastSegmenter(fast, p, c) })
        {
            var mask = seg.Predict(Clicks);
            foreach (var click in Clicks)
            {
                // the last click over a point decides it; these clicks' cubes do not overlap
                foreach (int q in cubes.Region(click.Point)) Assert.Equal(click.Positive, mask[q]);
            }
        }
    }

    [Fact]
    public void Fast_SeveralObjectsInOnePass_OneObjectIsPredict_AndMasksAreDisjoint()
    {
        var (p, c) = TwoBoxes();
        using var model = new InteractiveFastNet(new Random(8), [8, 16], 1, 8);
        var seg = new InteractiveFastSegmenter(model, p, c);
        // one object: the single-object prediction
        foreach (int k in new[] { 1, 3, 5 })
        {
            var clicks = Clicks.Take(k).ToList();
            Assert.Equal(seg.Predict(clicks), seg.PredictObjects([clicks])[0]);
        }
        // two objects, one per box: disjoint masks, each holding its positive cubes
        InteractiveClick[] first = [new(10, true), new(700, true)], second = [new(2500, true), new(3300, false)];
        var masks = seg.PredictObjects([first, second]);
        for (int q = 0; q < p.Length / 3; q++) Assert.False(masks[0][q] && masks[1][q]);
        var cubes = new ClickCubes(p);
        foreach (int q in cubes.Region(10).Concat(cubes.Region(700))) Assert.True(masks[0][q]);
        foreach (int q in cubes.Region(2500)) Assert.True(masks[1][q]);
        foreach (int q in cubes.Region(3300)) Assert.False(masks[1][q]);
    }

    [Fact]
    public void ConcurrentPredictions_GiveTheSequentialMasks()
    {
        var (p, c) = TwoBoxes();
        using var net = new InteractiveNet(new Random(7), [8, 16], 1);
        using var fast = new InteractiveFastNet(new Random(7), [8, 16], 1, 8);
        // two scenes (the second shifted) share each network, as a server's sessions do
        var q = p.Select((v, i) => i % 3 == 0 ? v + 5f : v).ToArray();
        var segmenters = new IInteractiveSegmenter[]
        {
            new InteractiveNetSegmenter(net, p, c), new InteractiveNetSegmenter(net, q, c),
            new InteractiveFastSegmenter(fast, p, c), new InteractiveFastSegmenter(fast, q, c),
        };
        var jobs = (from s in Enumerable.Range(0, segmenters.Length) from k in Enumerable.Range(1, Clicks.Length) select (s, k)).ToArray();
        var sequential = jobs.Select(j => segmenters[j.s].Predict(Clicks.Take(j.k).ToList())).ToArray();
        var parallel = new bool[jobs.Length][];
        Parallel.For(0, jobs.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => parallel[i] = segmenters[jobs[i].s].Predict(Clicks.Take(jobs[i].k).ToList()));
        for (int i = 0; i < jobs.Length; i++) Assert.Equal(sequential[i], parallel[i]);
    }

    [Fact]
    public void Fast_WithoutAPositiveClick_IsEmptyExceptForcedNothing()
    {
        var (p, c) = TwoBoxes();
        using var fast = new InteractiveFastNet(new Random(5), [8, 16], 1, 8);
        var mask = new InteractiveFastSegmenter(fast, p, c).Predict([new InteractiveClick(3, false)]);
        Assert.DoesNotContain(true, mask);
    }

    [Fact]
    public void ClickOnAPointThatDoesNotExist_IsAnErrorNamingIt()
    {
        var (p, c) = TwoBoxes();
        using var net = new InteractiveNet(new Random(4), [8], 1);
        using var fast = new InteractiveFastNet(new Random(4), [8], 1, 8);
        int n = p.Length / 3;
        foreach (IInteractiveSegmenter seg in new IInteractiveSegmenter[] { new InteractiveNetSegmenter(net, p, c), new InteractiveFastSegmenter(fast, p, c) })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => seg.Predict([new InteractiveClick(n, true)]));
            Assert.StartsWith($"click on point {n}, expected 0..{n - 1}", e.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentOutOfRangeException>(() => new InteractiveSession(seg).Add(new InteractiveClick(-1, true)));
        }
    }

    [Fact]
    public void FastHead_GradientOfItsScalarParameters_MatchesFiniteDifferences()
    {
        var (p, c) = TwoBoxes();
        using var model = new InteractiveFastNet(new Random(6), [8], 1, 8);
        model.Eval();
        var v = new SceneVoxels(p, c, 0.05f);
        var clicks = new[]
        {
            new VoxelClick(v.PointToVoxel[10], true, p[30], p[31], p[32]),
            new VoxelClick(v.PointToVoxel[2500], false, p[7500], p[7501], p[7502]),
        };
        var target = Enumerable.Range(0, v.VoxelCount).Select(j => v.Centres[3 * j] < 0.5f ? 1f : 0f).ToArray();
        float Loss()
        {
            using var grad = Tensor.NoGrad();
            using var scope = TensorScope.Begin();
            var f = model.Encode(new SparseTensor(v.Coords, Tensor.FromArray(v.Colors, v.VoxelCount, 3)), v.Centres);
            return Tensors.Losses.Losses.BinaryCrossEntropyWithLogits(model.Logits(f, 0, v.VoxelCount, clicks), Tensor.FromArray(target, target.Length)).Item();
        }
        model.ZeroGrad();
        using (TensorScope.Begin())
        {
            var f = model.Encode(new SparseTensor(v.Coords, Tensor.FromArray(v.Colors, v.VoxelCount, 3)), v.Centres);
            Tensors.Losses.Losses.BinaryCrossEntropyWithLogits(model.Logits(f, 0, v.VoxelCount, clicks), Tensor.FromArray(target, target.Length)).Backward();
        }
        foreach (var parameter in new[] { model.LogAlpha, model.Background })
        {
            float analytic = parameter.Grad!.Data[0];
            const float h = 1e-2f;
            float x = parameter.Data[0];
            parameter.Data[0] = x + h;
            float up = Loss();
            parameter.Data[0] = x - h;
            float down = Loss();
            parameter.Data[0] = x;
            Assert.Equal((up - down) / (2 * h), analytic, 2);
        }
    }
}
