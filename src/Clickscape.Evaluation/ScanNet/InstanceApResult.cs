namespace Clickscape.Evaluation.ScanNet;

/// <summary>
/// Result of <see cref="InstanceAp"/>. Per-class arrays follow <see cref="ClassNames"/> (the official class
/// order); NaN marks a class without ground truth. <see cref="Thresholds"/> are in the official order
/// (0.50, 0.55, …, 0.90, 0.25) and <see cref="ApPerThreshold"/>[class][threshold] follows it.
/// </summary>
public sealed record InstanceApResult(
    IReadOnlyList<int> ClassIds,
    IReadOnlyList<string> ClassNames,
    IReadOnlyList<double> Thresholds,
    double[][] ApPerThreshold,
    double[] ClassAp,
    double[] ClassAp50,
    double[] ClassAp25,
    double Ap,
    double Ap50,
    double Ap25,
    IReadOnlyList<string> Notes);
