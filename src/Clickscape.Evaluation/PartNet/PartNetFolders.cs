using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Evaluation.PartNet;

/// <summary>
/// Our folder layout for PartNet part instance results at one level (run once per level): GT
/// <c>&lt;gt&gt;/&lt;shape&gt;.txt</c> holds <c>label·1000 + instance</c> per point (label 0 = "other"); predictions
/// use the ScanNet text format (<c>&lt;pred&gt;/&lt;shape&gt;.txt</c> lines <c>relpath label confidence</c> + mask files);
/// optional per-point predicted labels in <c>&lt;pred&gt;/semantic/&lt;shape&gt;.txt</c> give the semantic mIoU.
/// Part classes are the distinct labels of GT and predictions, numbered 1..K in ascending label order for
/// <see cref="PartInstanceAp"/> (so its tables are sized by the labels present, not by the largest label: a
/// prediction labelled 2·10⁹ costs one class, not 2·10⁹); <c>LabelIds[k − 1]</c> is the file label of class k.
/// </summary>
public static class PartNetFolders
{
    /// <summary>Loads the shapes (labels renumbered 1..K), the class count K and the file label of each class.</summary>
    public static (IReadOnlyList<PartShape> Shapes, int ClassCount, IReadOnlyList<int> LabelIds) Load(string predDir, string gtDir)
    {
        var names = ScanNetFolders.SceneNames(predDir, gtDir);
        var shapes = ScanNetFolders.ReadAll(names, name =>
        {
            var gtPath = Path.Combine(gtDir, name + ".txt");
            var ids = ScanNetEvaluationFiles.ReadVertexIds(gtPath);
            var label = new int[ids.Length];
            var instance = new int[ids.Length];
            for (var p = 0; p < ids.Length; p++)
            {
                if (ids[p] < 0)
                    throw new DataFormatException(gtPath, $"line {p + 1}: id {ids[p]} is negative (expected label·1000+instance)");
                label[p] = ids[p] / 1000;
                instance[p] = ids[p] % 1000;
            }
            var entries = ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(predDir, name + ".txt"));
            var preds = entries.Select(e => new PredictedInstance(ScanNetEvaluationFiles.ReadMaskVertices(e.FullPath, ids.Length), e.LabelId, e.Confidence, e.FullPath)).ToList();
            foreach (var (e, p) in entries.Zip(preds))
            {
                if (e.LabelId < 1)
                    throw new DataFormatException(Path.Combine(predDir, name + ".txt"), $"line {e.LineNumber}: part label {e.LabelId} out of range (expected ≥ 1)");
            }
            var semanticPath = Path.Combine(predDir, "semantic", name + ".txt");
            int[]? semantic = null;
            if (File.Exists(semanticPath))
            {
                semantic = ScanNetEvaluationFiles.ReadVertexIds(semanticPath);
                if (semantic.Length != ids.Length)
                    throw new DataFormatException(semanticPath, $"{semantic.Length} labels but the shape has {ids.Length} points");
            }
            return new PartShape(name, label, instance, preds, semantic);
        });
        var labels = new SortedSet<int>(shapes.SelectMany(s => s.GtLabel).Where(l => l > 0));
        labels.UnionWith(shapes.SelectMany(s => s.Predictions).Select(p => p.LabelId));
        labels.UnionWith(shapes.SelectMany(s => s.PredictedLabel ?? []).Where(l => l > 0));
        if (labels.Count == 0) labels.Add(1);
        var labelIds = labels.ToArray();
        var classOf = new Dictionary<int, int>(labelIds.Length);
        for (int k = 0; k < labelIds.Length; k++) classOf[labelIds[k]] = k + 1;
        var renumbered = shapes.Select(s => s with
        {
            GtLabel = s.GtLabel.Select(l => l > 0 ? classOf[l] : 0).ToArray(),
            Predictions = s.Predictions.Select(p => p with { LabelId = classOf[p.LabelId] }).ToList(),
            PredictedLabel = s.PredictedLabel?.Select(l => l > 0 ? classOf[l] : l).ToArray(),
        }).ToList();
        return (renumbered, labelIds.Length, labelIds);
    }
}
