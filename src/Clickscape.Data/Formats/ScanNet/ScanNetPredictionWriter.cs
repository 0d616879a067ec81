using System.Globalization;
using Clickscape.Data.IO;

namespace Clickscape.Data.Formats.ScanNet;

/// <summary>
/// Writes one scene's predictions in the layout <c>clickscape predict</c> and every <c>pseudo-label</c> command
/// produce, the ScanNet benchmark formats (REFERENCE.md §1.3, §1.5):
/// <list type="bullet">
/// <item><c>OUT/instance/&lt;scene&gt;.txt</c>: lines <c>pred_mask/&lt;scene&gt;_&lt;k&gt;.txt nyu40Id score</c>, and
/// <c>OUT/instance/pred_mask/&lt;scene&gt;_&lt;k&gt;.txt</c>: one 0/1 per vertex;</item>
/// <item><c>OUT/semantic/&lt;scene&gt;.txt</c>: one nyu40 id per vertex (0 = no prediction).</item>
/// </list>
/// <c>clickscape evaluate --pred OUT/instance --gt DATASET</c> scores them.
/// </summary>
/// <remarks>
/// Every argument is checked before anything is written. Atomic per scene: every file goes to a temporary name and is renamed; the semantic file is written first, then
/// the masks, and the instance summary last, so a scene whose summary exists has all its files, and a crash
/// leaves a scene either as before or complete. Mask files of an earlier run of the same scene beyond the new
/// instance count are deleted after the summary is renamed (the summary never lists them).
/// </remarks>
public static class ScanNetPredictionWriter
{
    /// <summary>Subfolder of the instance predictions.</summary>
    public const string InstanceFolder = "instance";

    /// <summary>Subfolder of the semantic predictions.</summary>
    public const string SemanticFolder = "semantic";

    /// <summary>Largest nyu40 id.</summary>
    public const int MaxNyu40Id = 40;

    /// <summary>
    /// Writes scene <paramref name="sceneId"/> (<paramref name="pointCount"/> vertices) under <paramref name="outDir"/>:
    /// its per-vertex nyu40 semantic ids and its instances (nyu40 id, score, member vertices), in the given order.
    /// </summary>
    public static void Write(string outDir, string sceneId, int pointCount, ReadOnlySpan<int> semanticNyu40Ids,
        IReadOnlyList<(int Nyu40Id, float Score, int[] Points)> instances)
    {
        ArgumentNullException.ThrowIfNull(outDir);
        ArgumentNullException.ThrowIfNull(instances);
        if (string.IsNullOrEmpty(sceneId) || sceneId.IndexOfAny(['/', '\\', ' ', '\n', '\r']) >= 0 || sceneId is "." or "..")
            throw new ArgumentException($"scene id '{sceneId}' cannot name a prediction file (expected no path separators or spaces)", nameof(sceneId));
        ArgumentOutOfRangeException.ThrowIfNegative(pointCount);
        if (semanticNyu40Ids.Length != pointCount)
            throw new ArgumentException($"scene {sceneId}: {semanticNyu40Ids.Length} semantic ids for {pointCount} vertices", nameof(semanticNyu40Ids));
        for (int i = 0; i < semanticNyu40Ids.Length; i++)
        {
            if ((uint)semanticNyu40Ids[i] > MaxNyu40Id)
                throw new ArgumentException($"scene {sceneId}: vertex {i} has semantic id {semanticNyu40Ids[i]}, expected a nyu40 id 0..{MaxNyu40Id}", nameof(semanticNyu40Ids));
        }
        var masks = new List<ScanNetPredictedMask>(instances.Count);
        for (int k = 0; k < instances.Count; k++)
        {
            var (id, score, points) = instances[k];
            if (id is < 1 or > MaxNyu40Id)
                throw new ArgumentException($"scene {sceneId}: instance {k} has class {id}, expected a nyu40 id 1..{MaxNyu40Id}", nameof(instances));
            if (!float.IsFinite(score))
                throw new ArgumentException($"scene {sceneId}: instance {k} has score {score}, expected a finite number", nameof(instances));
            ArgumentNullException.ThrowIfNull(points);
            foreach (int v in points)
            {
                if ((uint)v >= (uint)pointCount)
                    throw new ArgumentException($"scene {sceneId}: instance {k} holds vertex {v}, outside 0..{pointCount - 1}", nameof(instances));
            }
            masks.Add(new ScanNetPredictedMask(points, id, score));
        }

        string instanceDir = Path.Combine(outDir, InstanceFolder);
        ScanNetEvaluationFiles.WriteVertexIds(Path.Combine(outDir, SemanticFolder, sceneId + ".txt"), semanticNyu40Ids);
        Directory.CreateDirectory(Path.Combine(instanceDir, ScanNetEvaluationFiles.MaskFolder));
        ScanNetEvaluationFiles.WriteInstancePredictions(instanceDir, sceneId, pointCount, masks);
        DeleteStaleMasks(Path.Combine(instanceDir, ScanNetEvaluationFiles.MaskFolder), sceneId, masks.Count);
    }

    private static void DeleteStaleMasks(string maskDir, string sceneId, int count)
    {
        foreach (var file in Directory.EnumerateFiles(maskDir, sceneId + "_*.txt"))
        {
            var suffix = Path.GetFileNameWithoutExtension(file)[(sceneId.Length + 1)..];
            if (int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k >= count)
                File.Delete(file);
        }
    }
}
