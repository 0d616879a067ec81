using System.Globalization;
using System.Text;
using Clickscape.Data;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>evaluate --gt DATASET</c>: when the ground truth is a scene dataset (any layout <c>info</c> reads) rather than
/// a folder of benchmark <c>&lt;scene&gt;.txt</c> files, the benchmark files of the scenes the predictions name are
/// written into a temporary folder (deleted afterwards) in the format the metric reads: <c>label·1000+instance</c>
/// (scannet-instance; points of no instance 0), the NYU40 label (scannet-semantic), <c>class instance</c> with
/// S3DIS class 0..12 and −1 for no instance (s3dis).
/// </summary>
internal sealed class DatasetGroundTruth : IDisposable
{
    private DatasetGroundTruth(string folder) => Folder = folder;

    /// <summary>The folder of benchmark ground-truth files.</summary>
    public string Folder { get; }

    /// <summary>
    /// Whether <paramref name="gt"/> is a dataset: a folder without top-level <c>.txt</c> files that holds scenes, or
    /// a scene file that is not JSON.
    /// </summary>
    public static bool IsDataset(string gt, SceneReadOptions read) =>
        Directory.Exists(gt)
            ? Directory.GetFiles(gt, "*.txt").Length == 0 && SceneLoader.Enumerate(gt, read).Any()
            : File.Exists(gt) && !gt.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the ground truth of the scenes named by <c>PRED/*.txt</c> for <paramref name="metric"/>.</summary>
    public static DatasetGroundTruth Write(string gt, string pred, string metric, SceneDatasetOptions options)
    {
        if (metric is not ("scannet-instance" or "scannet-semantic" or "s3dis"))
            throw new UsageException($"--gt {gt}: a scene dataset as ground truth works with scannet-instance, scannet-semantic and s3dis, not {metric}");
        if (!Directory.Exists(pred)) throw new DataFormatException(pred, "prediction folder not found");
        var dataset = SceneDataset.Open(gt, options);
        var folder = Directory.CreateTempSubdirectory("clickscape-gt-").FullName;
        var result = new DatasetGroundTruth(folder);
        try
        {
            foreach (var file in Directory.GetFiles(pred, "*.txt"))
            {
                var id = Path.GetFileNameWithoutExtension(file);
                if (id is "semantic_instance_evaluation" or "semantic_label_evaluation") continue;
                var source = dataset.Find(id) ?? throw new DataFormatException(gt, $"holds no scene '{id}' (the ground truth of prediction {Path.GetFileName(file)})");
                var scene = source.Load();
                File.WriteAllText(Path.Combine(folder, id + ".txt"), Format(scene, metric, source.Path));
            }
        }
        catch
        {
            result.Dispose();
            throw;
        }
        return result;
    }

    private static string Format(Scene scene, string metric, string source)
    {
        var sem = scene.SemanticLabels ?? throw new DataFormatException(source, $"scene '{scene.Name}' has no semantic labels to evaluate against");
        var ins = scene.InstanceIds;
        var sb = new StringBuilder(scene.PointCount * 6);
        for (int i = 0; i < scene.PointCount; i++)
        {
            int k = ins?[i] ?? Labels.NoInstance;
            switch (metric)
            {
                case "scannet-instance":
                    if (ins is null) throw new DataFormatException(source, $"scene '{scene.Name}' has no instance labels to evaluate against");
                    if (k >= 1000) throw new DataFormatException(source, $"scene '{scene.Name}': instance id {k} does not fit label·1000+instance");
                    sb.Append(k == Labels.NoInstance ? 0 : (sem[i] * 1000) + k).Append('\n');
                    break;
                case "scannet-semantic":
                    sb.Append(sem[i]).Append('\n');
                    break;
                default:
                    if (scene.Classes?.Name != "s3dis") throw new DataFormatException(source, $"scene '{scene.Name}' does not have S3DIS classes (s3dis metric)");
                    if (sem[i] == Labels.Unlabelled) throw new DataFormatException(source, $"point {i} of '{scene.Name}' is unlabelled; S3DIS ground truth labels every point");
                    sb.Append(CultureInfo.InvariantCulture, $"{sem[i] - 1} {(k == Labels.NoInstance ? -1 : k)}\n");
                    break;
            }
        }
        return sb.ToString();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A temporary folder left behind is harmless.
        }
    }
}
