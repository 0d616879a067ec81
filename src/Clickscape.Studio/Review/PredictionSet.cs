using System.Collections.Concurrent;
using Clickscape.Data.IO;
using Clickscape.Data.Formats.ScanNet;

namespace Clickscape.Studio.Review;

/// <summary>One predicted instance of a scene.</summary>
/// <param name="Instance">Its index in the scene's prediction summary (line − 1): the id review decisions use.</param>
/// <param name="Label">Its nyu40 class.</param>
/// <param name="Confidence">Its score.</param>
/// <param name="Points">Its member points, sorted.</param>
public sealed record PredictedInstance(int Instance, int Label, double Confidence, int[] Points);

/// <summary>The predictions of one scene: the instances in summary order and the per-point semantic ids (null when the set has none).</summary>
public sealed record ScenePredictions(IReadOnlyList<PredictedInstance> Instances, int[]? Semantic)
{
    /// <summary>The instances by descending confidence (ties in summary order): the order review walks them.</summary>
    public IEnumerable<PredictedInstance> ByConfidence() => Instances.OrderByDescending(i => i.Confidence).ThenBy(i => i.Instance);

    /// <summary>
    /// Per-point semantic and instance ids for colouring: the semantic file where the set has one (else the instances'
    /// classes), and instance ids 1.. in <see cref="ByConfidence"/> order, a more confident instance drawn over a less
    /// confident one where they overlap.
    /// </summary>
    public (int[] Semantic, int[] Instance) PerPoint(int pointCount)
    {
        var instance = new int[pointCount];
        var semantic = Semantic is { } s ? (int[])s.Clone() : new int[pointCount];
        var ranked = ByConfidence().ToList();
        for (int r = ranked.Count - 1; r >= 0; r--)
        {
            foreach (int p in ranked[r].Points)
            {
                instance[p] = ranked[r].Instance + 1;
                if (Semantic is null) semantic[p] = ranked[r].Label;
            }
        }
        return (semantic, instance);
    }
}

/// <summary>
/// A folder in the layout <c>clickscape predict</c> and <c>pseudo-label</c> write (<see cref="ScanNetPredictionWriter"/>):
/// <c>instance/&lt;scene&gt;.txt</c> + <c>instance/pred_mask/</c>, <c>semantic/&lt;scene&gt;.txt</c>. Scenes are read on first
/// use and kept until their summary file changes; mask paths are checked to stay inside the folder (symlinks resolved)
/// by <see cref="ScanNetEvaluationFiles.ReadPredictionSummary"/>.
/// </summary>
public sealed class PredictionSet
{
    private readonly ConcurrentDictionary<string, (DateTime Stamp, int Points, ScenePredictions Value)> _cache = new(StringComparer.Ordinal);

    /// <summary>Opens the set at <paramref name="root"/> under the id <paramref name="id"/>.</summary>
    public PredictionSet(string id, string root)
    {
        Id = id;
        Root = Path.GetFullPath(root);
    }

    /// <summary>The id review mode names the set by (<c>run</c>, <c>run:NAME</c>, <c>job-N</c>).</summary>
    public string Id { get; }

    /// <summary>The folder.</summary>
    public string Root { get; }

    /// <summary>Whether <paramref name="folder"/> holds predictions in this layout (an <c>instance/</c> folder with a summary).</summary>
    public static bool IsPredictionFolder(string folder) =>
        Directory.Exists(Path.Combine(folder, ScanNetPredictionWriter.InstanceFolder))
        && Directory.EnumerateFiles(Path.Combine(folder, ScanNetPredictionWriter.InstanceFolder), "*.txt").Any();

    /// <summary>The scenes the set has predictions for.</summary>
    public IReadOnlyList<string> Scenes() =>
        Directory.Exists(InstanceDir)
            ? [.. Directory.EnumerateFiles(InstanceDir, "*.txt").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Whether the set has predictions for <paramref name="scene"/>.</summary>
    public bool Has(string scene) => File.Exists(SummaryPath(scene));

    /// <summary>The predictions of <paramref name="scene"/> (of <paramref name="pointCount"/> points); a file of the wrong length or a bad line is a <see cref="DataFormatException"/>.</summary>
    public ScenePredictions Read(string scene, int pointCount)
    {
        var summary = SummaryPath(scene);
        if (!File.Exists(summary)) throw new FileNotFoundException($"prediction set '{Id}' has no predictions for scene '{scene}' ({summary})");
        var stamp = File.GetLastWriteTimeUtc(summary);
        if (_cache.TryGetValue(scene, out var hit) && hit.Stamp == stamp && hit.Points == pointCount) return hit.Value;
        var instances = new List<PredictedInstance>();
        var entries = ScanNetEvaluationFiles.ReadPredictionSummary(summary);
        for (int k = 0; k < entries.Count; k++)
        {
            var e = entries[k];
            if (e.LabelId is < 1 or > ScanNetPredictionWriter.MaxNyu40Id)
                throw new DataFormatException(summary, $"line {e.LineNumber}: class {e.LabelId}; expected a nyu40 id 1..{ScanNetPredictionWriter.MaxNyu40Id}");
            instances.Add(new PredictedInstance(k, e.LabelId, e.Confidence, ScanNetEvaluationFiles.ReadMaskVertices(e.FullPath, pointCount)));
        }
        int[]? semantic = null;
        var semanticPath = Path.Combine(Root, ScanNetPredictionWriter.SemanticFolder, scene + ".txt");
        if (File.Exists(semanticPath))
        {
            semantic = ScanNetEvaluationFiles.ReadVertexIds(semanticPath);
            if (semantic.Length != pointCount)
                throw new DataFormatException(semanticPath, $"{semantic.Length} semantic ids, scene '{scene}' has {pointCount} points");
        }
        var value = new ScenePredictions(instances, semantic);
        _cache[scene] = (stamp, pointCount, value);
        return value;
    }

    private string InstanceDir => Path.Combine(Root, ScanNetPredictionWriter.InstanceFolder);

    private string SummaryPath(string scene) => Path.Combine(InstanceDir, scene + ".txt");
}
