using Clickscape.Data.Formats.ScanNet;
using Clickscape.Geometry.Scenes;
using Clickscape.Models.PointGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Nn;
using Clickscape.Tensors.Sparse;
using Clickscape.Training.Data;

namespace Clickscape.Training.Methods.Full;

/// <summary>The <c>inference</c> section of <c>full</c>: PointGroup's grouping parameters (<see cref="PgGroupingOptions"/>; snake_case keys).</summary>
public sealed class FullInferenceOptions
{
    /// <summary>Grouping parameters (defaults: PointGroup's test configuration).</summary>
    public PgGroupingOptions Grouping { get; set; } = new();
}

/// <summary>Per-point network outputs of one scene: class probabilities (N × C) and offsets to the instance centre (N × 3).</summary>
public sealed record PointOutputs(float[] Probabilities, int Classes, float[] Offsets);

/// <summary>
/// Inference of <c>full</c>: the network on the scene's un-augmented voxels (from the cache: mean r, g, b, x, y, z per
/// voxel), devoxelized to every input point (each point takes its voxel's outputs, so mesh vertices are all
/// labelled), the semantic label = argmax of the point's class probabilities, and instances from PointGroup's
/// dual-set grouping (<c>PgGrouping</c>) on the original and the offset-shifted points.
/// </summary>
public static class FullInference
{
    /// <summary>Runs the network on <paramref name="scene"/> and devoxelizes its outputs.</summary>
    public static PointOutputs Outputs(Module<SparseTensor, PgUNetOutput> model, PreparedScene scene)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scene);
        int n = scene.PointCount, v = scene.VoxelCount, ch = PreparedScene.Channels;
        var (features, _) = scene.VoxelMeans();

        using var evalMode = model.EvalScope();
        using var scope = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        var coords = new SparseCoords(scene.VoxelCoords);
        var output = model.Forward(new SparseTensor(coords, Tensor.FromArray(features, v, ch)));
        var probabilities = output.Semantic.Softmax();
        int classes = probabilities.Dim(1);
        var p = probabilities.Data;
        var o = output.Offset.Data;
        var pointProbabilities = new float[(long)n * classes];
        var pointOffsets = new float[3 * n];
        for (int i = 0; i < n; i++)
        {
            int j = scene.PointToVoxel[i];
            p.Slice(j * classes, classes).CopyTo(pointProbabilities.AsSpan(i * classes, classes));
            o.Slice(3 * j, 3).CopyTo(pointOffsets.AsSpan(3 * i, 3));
        }
        return new PointOutputs(pointProbabilities, classes, pointOffsets);
    }

    /// <summary>The semantic class index of every point (argmax; ties → the smaller index).</summary>
    public static int[] SemanticIndices(PointOutputs outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        int c = outputs.Classes, n = outputs.Probabilities.Length / c;
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            var row = outputs.Probabilities.AsSpan(i * c, c);
            int best = 0;
            for (int k = 1; k < c; k++) if (row[k] > row[best]) best = k;
            result[i] = best;
        }
        return result;
    }

    /// <summary>Labels <paramref name="scene"/>: nyu40 ids per point and instance masks (wall and floor, nyu40 1 and 2, are never grouped).</summary>
    public static ScenePrediction Predict(Module<SparseTensor, PgUNetOutput> model, PreparedScene scene, IReadOnlyList<int> classIds, PgGroupingOptions grouping)
    {
        ArgumentNullException.ThrowIfNull(classIds);
        ArgumentNullException.ThrowIfNull(grouping);
        var outputs = Outputs(model, scene);
        var classes = SemanticIndices(outputs);
        var semantic = Labels.FromTargets(classes, classIds);
        return new ScenePrediction(scene.Name, semantic, Instances(scene, outputs, classIds, grouping));
    }

    /// <summary>The instance masks of PointGroup's dual-set grouping on per-point outputs (wall and floor, nyu40 1 and 2, never grouped).</summary>
    public static List<ScanNetPredictedMask> Instances(PreparedScene scene, PointOutputs outputs, IReadOnlyList<int> classIds, PgGroupingOptions grouping)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(classIds);
        var stuff = new HashSet<int>();
        for (int c = 0; c < classIds.Count; c++)
            if (classIds[c] is 1 or 2) stuff.Add(c);
        var groups = PgGrouping.Group(scene.Positions, outputs.Offsets, outputs.Probabilities, outputs.Classes, stuff, grouping);
        return groups.Select(g => new ScanNetPredictedMask(g.Points, classIds[g.ClassIndex], g.Score)).ToList();
    }
}
