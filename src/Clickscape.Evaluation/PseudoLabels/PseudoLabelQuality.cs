using Clickscape.Evaluation.ScanNet;

namespace Clickscape.Evaluation.PseudoLabels;

/// <summary>
/// Pseudo labels of one training scene next to its GT. Semantic labels are nyu40 ids (0 = unlabelled);
/// instance ids are <c>label·1000 + instance</c> for GT (ScanNet convention) and any positive id for pseudo
/// instances (0 = none).
/// </summary>
public sealed record PseudoLabelScene(string Name, int[] GtSemantic, int[] GtInstance, int[] PseudoSemantic, int[] PseudoInstance);

/// <summary>Result of <see cref="PseudoLabelQuality"/>.</summary>
/// <param name="LabelledFraction">Points with a pseudo semantic label ≠ 0 over all points.</param>
public sealed record PseudoLabelQualityResult(SemanticIouResult Semantic, InstanceApResult Instance, double LabelledFraction, long LabelledPoints, long TotalPoints);

/// <summary>
/// Quality of pseudo labels against GT on training scenes, as SegGroup (Table 1) and ClickSeg (Fig. 3) report
/// it: per-class semantic IoU / mIoU (<see cref="SemanticIou"/>, unlabelled points count as UNKNOWN, so they
/// are misses), instance AP (<see cref="InstanceAp"/>; every pseudo instance is a prediction whose class is the
/// mode of its pseudo semantic labels, ties → smallest id, with confidence 1), and the fraction of points labelled.
/// </summary>
public sealed class PseudoLabelQuality
{
    private readonly SemanticIou _semantic;
    private readonly InstanceAp _instance;

    /// <summary>ScanNet benchmark classes and official AP parameters.</summary>
    public PseudoLabelQuality()
        : this(new SemanticIou(), new InstanceAp())
    {
    }

    /// <summary>Custom metrics.</summary>
    public PseudoLabelQuality(SemanticIou semantic, InstanceAp instance)
    {
        _semantic = semantic;
        _instance = instance;
    }

    /// <summary>Evaluates the scenes.</summary>
    public PseudoLabelQualityResult Evaluate(IReadOnlyList<PseudoLabelScene> scenes)
    {
        ArgumentNullException.ThrowIfNull(scenes);
        var confusion = _semantic.NewConfusion();
        long labelled = 0, total = 0;
        var instanceScenes = new List<InstanceScene>(scenes.Count);
        foreach (var s in scenes)
        {
            var n = s.GtSemantic.Length;
            if (s.GtInstance.Length != n || s.PseudoSemantic.Length != n || s.PseudoInstance.Length != n)
                throw new ArgumentException($"scene {s.Name}: the four per-point arrays differ in length");
            _semantic.Accumulate(s.GtSemantic, s.PseudoSemantic, confusion);
            total += n;
            foreach (var l in s.PseudoSemantic)
            {
                if (l != 0)
                    labelled++;
            }
            var members = new SortedDictionary<int, List<int>>();
            for (var p = 0; p < n; p++)
            {
                var id = s.PseudoInstance[p];
                if (id <= 0)
                    continue;
                if (!members.TryGetValue(id, out var list))
                    members[id] = list = [];
                list.Add(p);
            }
            var preds = new List<PredictedInstance>(members.Count);
            foreach (var (id, list) in members)
            {
                var label = list.GroupBy(p => s.PseudoSemantic[p]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).First().Key;
                preds.Add(new PredictedInstance([.. list], label, 1.0, $"pseudo instance {id}"));
            }
            instanceScenes.Add(new InstanceScene(s.Name, s.GtInstance, preds));
        }
        return new PseudoLabelQualityResult(_semantic.FromConfusion(confusion), _instance.Evaluate(instanceScenes),
            total == 0 ? double.NaN : (double)labelled / total, labelled, total);
    }
}
