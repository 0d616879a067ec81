using Clickscape.Data.Classes;
using Clickscape.Data.Clicks;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Models.SegGroup;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Training.Configs;
using Clickscape.Training.Data;
using Clickscape.Training.Prediction;

namespace Clickscape.Training.Methods.SegGroup;

/// <summary>
/// Dense pseudo labels for clicked scans from a trained <c>seggroup</c> run (SegGroup §3.2: "all points in the 3D scene
/// are therefore labeled with semantic classes and instance IDs, and we take these labels as pseudo point-level labels"):
/// the scene's seg-level labels from its clicks, the grouping layers and the final clustering with the trained weights,
/// then every point takes the object and the clicked class of its final cluster. Objects of the 18 instance classes
/// become masks whose confidence is the classifier's probability of the clicked class. With <c>layers</c> set, the
/// labels after that many grouping layers (0 = the seg-level labels alone) are written instead, with the points still
/// unlabelled left at class 0 and in no mask — the layer-wise rows of the paper's Tab. 1. Written with
/// <see cref="ScanNetPredictionWriter"/> in the layout <c>predict</c> and ClickSeg's pseudo labels use, which
/// <c>train --method full --labels OUT</c> reads.
/// </summary>
public static class SegGroupPseudoLabeler
{
    /// <summary>The pseudo labels of one scene: all layers and the final clustering, or (<paramref name="layers"/> ≥ 0) the labels after <paramref name="layers"/> layers.</summary>
    public static ScenePrediction Label(SegGroupNet net, SegGroupScene scene, int? layers = null)
    {
        var (final, everyLayer) = LabelEveryLayer(net, scene, layers);
        return layers is null ? final : everyLayer[^1];
    }

    /// <summary>
    /// One forward pass, every labelling it makes: the final pseudo labels (the last layer's when <paramref name="layers"/> is set)
    /// and the labels after 0, 1, … layers (<paramref name="layers"/> or all of the network's).
    /// </summary>
    public static (ScenePrediction Final, IReadOnlyList<ScenePrediction> Layers) LabelEveryLayer(SegGroupNet net, SegGroupScene scene, int? layers = null)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(scene);
        using var evalMode = net.EvalScope();
        using var tensors = TensorScope.Begin();
        using var noGrad = Tensor.NoGrad();
        var output = layers is int l ? net.Forward(scene, l, final: false) : net.Forward(scene);
        var probability = new Dictionary<int, float>();
        if (output.Logits is { } logits)
        {
            int classes = logits.Dim(1);
            var z = logits.ToArray();
            for (int i = 0; i < output.Objects.Length; i++)
            {
                var row = z.AsSpan(i * classes, classes);
                float max = float.NegativeInfinity;
                foreach (float v in row) max = Math.Max(max, v);
                double sum = 0;
                foreach (float v in row) sum += Math.Exp(v - max);
                int target = scene.ObjectClass[output.Objects[i]] - 1;
                probability[output.Objects[i]] = (float)(Math.Exp(row[target] - max) / sum);
            }
        }
        var perLayer = output.LayerLabels.Select(labels => ToPrediction(scene, labels, [])).ToList(); // no classifier score before the final clustering: confidence 1
        return (layers is null ? ToPrediction(scene, output.FinalLabels, probability) : perLayer[^1], perLayer);
    }

    /// <summary>Per point the class of its segment's object (0 where unlabelled), and a mask per object of the 18 instance classes.</summary>
    private static ScenePrediction ToPrediction(SegGroupScene scene, int[] segmentObject, Dictionary<int, float> probability)
    {
        var semantic = new int[scene.PointCount];
        var members = new SortedDictionary<int, List<int>>();
        for (int p = 0; p < semantic.Length; p++)
        {
            int o = segmentObject[scene.PointSegment[p]];
            if (o == SegGroupScene.Unlabelled) continue;
            semantic[p] = scene.ObjectClass[o];
            if (!members.TryGetValue(o, out var list)) members[o] = list = [];
            list.Add(p);
        }
        var masks = new List<ScanNetPredictedMask>();
        foreach (var (o, points) in members)
        {
            int nyu = scene.ObjectClass[o];
            if (!ScanNetBenchmark.IsInstanceClass(nyu)) continue;
            masks.Add(new ScanNetPredictedMask([.. points], nyu, probability.GetValueOrDefault(o, 1f)));
        }
        masks.Sort((a, b) => b.Confidence.CompareTo(a.Confidence));
        return new ScenePrediction(scene.Name, semantic, masks);
    }

    /// <summary>
    /// Labels every scene of <paramref name="split"/> of <paramref name="data"/> that has a click set in <paramref name="clicks"/>
    /// (<c>&lt;scene&gt;.json</c>, from <c>clicks simulate</c>, Studio or a run's <c>RUN/clicks</c>) into <paramref name="output"/>;
    /// scenes without one are reported through <paramref name="skipped"/>. A click file for a scene the dataset does not hold, or
    /// a click on a point the scene does not have, is a <see cref="DataFormatException"/> naming the file. Returns the labelled
    /// scene ids. With <paramref name="shard"/>, only that shard's scenes, skipping (and reporting to <paramref name="complete"/>)
    /// those whose <c>instance/&lt;scene&gt;.txt</c> exists. With <paramref name="everyLayer"/>, the same pass also writes the labels
    /// after 0, 1, … layers to <c>OUT/layers/&lt;l&gt;/</c> (same layout), for the layer-wise table. <paramref name="segments"/> is a
    /// folder of over-segmentations searched instead of the scenes' own folders (point clouds oversegmented elsewhere). Point tables
    /// are read with <paramref name="columns"/>, else the run's <c>data.columns</c>.
    /// </summary>
    public static IReadOnlyList<string> LabelDataset(Predictor predictor, string data, string clicks, string? split, string output, int? layers = null,
        Action<ScenePrediction, TimeSpan>? progress = null, Action<string>? skipped = null, ShardSpec? shard = null, Action<string>? complete = null,
        bool everyLayer = false, string? segments = null, string? columns = null)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        if (predictor.Method is not SegGroupMethod) throw new ConfigException($"pseudo-label: the run trains '{predictor.Method.Name}', not seggroup");
        if (!Directory.Exists(clicks)) throw new DataFormatException(clicks, "no such clicks folder (expected <scene>.json click sets)");
        var net = (SegGroupNet)predictor.Model;
        if (layers is int l && (l < 0 || l > net.Options.Layers))
            throw new ConfigException($"--layers {l}: expected 0..{net.Options.Layers} (the run's network has {net.Options.Layers} grouping layers)");
        var loss = SegGroupMethod.LossOptions(predictor.Config);
        var dataset = SceneDataset.Open(data, predictor.Config.Data.DatasetOptions(columns) with { Segments = segments });
        bool single = dataset.Scenes.Count == 1 && !dataset.HasSplit(split ?? SceneDataset.AllSplit);
        if (!single)
        {
            foreach (var file in Directory.EnumerateFiles(clicks, "*.json").Order(StringComparer.Ordinal))
            {
                string id = Path.GetFileNameWithoutExtension(file);
                if (dataset.Find(id) is null) throw new DataFormatException(file, $"click set for scene '{id}', which {dataset.Root} does not hold");
            }
        }
        var scenes = single ? dataset.Scenes : dataset.Split(split);
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
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var set = ClickSet.Load(path);
            if (set.Scene != source.Name && !single) throw new DataFormatException(path, $"holds the clicks of scene '{set.Scene}', expected '{source.Name}'");
            var scene = source.Load();
            if (set.Validate(scene) is { } problem) throw new DataFormatException(path, problem);
            var prepared = PreparedScene.Prepare(source, null, predictor.Config.Data.VoxelSize, requireLabels: false);
            SegGroupScene input;
            try
            {
                (input, _) = SegGroupSceneBuilder.Build(dataset, source, scene, prepared, set.Clicks, loss.AdjacencyK);
            }
            catch (ArgumentException e)
            {
                throw new DataFormatException(path, e.Message, e);
            }
            var (labels, perLayer) = LabelEveryLayer(net, input, layers);
            if (everyLayer)
                for (int layer = 0; layer < perLayer.Count; layer++) Write(LayerFolder(output, layer), prepared.PointCount, perLayer[layer]);
            Write(output, prepared.PointCount, labels);
            names.Add(source.Name);
            progress?.Invoke(labels, clock.Elapsed);
        }
        return names;
    }

    /// <summary>Where <see cref="LabelDataset"/> writes the labels after <paramref name="layer"/> layers.</summary>
    public static string LayerFolder(string output, int layer) => Path.Combine(output, "layers", layer.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static void Write(string output, int points, ScenePrediction labels) =>
        ScanNetPredictionWriter.Write(output, labels.Scene, points, labels.Semantic, labels.Instances.Select(m => (m.LabelId, (float)m.Confidence, m.Vertices)).ToList());
}
