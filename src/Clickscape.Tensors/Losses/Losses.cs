namespace Clickscape.Tensors.Losses;

/// <summary>The losses in one place: <c>Losses.CrossEntropy(logits, labels, ignoreIndex: Labels.Ignore)</c>.</summary>
public static class Losses
{
    /// <inheritdoc cref="Losses.CrossEntropy"/>
    public static Tensor CrossEntropy(Tensor logits, int[] labels, int ignoreIndex = Tensors.Losses.CrossEntropy.DefaultIgnoreIndex, float[]? classWeights = null, float labelSmoothing = 0f)
        => Tensors.Losses.CrossEntropy.Forward(logits, labels, ignoreIndex, classWeights, labelSmoothing);

    /// <summary>Mean binary cross-entropy on logits (stable), optional positive-class weight.</summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor logits, Tensor targets, float positiveWeight = 1f)
        => BinaryCrossEntropy.WithLogits(logits, targets, positiveWeight);

    /// <summary>mean |prediction − target|.</summary>
    public static Tensor L1(Tensor prediction, Tensor target) => Regression.L1(prediction, target);

    /// <summary>mean (prediction − target)².</summary>
    public static Tensor Mse(Tensor prediction, Tensor target) => Regression.L2(prediction, target);

    /// <summary>mean (1 − cos(aᵢ, bᵢ)) over rows.</summary>
    public static Tensor Cosine(Tensor a, Tensor b) => Similarity.CosineLoss(a, b);

    /// <summary>Soft Dice loss.</summary>
    public static Tensor Dice(Tensor probabilities, Tensor target, float smooth = 1f) => Similarity.Dice(probabilities, target, smooth);

    /// <summary>Discriminative embedding loss (De Brabandere et al. 2017).</summary>
    public static Tensor Discriminative(Tensor embeddings, int[] instances, float deltaVar = 0.5f, float deltaDist = 1.5f,
        float weightVar = 1f, float weightDist = 1f, float weightReg = 0.001f, DiscriminativeNorm norm = DiscriminativeNorm.L2)
        => Tensors.Losses.Discriminative.Forward(embeddings, instances, deltaVar, deltaDist, weightVar, weightDist, weightReg, norm);
}
