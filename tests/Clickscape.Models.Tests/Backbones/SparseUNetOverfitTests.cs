using Clickscape.Data.Synthetic.Scenes;
using Clickscape.Models.Backbones;
using Clickscape.Models.Heads;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Losses;
using Clickscape.Tensors.Optim;
using Clickscape.Tensors.Sparse;
using Xunit.Abstractions;

namespace Clickscape.Models.Tests.Backbones;

/// <summary>A seeded tiny run (TorchSharp-style pinned loss): a 3-level sparse U-Net memorizes one generated room's semantic labels.</summary>
public sealed class SparseUNetOverfitTests(ITestOutputHelper output)
{
    private const float VoxelSize = 0.1f;
    private const int Steps = 40;

    /// <summary>Pinned: the cross-entropy after <see cref="Steps"/> Adam steps must fall below this (it starts near ln K ≈ 2).</summary>
    private const float PinnedLoss = 0.5f;

    [Fact]
    public void ThreeLevelUNet_OverfitsOneGeneratedScenesSemanticLabels()
    {
        var scene = SceneGenerator.Generate(7, 0, SceneSize.Small).Scene;
        int n = scene.PointCount;
        // point features: RGB in [0, 1] and xyz (metres, centred); voxel features are their means
        var (min, max) = scene.Bounds();
        var centre = (min + max) * 0.5f;
        var features = new float[6 * n];
        for (int i = 0; i < n; i++)
        {
            for (int c = 0; c < 3; c++) features[6 * i + c] = scene.Colors is { } rgb ? rgb[3 * i + c] / 255f : 0.5f;
            features[6 * i + 3] = scene.Positions[3 * i] - centre.X;
            features[6 * i + 4] = scene.Positions[3 * i + 1] - centre.Y;
            features[6 * i + 5] = scene.Positions[3 * i + 2] - centre.Z;
        }
        var voxels = Voxelizer.Voxelize(scene.Positions, features, 6, VoxelSize);
        int v = voxels.Coords.Count;

        // voxel label = majority label of its points, remapped to 0..K−1 (unlabelled → ignored)
        var pointLabels = scene.SemanticLabels!;
        var classIds = pointLabels.Where(l => l != 0).Distinct().Order().ToList();
        var labels = new int[v];
        for (int j = 0; j < v; j++)
        {
            var votes = new Dictionary<int, int>();
            for (int p = voxels.VoxelPointStart[j]; p < voxels.VoxelPointStart[j + 1]; p++)
                votes[pointLabels[voxels.VoxelPoints[p]]] = votes.GetValueOrDefault(pointLabels[voxels.VoxelPoints[p]]) + 1;
            int best = votes.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key).First().Key;
            labels[j] = best == 0 ? -100 : classIds.IndexOf(best);
        }
        int classes = classIds.Count;
        Assert.True(classes >= 3, $"the generated room has {classes} classes; the test needs several");

        var rng = new Random(5);
        using var unet = new SparseUNet(6, [8, 16, 24], 1, rng);
        using var head = new SemanticHead(8, classes, rng);
        using var x = Tensor.FromArray(voxels.Features, v, 6).DetachFromScope();
        using var adam = new Adam(unet.Parameters().Concat(head.Parameters()), 1e-2f);
        var losses = new List<float>();
        for (int step = 0; step < Steps; step++)
        {
            using var scope = TensorScope.Begin();
            adam.ZeroGrad();
            var logits = head.Forward(unet.Forward(new SparseTensor(voxels.Coords, x)).Features);
            var loss = Losses.CrossEntropy(logits, labels);
            loss.Backward();
            adam.Step();
            losses.Add(loss.Item());
        }
        output.WriteLine($"{v} voxels at {VoxelSize} m, {classes} classes; loss {string.Join(" ", losses.Select(l => l.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.True(losses[0] > 1f, $"initial loss {losses[0]} should be near ln {classes}");
        Assert.True(losses[^1] < PinnedLoss, $"loss after {Steps} steps is {losses[^1]}, pinned below {PinnedLoss}");
    }
}
