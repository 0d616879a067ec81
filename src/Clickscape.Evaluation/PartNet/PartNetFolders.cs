using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Evaluation.PartNet;

/// <summary>
/// Our folder layout for PartNet part instance results at one level (run once per level): GT
/// <c>&lt;gt&gt;/&lt;shape&gt;.txt</c> holds <c>label·1000 + instance</c> per point (label 0 = "other"); predictions
/// use the ScanNet text format (<c>&lt;pred&gt;/&lt;shape&gt;.txt</c> lines <c>relpath label confidence</c> + mask files);
/// optional per-point predicted labels in <c>&lt;pred&gt;/semantic/&lt;shape&gt;.txt</c> give the semantic mIoU.
/// The number of part classes is the largest label in GT or predictions.
/// </summary>
public static class PartNetFolders
{
    /// <summary>Loads the shapes and the class count.</summary>
    public static (IReadOnlyList<PartShape> Shapes, int ClassCount) Load(string predDir, string gtDir)
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
        var classCount = Math.Max(shapes.SelectMany(s => s.GtLabel).DefaultIfEmpty(0).Max(),
            shapes.SelectMany(s => s.Predictions).Select(p => p.LabelId).DefaultIfEmpty(0).Max());
        return (shapes, Math.Max(classCount, 1));
    }
}
