using Clickscape.Data;
using Clickscape.Data.Classes;
using Clickscape.Data.Datasets;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Evaluation.ScanNet;

/// <summary>
/// Ground truth of the ScanNet benchmark read from a dataset's scenes rather than from exported text files, so a
/// user never exports them by hand: the instance task's per-vertex <c>label·1000 + instance</c> ids and the
/// semantic task's nyu40 ids (REFERENCE.md §1.3, §1.5), paired with a prediction folder.
/// </summary>
/// <remarks>
/// Scenes evaluated: with no split (or <see cref="SceneDataset.AllSplit"/>) every prediction file, as the official
/// scripts do, each of which must name a scene of the dataset; with a split every scene of the split, each of which
/// must have a prediction file (predictions of other scenes are ignored). Scenes load in parallel; the first bad
/// scene is reported as a <see cref="DataFormatException"/> naming it.
/// </remarks>
public static class ScanNetGroundTruth
{
    /// <summary>
    /// The instance task's GT ids of <paramref name="scene"/>: <c>nyu40 label · 1000 + instance id</c> for vertices of
    /// an instance, 0 (unannotated) for vertices of none (<see cref="Labels.NoInstance"/>).
    /// </summary>
    public static int[] InstanceIds(Scene scene) => InstanceIds(scene, scene?.Name!);

    /// <summary>The semantic task's GT of <paramref name="scene"/>: its nyu40 id per vertex (0 = unannotated).</summary>
    public static int[] SemanticIds(Scene scene) => [.. CheckedLabels(scene, scene?.Name!)];

    private static int[] InstanceIds(Scene scene, string where)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var labels = CheckedLabels(scene, where);
        var instances = scene.InstanceIds
            ?? throw new DataFormatException(where, "has no instance ids; the ScanNet instance metric needs ground-truth instances");
        var ids = new int[scene.PointCount];
        for (int v = 0; v < ids.Length; v++)
        {
            if (instances[v] < 0 || instances[v] >= 1000)
                throw new DataFormatException(where, $"vertex {v} has instance id {instances[v]}; the ScanNet GT format label·1000+instance holds ids 0..999");
            ids[v] = instances[v] == Labels.NoInstance ? 0 : labels[v] * 1000 + instances[v];
        }
        return ids;
    }

    /// <summary>
    /// Whether <paramref name="gtPath"/> is a folder of exported GT text files for these predictions (it holds
    /// <c>&lt;scene&gt;.txt</c> for at least one of <paramref name="predictedScenes"/>) rather than a dataset.
    /// </summary>
    public static bool IsTextFolder(string gtPath, IReadOnlyList<string> predictedScenes)
    {
        ArgumentNullException.ThrowIfNull(predictedScenes);
        return Directory.Exists(gtPath) && predictedScenes.Any(n => File.Exists(Path.Combine(gtPath, n + ".txt")));
    }

    /// <summary>Opens <paramref name="gtPath"/> as a dataset; a folder holding no scene names both layouts it could have had.</summary>
    public static SceneDataset OpenDataset(string gtPath, IReadOnlyList<string> predictedScenes, SceneDatasetOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(predictedScenes);
        if (!Directory.Exists(gtPath) && !File.Exists(gtPath))
            throw new DataFormatException(gtPath, "ground-truth folder not found");
        try
        {
            return options is null ? SceneDataset.Open(gtPath) : SceneDataset.Open(gtPath, options);
        }
        catch (DataFormatException) when (Directory.Exists(gtPath) && !SceneLoader.Enumerate(gtPath, options?.Read ?? SceneReadOptions.Default).Any())
        {
            throw new DataFormatException(gtPath, $"holds neither ground-truth files ({predictedScenes[0]}.txt, one id per vertex) nor scenes (a dataset or scene folder)");
        }
    }

    /// <summary>Instance task: the predictions in <paramref name="predDir"/> against the scenes of <paramref name="dataset"/>.</summary>
    public static IReadOnlyList<InstanceScene> LoadInstanceScenes(string predDir, SceneDataset dataset, string? split = null)
    {
        var scenes = Pair(predDir, dataset, split);
        return ScanNetFolders.ReadAll([.. scenes.Select(s => s.Name)], name =>
        {
            var source = dataset.Find(name)!;
            var gt = InstanceIds(source.Load(), source.Path);
            return ScanNetFolders.ReadInstanceScene(predDir, name, gt);
        });
    }

    /// <summary>Semantic task: the nyu40 label files in <paramref name="predDir"/> against the scenes of <paramref name="dataset"/>.</summary>
    public static IReadOnlyList<(string Scene, int[] GroundTruth, int[] Prediction)> LoadSemanticScenes(string predDir, SceneDataset dataset, string? split = null)
    {
        var scenes = Pair(predDir, dataset, split);
        return ScanNetFolders.ReadAll([.. scenes.Select(s => s.Name)], name =>
        {
            var source = dataset.Find(name)!;
            var gt = CheckedLabels(source.Load(), source.Path);
            var predPath = Path.Combine(predDir, name + ".txt");
            var pred = ScanNetFolders.ReadLabels(predPath, 40);
            if (pred.Length != gt.Length)
                throw new DataFormatException(predPath, $"{pred.Length} labels but scene {name} has {gt.Length} vertices");
            return (name, gt, pred);
        });
    }

    /// <summary>The scenes to evaluate (see the remarks), checked against both folders.</summary>
    internal static IReadOnlyList<SceneSource> Pair(string predDir, SceneDataset dataset, string? split)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var predicted = ScanNetFolders.PredictionNames(predDir);
        if (split is null || split == SceneDataset.AllSplit)
        {
            return [.. predicted.Select(name => dataset.Find(name)
                ?? throw new DataFormatException(Path.Combine(predDir, name + ".txt"), $"predicts scene '{name}', which {dataset.Root} does not hold"))];
        }
        var scenes = dataset.Split(split);
        var have = predicted.ToHashSet(StringComparer.Ordinal);
        foreach (var s in scenes)
        {
            if (!have.Contains(s.Name))
                throw new DataFormatException(Path.Combine(predDir, s.Name + ".txt"), $"missing: scene '{s.Name}' of split '{split}' has no prediction");
        }
        return scenes;
    }

    private static int[] CheckedLabels(Scene scene, string where)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if (scene.Classes is not null && scene.Classes.Name != ClassTables.Nyu40.Name)
            throw new DataFormatException(where, $"labels are '{scene.Classes.Name}' classes; the ScanNet metrics need nyu40 ids");
        var labels = scene.SemanticLabels
            ?? throw new DataFormatException(where, "has no semantic labels; the ScanNet metrics need ground-truth labels");
        for (int v = 0; v < labels.Length; v++)
        {
            if ((uint)labels[v] > 40)
                throw new DataFormatException(where, $"vertex {v} has label {labels[v]}, expected a nyu40 id 0..40");
        }
        return labels;
    }
}
