using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;

namespace Clickscape.Evaluation.ScanNet;

/// <summary>
/// Loads the folders the official ScanNet scripts take: every <c>&lt;scene&gt;.txt</c> in the prediction folder
/// (except the scripts' own result files) paired with <c>&lt;gt&gt;/&lt;scene&gt;.txt</c>. Scenes are read in
/// parallel; the first bad file is reported as a <see cref="DataFormatException"/> naming it.
/// </summary>
public static class ScanNetFolders
{
    private static readonly string[] ResultFiles = ["semantic_instance_evaluation.txt", "semantic_label_evaluation.txt"];

    /// <summary>Scene names (file names without .txt) of the prediction folder, ordinal order.</summary>
    public static IReadOnlyList<string> SceneNames(string predDir, string gtDir)
    {
        var names = PredictionNames(predDir);
        if (!Directory.Exists(gtDir))
            throw new DataFormatException(gtDir, "ground-truth folder not found");
        foreach (var n in names)
        {
            var gt = Path.Combine(gtDir, n + ".txt");
            if (Directory.Exists(gt))
                throw new DataFormatException(gt, "is a folder, expected the ground-truth file of one scene");
            if (!File.Exists(gt))
                throw new DataFormatException(gt, $"missing: prediction {n}.txt has no ground-truth file");
        }
        return names;
    }

    /// <summary>Scene names (file names without .txt) of the prediction folder, ordinal order; none is an error.</summary>
    public static IReadOnlyList<string> PredictionNames(string predDir)
    {
        if (!Directory.Exists(predDir))
            throw new DataFormatException(predDir, "prediction folder not found");
        // A folder named <scene>.txt is an error, not a scene to skip in silence.
        var folder = Directory.EnumerateDirectories(predDir, "*.txt", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).FirstOrDefault();
        if (folder is not null)
            throw new DataFormatException(folder, "is a folder, expected a <scene>.txt prediction file");
        var names = Directory.EnumerateFiles(predDir, "*.txt", SearchOption.TopDirectoryOnly)
            .Select(Path.GetFileName).OfType<string>()
            .Where(f => !ResultFiles.Contains(f, StringComparer.Ordinal))
            .Select(f => f[..^4]).Order(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
            throw new DataFormatException(predDir, "no <scene>.txt prediction files found");
        return names;
    }

    /// <summary>Instance task: prediction summaries + masks against GT <c>label·1000+instance</c> files.</summary>
    public static IReadOnlyList<InstanceScene> LoadInstanceScenes(string predDir, string gtDir)
    {
        var names = SceneNames(predDir, gtDir);
        return ReadAll(names, name =>
        {
            var gtPath = Path.Combine(gtDir, name + ".txt");
            var gt = ScanNetEvaluationFiles.ReadVertexIds(gtPath);
            for (var v = 0; v < gt.Length; v++)
            {
                if (gt[v] < 0)
                    throw new DataFormatException(gtPath, $"line {v + 1}: id {gt[v]} is negative (expected label·1000+instance ≥ 0)");
            }
            return ReadInstanceScene(predDir, name, gt);
        });
    }

    /// <summary>The predictions of scene <paramref name="name"/> (summary + masks) against its GT ids.</summary>
    internal static InstanceScene ReadInstanceScene(string predDir, string name, int[] gt)
    {
        var summary = Path.Combine(predDir, name + ".txt");
        var entries = ScanNetEvaluationFiles.ReadPredictionSummary(summary);
        var preds = new List<PredictedInstance>(entries.Count);
        foreach (var e in entries)
        {
            var vertices = ScanNetEvaluationFiles.ReadMaskVertices(e.FullPath, gt.Length);
            preds.Add(new PredictedInstance(vertices, e.LabelId, e.Confidence, e.FullPath));
        }
        return new InstanceScene(name, gt, preds);
    }

    /// <summary>Semantic task: one nyu40 label (0..<paramref name="maxLabel"/>) per vertex in both folders.</summary>
    public static IReadOnlyList<(string Scene, int[] GroundTruth, int[] Prediction)> LoadSemanticScenes(string predDir, string gtDir, int maxLabel = 40)
    {
        var names = SceneNames(predDir, gtDir);
        return ReadAll(names, name =>
        {
            var gtPath = Path.Combine(gtDir, name + ".txt");
            var predPath = Path.Combine(predDir, name + ".txt");
            var gt = ReadLabels(gtPath, maxLabel);
            var pred = ReadLabels(predPath, maxLabel);
            if (pred.Length != gt.Length)
                throw new DataFormatException(predPath, $"{pred.Length} labels but the GT has {gt.Length} vertices");
            return (name, gt, pred);
        });
    }

    internal static int[] ReadLabels(string path, int maxLabel)
    {
        var labels = ScanNetEvaluationFiles.ReadVertexIds(path);
        for (var v = 0; v < labels.Length; v++)
        {
            if (labels[v] < 0 || labels[v] > maxLabel)
                throw new DataFormatException(path, $"line {v + 1}: label {labels[v]} out of range 0..{maxLabel}");
        }
        return labels;
    }

    /// <summary>Reads every scene in parallel, keeping the order; rethrows the first failure (by scene order).</summary>
    internal static T[] ReadAll<T>(IReadOnlyList<string> names, Func<string, T> read)
    {
        var result = new T[names.Count];
        var errors = new Exception?[names.Count];
        Parallel.For(0, names.Count, i =>
        {
            try
            {
                result[i] = read(names[i]);
            }
            catch (Exception e) when (e is DataFormatException or IOException or UnauthorizedAccessException)
            {
                errors[i] = e;
            }
        });
        var first = errors.FirstOrDefault(e => e is not null);
        if (first is not null)
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        return result;
    }
}
