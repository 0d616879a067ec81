namespace Clickscape.Tensors.Optim;

/// <summary>
/// A subset of an optimizer's parameters with its own hyper-parameters, PyTorch's <c>param_groups</c>: the usual use
/// is a group of BatchNorm weights and biases with weight decay 0 (Goyal et al. 2017, "no bias decay").
/// </summary>
/// <param name="Parameters">The group's tensors.</param>
/// <param name="WeightDecay">The group's weight decay λ, or null for the optimizer's.</param>
/// <param name="LearningRateScale">Factor on the optimizer's (scheduled) learning rate.</param>
public sealed record ParameterGroup(IReadOnlyList<Tensor> Parameters, float? WeightDecay = null, float LearningRateScale = 1f);
