using Clickscape.Data.Formats.ScanNet;
using Clickscape.Models.PartFusion;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Sparse;
using Clickscape.Training.Data;
using Clickscape.Training.Methods;

namespace Clickscape.Training.Methods.Parts;

/// <summary>Per-point outputs of one level: class probabilities (N × C), instance and region offsets (N × 3 each).</summary>
public sealed record PartLevelPoints(float[] Probabilities, int Classes, float[] InstanceOffsets, float[] RegionOffsets);

/// <summary>
/// Inference of <c>parts</c>: the network on the shape's un-augmented voxels (mean r, g, b, x, y, z per voxel), every
/// point read at its voxel, then per level the semantic label (argmax) and the part instances of
/// <see cref="PartInstanceClustering"/> (Eq. 7, mean-shift per predicted class, confidence from entropy).
/// </summary>
public static class PartsInference
{
    /// <summary>The network's per-point outputs of every level for <paramref name="scene"/>.</summary>
    public static IReadOnlyList<PartLevelPoints> Outputs(PartFusionNet model, PreparedScene scene, IReadOnlyList<float[]>? classBias = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scene);
        int n = scene.PointCount, v = scene.VoxelCount, ch = PreparedScene.Channels;
        var (features, _) = scene.VoxelMeans();
        using var evalMode = model.EvalScope();
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        var input = PartFusionInput.Create(new SparseTensor(new SparseCoords(scene.VoxelCoords), Tensor.FromArray(features, v, ch)),
            scene.PointToVoxel, scene.Positions, classBias?.Count ?? 0, classBias is null ? null : (k, _) => classBias[k]);
        var mean = input.Positions.Data.ToArray();
        return model.Forward(input).Select(o =>
        {
            // each point takes its voxel's probabilities, and its offsets O(v) + (p̄_v − p)
            var p = o.Semantic.Softmax().Data;
            var oi = o.InstanceOffset.Data;
            var os = o.RegionOffset.Data;
            int c = o.Semantic.Dim(1);
            var probabilities = new float[(long)n * c];
            var instance = new float[3 * n];
            var region = new float[3 * n];
            for (int i = 0; i < n; i++)
            {
                int j = scene.PointToVoxel[i];
                p.Slice(j * c, c).CopyTo(probabilities.AsSpan(i * c, c));
                for (int d = 0; d < 3; d++)
                {
                    float toMean = mean[3 * j + d] - scene.Positions[3 * i + d];
                    instance[3 * i + d] = oi[3 * j + d] + toMean;
                    region[3 * i + d] = os[3 * j + d] + toMean;
                }
            }
            return new PartLevelPoints(probabilities, c, instance, region);
        }).ToList();
    }

    /// <summary>
    /// Labels <paramref name="scene"/> at every level: a prediction per level whose ids are class numbers 1..C of the level
    /// (instances in descending confidence); the top-level prediction repeats the finest level. <paramref name="classBias"/>
    /// (<see cref="PartLabels.CategoryBias"/>) keeps the shape to its category's classes.
    /// </summary>
    public static ScenePrediction Predict(PartFusionNet model, PreparedScene scene, PartClusteringOptions clustering, IReadOnlyList<float[]>? classBias = null)
    {
        var levels = new List<ScenePrediction>();
        foreach (var o in Outputs(model, scene, classBias))
        {
            var classes = PartInstanceClustering.Classes(o.Probabilities, o.Classes);
            var instances = PartInstanceClustering.Cluster(scene.Positions, o.Probabilities, o.Classes, o.InstanceOffsets, o.RegionOffsets, clustering);
            levels.Add(new ScenePrediction(scene.Name, classes.Select(c => c + 1).ToArray(),
                instances.Select(i => new ScanNetPredictedMask(i.Points, i.ClassIndex + 1, i.Confidence)).ToList()));
        }
        return levels[^1] with { Levels = levels };
    }
}
