using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Evaluation.Averaging;
using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Evaluation.PartNet;

/// <summary>One (category, level) cell of a multi-level evaluation: mean part-category AP at 0.25/0.5/0.75, s-AP50, mIoU.</summary>
public sealed record PartLevelCell(string Category, int Level, int Shapes, double Ap25, double Ap50, double Ap75, double ShapeAp50, double MeanIou,
    IReadOnlyList<string> ClassPaths, PartInstanceApResult Detail);

/// <summary>One level of a multi-level evaluation, averaged over the categories in which it exists.</summary>
public sealed record PartLevelRow(int Level, double Ap25, double Ap50, double Ap75, double ShapeAp50, double MeanIou);

/// <summary>A multi-level evaluation: the cells, per level the mean over categories, and the headline (mean over categories of each category's mean over its levels, as the paper's "Avg").</summary>
public sealed record PartLevelsResult(IReadOnlyList<PartLevelCell> Cells, IReadOnlyList<PartLevelRow> Levels,
    double Ap25, double Ap50, double Ap75, double ShapeAp50, double MeanIou, IReadOnlyList<string> Notes);

/// <summary>
/// PartNet part instance evaluation of every level against the shapes themselves (the PartNet dataset folder as
/// ground truth; Sun et al. §4.1 protocol): per level k (<see cref="PartNetLevels"/>) and per category, the shapes in
/// which level k exists are scored with <see cref="PartInstanceAp"/>: GT parts are the level's nodes, GT classes their
/// node paths, matched to the predicted labels through the level's <c>classes.txt</c>
/// (<see cref="PartNetPredictionLayout"/>; a GT path the predictions never name is a class of its own, scoring 0).
/// AP is the mean over the category's part classes; a category's average is over its levels; the headline averages
/// the categories. With PartNet's benchmark lists (<see cref="PartNetBenchmark"/>), the categories they list are scored
/// on PartNet's levels instead (<see cref="PartNetBenchmarkLevels"/>): the levels with a file, GT parts the merged nodes
/// of the level's list, points of no listed part "other" (label 0, removed from the predictions as PartNet's evaluation does).
/// </summary>
public static class PartLevelEvaluation
{
    /// <summary>
    /// Evaluates the prediction folder <paramref name="predDir"/> (level-1 …) against <paramref name="shapes"/> (shape id →
    /// folder), on PartNet's benchmark levels for the categories <paramref name="benchmark"/> lists and on the depth levels
    /// for the others.
    /// </summary>
    public static PartLevelsResult Evaluate(string predDir, IReadOnlyDictionary<string, string> shapes, PartNetBenchmark? benchmark = null)
    {
        ArgumentNullException.ThrowIfNull(predDir);
        ArgumentNullException.ThrowIfNull(shapes);
        int levels = PartNetPredictionLayout.Levels(predDir);
        if (levels == 0) throw new DataFormatException(predDir, "holds no level-1/classes.txt (expected the multi-level output of clickscape predict)");
        var names = ScanNetFolders.PredictionNames(PartNetPredictionLayout.LevelFolder(predDir, 1)).Where(n => n != PartNetPredictionLayout.ClassesName).ToList();
        var loaded = new Dictionary<string, PartNetShape>(StringComparer.Ordinal);
        var truth = new Dictionary<string, PartNetLevelLabels>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (!shapes.TryGetValue(name, out var folder)) throw new DataFormatException(predDir, $"predicts shape '{name}', which the ground-truth dataset does not hold");
            loaded[name] = PartNetShape.Load(folder);
            truth[name] = PartNetLevels.Of(folder, loaded[name], benchmark, levels);
        }
        var notes = new List<string>();
        var cells = new List<PartLevelCell>();
        for (int level = 1; level <= levels; level++)
        {
            var dir = PartNetPredictionLayout.LevelFolder(predDir, level);
            var classes = PartNetPredictionLayout.ReadClasses(dir);
            var labelOf = classes.Select((p, i) => (p, i)).ToDictionary(t => t.p, t => t.i + 1, StringComparer.Ordinal);
            var byCategory = new SortedDictionary<string, List<PartShape>>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                var shape = loaded[name];
                var gt = truth[name];
                if (!gt.Exists[level - 1]) continue;
                var nodes = gt.Instances[level - 1];
                var paths = gt.Paths[level - 1];
                foreach (var p in paths.OfType<string>().Distinct().Order(StringComparer.Ordinal))
                    if (!labelOf.ContainsKey(p)) labelOf[p] = labelOf.Count + 1; // a part the run has no class for
                var gtLabel = paths.Select(p => p is null ? 0 : labelOf[p]).ToArray();
                var entries = ScanNetEvaluationFiles.ReadPredictionSummary(Path.Combine(dir, name + ".txt"));
                var predictions = entries.Select(e =>
                {
                    if (e.LabelId < 1 || e.LabelId > classes.Count)
                        throw new DataFormatException(Path.Combine(dir, name + ".txt"), $"line {e.LineNumber}: label {e.LabelId}, expected 1..{classes.Count} (classes.txt)");
                    return new PredictedInstance(ScanNetEvaluationFiles.ReadMaskVertices(e.FullPath, shape.PointCount), e.LabelId, e.Confidence, e.FullPath);
                }).ToList();
                var semanticPath = Path.Combine(dir, "semantic", name + ".txt");
                int[]? semantic = null;
                if (File.Exists(semanticPath))
                {
                    semantic = ScanNetEvaluationFiles.ReadVertexIds(semanticPath);
                    if (semantic.Length != shape.PointCount) throw new DataFormatException(semanticPath, $"{semantic.Length} labels, the shape has {shape.PointCount} points");
                }
                string category = shape.Category.Length > 0 ? shape.Category : "(none)";
                if (!byCategory.TryGetValue(category, out var list)) byCategory[category] = list = [];
                list.Add(new PartShape(name, gtLabel, nodes, predictions, semantic));
            }
            foreach (var (category, list) in byCategory)
                cells.Add(Score(category, level, list, labelOf));
        }
        var levelRows = cells.GroupBy(c => c.Level).OrderBy(g => g.Key)
            .Select(g => new PartLevelRow(g.Key, Mean(g.Select(c => c.Ap25)), Mean(g.Select(c => c.Ap50)), Mean(g.Select(c => c.Ap75)), Mean(g.Select(c => c.ShapeAp50)), Mean(g.Select(c => c.MeanIou))))
            .ToList();
        var categories = cells.GroupBy(c => c.Category).ToList();
        double Headline(Func<PartLevelCell, double> f) => Mean(categories.Select(g => Mean(g.Select(f))));
        foreach (var c in cells)
            for (int k = 0; k < c.ClassPaths.Count; k++)
                if (double.IsNaN(c.Detail.ClassAp[k][0])) notes.Add($"{c.Category} level {c.Level}: part {c.ClassPaths[k]} is predicted but has no GT instance; left out of the mean");
        return new PartLevelsResult(cells, levelRows, Headline(c => c.Ap25), Headline(c => c.Ap50), Headline(c => c.Ap75), Headline(c => c.ShapeAp50), Headline(c => c.MeanIou), notes);
    }

    private static PartLevelCell Score(string category, int level, List<PartShape> shapes, Dictionary<string, int> labelOf)
    {
        // classes of this category: the labels its GT or predictions use, renumbered 1..C (PartNetFolders' convention)
        var used = new SortedSet<int>();
        foreach (var s in shapes)
        {
            used.UnionWith(s.GtLabel.Where(l => l > 0));
            used.UnionWith(s.Predictions.Select(p => p.LabelId));
            if (s.PredictedLabel is { } predicted) used.UnionWith(predicted.Where(l => l > 0));
        }
        var ids = used.ToArray();
        var classOf = ids.Select((l, i) => (l, i)).ToDictionary(t => t.l, t => t.i + 1);
        var renumbered = shapes.Select(s => s with
        {
            GtLabel = s.GtLabel.Select(l => l > 0 ? classOf[l] : 0).ToArray(),
            Predictions = s.Predictions.Select(p => p with { LabelId = classOf[p.LabelId] }).ToList(),
            PredictedLabel = s.PredictedLabel?.Select(l => l > 0 ? classOf[l] : 0).ToArray(),
        }).ToList();
        var pathOf = labelOf.ToDictionary(kv => kv.Value, kv => kv.Key);
        var r = new PartInstanceAp { LabelIds = ids }.Evaluate(renumbered, ids.Length);
        return new PartLevelCell(category, level, shapes.Count, r.MeanAp[0], r.MeanAp[1], r.MeanAp[2], r.ShapeAp[1], r.MeanIou,
            ids.Select(l => pathOf[l]).ToArray(), r);
    }

    private static double Mean(IEnumerable<double> values)
    {
        var v = values.ToArray();
        return v.Length == 0 ? double.NaN : NumpySum.NanMean(v);
    }
}
