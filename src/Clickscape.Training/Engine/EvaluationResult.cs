namespace Clickscape.Training.Engine;

/// <summary>One evaluation of a model on a split: ScanNet instance AP (0.50:0.90), AP50, AP25, semantic mIoU and accuracy, with per-class values.</summary>
public sealed record EvaluationResult(string Split, int Step, int Epoch, int Scenes, double Ap, double Ap50, double Ap25, double MeanIou, double Accuracy,
    IReadOnlyList<string> InstanceClasses, double[] ClassAp, double[] ClassAp50, double[] ClassAp25,
    IReadOnlyList<string> SemanticClasses, double[] ClassIou)
{
    /// <summary>The metric called <paramref name="name"/> (<c>ap</c>, <c>ap50</c>, <c>ap25</c>, <c>miou</c>).</summary>
    public double Metric(string name) => name switch
    {
        "ap" => Ap,
        "ap50" => Ap50,
        "ap25" => Ap25,
        "miou" => MeanIou,
        _ => throw new ArgumentException($"unknown metric '{name}' (expected ap, ap50, ap25 or miou)", nameof(name)),
    };
}
