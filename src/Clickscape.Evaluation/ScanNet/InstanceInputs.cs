namespace Clickscape.Evaluation.ScanNet;

/// <summary>
/// One predicted instance mask: its member vertices (distinct indices into the scene's vertices), the class id
/// it predicts and its confidence. <paramref name="Source"/> names where it came from (a mask file) for notes.
/// </summary>
public sealed record PredictedInstance(int[] Vertices, int LabelId, double Confidence, string? Source = null);

/// <summary>
/// One scene to evaluate: the per-vertex ground truth (<c>label·1000 + instance</c>, 0 = unannotated) and the
/// predictions in prediction-file line order (the order matters, see <see cref="InstanceAp"/>).
/// </summary>
public sealed record InstanceScene(string Name, int[] GroundTruth, IReadOnlyList<PredictedInstance> Predictions);
