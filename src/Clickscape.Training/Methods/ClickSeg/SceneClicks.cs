using System.Globalization;
using Clickscape.Data;
using Clickscape.Data.Classes;
using Clickscape.Data.Clicks;
using Clickscape.Data.Datasets;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Training.Methods.ClickSeg;

/// <summary>
/// The click-level annotation of one training scene and its expansion to over-segments (ClickSeg §3.1: "points in
/// the same supervoxel can be considered to belong to the same instance", Alg. 1 lines 2–3), in the scene's point
/// order (which <see cref="Data.PreparedScene"/> keeps).
/// </summary>
/// <param name="Scene">Scene id.</param>
/// <param name="Clicks">The positive clicks.</param>
/// <param name="WeakSemantic">nyu40 id per point on the clicked segments, <see cref="Labels.Unlabelled"/> elsewhere.</param>
/// <param name="WeakInstance">Clicked object id per point on the clicked segments, <see cref="Labels.NoInstance"/> elsewhere.</param>
public sealed record SceneClicks(string Scene, IReadOnlyList<Click> Clicks, int[] WeakSemantic, int[] WeakInstance)
{
    /// <summary>Expands <paramref name="clicks"/> over <paramref name="segments"/> (<see cref="ClickExpansion.ToSegments"/>; ambiguous segments keep only their clicked points).</summary>
    public static SceneClicks Expand(ClickSet clicks, int[] segments)
    {
        ArgumentNullException.ThrowIfNull(clicks);
        var expanded = ClickExpansion.ToSegments(clicks, segments);
        var semantic = expanded.Semantic.Select(l => l == ClickExpansion.Unlabelled ? Labels.Unlabelled : l).ToArray();
        var instance = expanded.Instance.Select(l => l == ClickExpansion.Unlabelled ? Labels.NoInstance : l).ToArray();
        return new SceneClicks(clicks.Scene, clicks.Clicks.Where(c => c.Positive).ToList(), semantic, instance);
    }

    /// <summary>
    /// The clicks of every scene of <paramref name="data"/>: from <c>--clicks DIR</c> (<c>DIR/&lt;scene&gt;.json</c>, each scene must
    /// have one), else from the run's own <c>RUN/clicks/</c> on resume, else simulated with <paramref name="policy"/> (seed
    /// <paramref name="seed"/> + the scene's index in the split) on the scenes' ground truth. The sets trained on are written to
    /// <c>RUN/clicks/</c>, so <c>pseudo-label</c> and <c>--resume</c> find them. Says in the log which it was.
    /// <paramref name="topSegments"/> is the N of <c>random-seg</c> (<see cref="ClickSimulator.Options.TopSegments"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, SceneClicks> ForTraining(TrainingData data, string policy, int seed, int topSegments = 3)
    {
        ArgumentNullException.ThrowIfNull(data);
        string runClicks = Path.Combine(data.RunRoot, "clicks");
        string? folder = data.Clicks ?? (data.Resume && Directory.Exists(runClicks) ? runClicks : null);
        var result = new Dictionary<string, SceneClicks>(StringComparer.Ordinal);
        var options = new ClickSimulator.Options(ClickPolicyNames.Parse(policy), seed, TopSegments: topSegments);
        int count = 0;
        Directory.CreateDirectory(runClicks);
        for (int k = 0; k < data.Scenes.Count; k++)
        {
            var source = data.Scenes[k];
            var scene = source.Load();
            var segments = data.Dataset.Segments(source, scene);
            ClickSet set;
            if (folder is not null)
            {
                string path = Path.Combine(folder, source.Name + ".json");
                if (!File.Exists(path)) throw new DataFormatException(path, $"no click set for training scene '{source.Name}' (expected {folder}/<scene>.json for every scene of the split)");
                set = ClickSet.Load(path);
                if (set.Validate(scene) is { } problem) throw new DataFormatException(path, problem);
            }
            else
            {
                if (scene.InstanceIds is null || scene.SemanticLabels is null)
                    throw new DataFormatException(source.Path, $"scene '{source.Name}' has no labels to simulate clicks on; pass --clicks DIR");
                if (scene.Classes is { } table && !ReferenceEquals(table, ClassTables.Nyu40))
                    throw new DataFormatException(source.Path, $"scene '{source.Name}' is labelled with {table.Name} classes; this method trains the 20 ScanNet (nyu40) classes (pass --clicks DIR with nyu40 labels)");
                set = ClickSimulator.Simulate(scene, options with { Seed = seed + k }, segments); // segment policies (maxseg, random-seg) need them
            }
            if (folder is null || !Path.GetFullPath(folder).Equals(Path.GetFullPath(runClicks), StringComparison.Ordinal))
                set.Save(Path.Combine(runClicks, source.Name + ".json"));
            result[source.Name] = Expand(set, segments);
            count += result[source.Name].Clicks.Count;
        }
        double labelled = result.Values.Sum(c => c.WeakInstance.Count(i => i != Labels.NoInstance)) / (double)Math.Max(1, result.Values.Sum(c => c.WeakInstance.Length));
        data.Message(folder is null
            ? string.Create(CultureInfo.InvariantCulture, $"clicks: simulated {policy} (seed {seed} + scene index) on the ground truth of {result.Count} scenes, {count} clicks → {runClicks}; {100 * labelled:F1} % of points labelled after expansion to segments")
            : string.Create(CultureInfo.InvariantCulture, $"clicks: read from {folder} for {result.Count} scenes, {count} clicks; {100 * labelled:F1} % of points labelled after expansion to segments"));
        return result;
    }
}
