using Clickscape.Data.Clicks;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;
using Clickscape.Models.ClickSeg;
using Clickscape.Tensors.Threading;
using Clickscape.Training.Data;
using Clickscape.Training.Prediction;

namespace Clickscape.Training.Methods.ClickSeg;

/// <summary>
/// Dense pseudo labels for clicked scans (<c>clickscape pseudo-label</c>): a trained click method's network on the
/// scene's un-augmented voxels, then PSEUDO_GEN (<see cref="ClickPseudoLabels"/>) seeded with the scene's clicks —
/// the same assignment <c>clickseg</c> trains on (k-means or nearest per the run's <c>loss.assignment</c>; mean
/// similarity with several clicks per instance) under the run's similarity: Eq. 5 with the learned σ and p + o for
/// <c>clickseg</c>, Eq. 4 (embeddings only) for <c>weak</c> and <c>clickseg-base</c>. Every point gets the instance and
/// the class of the click it joined (a voxel's points share its assignment; a clicked point keeps its own click):
/// dense labels, no θ filter. With <c>loss.keep_seg_labels</c> (the default) the points of a clicked over-segment keep their click, as the
/// seg-level labels training used; only the rest is assigned. Instances of the 18 instance classes become masks with confidence = the mean
/// similarity of their voxels to the clicked point. Written in the layout of <c>predict</c>
/// (<see cref="ScanNetPredictionWriter"/>), so <c>train --method full --labels OUT</c> trains on it.
/// </summary>
public static class ClickSegPseudoLabeler
{
    /// <summary>The dense pseudo labels of one prepared scene from its clicks; with <paramref name="weakInstance"/> (the clicks expanded over
    /// the scene's over-segments, <see cref="SceneClicks.WeakInstance"/>) and <see cref="ClickSegLossOptions.KeepSegLabels"/>, every point of a
    /// clicked segment keeps its click and only the rest is assigned.</summary>
    public static ScenePrediction Label(ClickSegNet net, ClickSegMethod method, ClickSegLossOptions loss, PreparedScene scene, ClickSet clicks, int[]? weakInstance = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentNullException.ThrowIfNull(clicks);
        var positive = clicks.Clicks.Where(c => c.Positive).ToList();
        foreach (var c in positive)
            if ((uint)c.Point >= (uint)scene.PointCount)
                throw new ArgumentException($"click {c.Order} is on point {c.Point}, but scene '{scene.Name}' has {scene.PointCount} points");
        var semantic = new int[scene.PointCount];
        if (positive.Count == 0) return new ScenePrediction(scene.Name, semantic, []);
        var o = VoxelOutputs.Of(net, scene);
        bool click = method.Variant == ClickSegVariant.Click;
        var terms = click ? new SimilarityTerms(loss.EmbeddingTerm, loss.SpatialTerm, loss.SemanticTerm, net.SigmaE, net.SigmaP) : SimilarityTerms.EmbeddingOnly;
        var seeds = Seeds(positive);
        var seedVoxels = seeds.Points.Select(p => scene.PointToVoxel[p]).ToArray();
        int[]? weak = loss.KeepSegLabels ? weakInstance : null, known = null;
        if (weak is not null)
        {
            if (weak.Length != scene.PointCount) throw new ArgumentException($"{weak.Length} seg-level labels, scene '{scene.Name}' has {scene.PointCount} points");
            known = ClickPseudoLabels.KnownInstances(o.Count, scene.PointToVoxel, weak, seeds.Objects);
        }
        var result = ClickPseudoLabels.Assign(o.Embedding, o.EmbeddingDims, click ? o.ShiftedPositions() : o.Positions, o.Probabilities, o.Classes,
            seedVoxels, seeds.Instance, terms, loss.Assignment == "kmeans", loss.KMeansIterations, ComputeThreads.Count, known);
        var instanceOfPoint = new int[scene.PointCount];
        for (int p = 0; p < scene.PointCount; p++)
            instanceOfPoint[p] = weak is not null && weak[p] != Labels.NoInstance && seeds.Objects.TryGetValue(weak[p], out int g) ? g : result.Instance[scene.PointToVoxel[p]];
        for (int j = 0; j < seeds.Points.Length; j++) instanceOfPoint[seeds.Points[j]] = seeds.Instance[j];
        return Dense(scene.Name, instanceOfPoint, scene.PointToVoxel, result.Similarity, seeds.LabelOf);
    }

    /// <summary>The seeds of PSEUDO_GEN from the positive clicks of a scene.</summary>
    /// <param name="Points">Per click, its point.</param>
    /// <param name="Instance">Per click, its object's index 0..K−1 (objects in the order of their first click).</param>
    /// <param name="LabelOf">Per object, the nyu40 label of its first click.</param>
    /// <param name="Objects">Object id → index.</param>
    public sealed record ClickSeeds(int[] Points, int[] Instance, IReadOnlyList<int> LabelOf, IReadOnlyDictionary<int, int> Objects);

    /// <summary>The seeds of <paramref name="positive"/> (<see cref="ClickSeeds"/>).</summary>
    public static ClickSeeds Seeds(IReadOnlyList<Click> positive)
    {
        ArgumentNullException.ThrowIfNull(positive);
        var objects = new Dictionary<int, int>();
        var labelOf = new List<int>();
        var instance = new int[positive.Count];
        for (int j = 0; j < positive.Count; j++)
        {
            if (!objects.TryGetValue(positive[j].Object, out int g))
            {
                objects[positive[j].Object] = g = objects.Count;
                labelOf.Add(positive[j].Label);
            }
            instance[j] = g;
        }
        return new ClickSeeds([.. positive.Select(c => c.Point)], instance, labelOf, objects);
    }

    /// <summary>
    /// The dense labels of a per-point object index as <c>pseudo-label</c> writes them: every point its object's class; a mask per
    /// object of the 18 instance classes with confidence = the mean similarity of its points' rows to the click
    /// (<paramref name="rowSimilarity"/>, with <paramref name="pointToRow"/> the voxel of each point, or the identity for point rows).
    /// </summary>
    public static ScenePrediction Dense(string scene, int[] instanceOfPoint, int[] pointToRow, float[] rowSimilarity, IReadOnlyList<int> labelOf)
    {
        ArgumentNullException.ThrowIfNull(instanceOfPoint);
        ArgumentNullException.ThrowIfNull(pointToRow);
        ArgumentNullException.ThrowIfNull(rowSimilarity);
        ArgumentNullException.ThrowIfNull(labelOf);
        var semantic = new int[instanceOfPoint.Length];
        var members = labelOf.Select(_ => new List<int>()).ToArray();
        for (int p = 0; p < instanceOfPoint.Length; p++)
        {
            semantic[p] = labelOf[instanceOfPoint[p]];
            members[instanceOfPoint[p]].Add(p);
        }
        var masks = new List<ScanNetPredictedMask>();
        for (int g = 0; g < labelOf.Count; g++)
        {
            int nyu = Clickscape.Data.Classes.ScanNetBenchmark.ToSemantic20([labelOf[g]])[0];
            if (members[g].Count == 0 || !Clickscape.Data.Classes.ScanNetBenchmark.IsInstanceClass(nyu)) continue;
            double s = 0;
            foreach (int p in members[g]) s += rowSimilarity[pointToRow[p]];
            masks.Add(new ScanNetPredictedMask(members[g].ToArray(), nyu, Math.Clamp(s / members[g].Count, 0, 1)));
        }
        masks.Sort((a, b) => b.Confidence.CompareTo(a.Confidence));
        return new ScenePrediction(scene, semantic, masks);
    }

    /// <summary>
    /// Labels every scene of <paramref name="split"/> of <paramref name="data"/> that has a click set in <paramref name="clicks"/>
    /// (<c>&lt;scene&gt;.json</c>) into <paramref name="output"/>; a scene without one is skipped and reported through <paramref name="skipped"/>. Returns the labelled scene ids.
    /// With <paramref name="shard"/>, only that shard's scenes, and those whose <c>instance/&lt;scene&gt;.txt</c> (written last) exists are skipped and reported to <paramref name="complete"/>.
    /// Point tables are read with <paramref name="columns"/>, else the run's <c>data.columns</c>. The over-segmentations the clicks are
    /// expanded over (<c>loss.keep_seg_labels</c>) are found beside each scene, or in <paramref name="segments"/>.
    /// </summary>
    public static IReadOnlyList<string> LabelDataset(Predictor predictor, string data, string clicks, string? split, string output,
        Action<ScenePrediction>? progress = null, Action<string>? skipped = null, ShardSpec? shard = null, Action<string>? complete = null, string? columns = null,
        string? segments = null)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        if (predictor.Method is not ClickSegMethod method)
            throw new Configs.ConfigException($"pseudo-label: the run trains '{predictor.Method.Name}'; pseudo labels from clicks need a run of weak, clickseg-base or clickseg");
        if (!Directory.Exists(clicks)) throw new DataFormatException(clicks, "no such clicks folder (expected <scene>.json click sets)");
        var loss = ClickSegMethod.LossOptions(predictor.Config);
        var dataset = SceneDataset.Open(data, predictor.Config.Data.DatasetOptions(columns) with { Segments = segments });
        var scenes = dataset.Scenes.Count == 1 && !dataset.HasSplit(split ?? SceneDataset.AllSplit) ? dataset.Scenes : dataset.Split(split);
        Directory.CreateDirectory(Path.Combine(output, ScanNetPredictionWriter.InstanceFolder));
        Directory.CreateDirectory(Path.Combine(output, ScanNetPredictionWriter.SemanticFolder));
        var names = new List<string>();
        foreach (var source in shard?.Select(scenes) ?? scenes)
        {
            if (shard is not null && File.Exists(Path.Combine(output, ScanNetPredictionWriter.InstanceFolder, source.Name + ".txt")))
            {
                complete?.Invoke(source.Name);
                continue;
            }
            string path = Path.Combine(clicks, source.Name + ".json");
            if (!File.Exists(path)) { skipped?.Invoke(source.Name); continue; }
            var set = ClickSet.Load(path);
            var scene = source.Load(); // read once: the prepared scene and the over-segmentation both need it
            var prepared = PreparedScene.Prepare(new Clickscape.Data.SceneSource(source.Name, source.Path, source.Format, () => scene), null, predictor.Config.Data.VoxelSize, requireLabels: false);
            ScenePrediction labels;
            try
            {
                // the clicks expanded over the scene's over-segments, as training expands them
                var weak = loss.KeepSegLabels ? SceneClicks.Expand(set, dataset.Segments(source, scene)).WeakInstance : null;
                labels = Label((ClickSegNet)predictor.Model, method, loss, prepared, set, weak);
            }
            catch (ArgumentException e)
            {
                throw new DataFormatException(path, e.Message, e);
            }
            ScanNetPredictionWriter.Write(output, source.Name, prepared.PointCount, labels.Semantic,
                labels.Instances.Select(m => (m.LabelId, (float)m.Confidence, m.Vertices)).ToList());
            names.Add(source.Name);
            progress?.Invoke(labels);
        }
        return names;
    }
}
