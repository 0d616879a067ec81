using System.Numerics.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Losses;

/// <summary>
/// Cross-entropy of logits [N, C] against integer labels, with PyTorch's semantics for an ignore label,
/// class weights and label smoothing (Szegedy et al., CVPR 2016), mean reduction:
/// L = (1 − ε)·Σᵢ −w_{yᵢ} log pᵢ,yᵢ / W + (ε/C)·Σᵢ Σ_c −w_c log pᵢ,c / W, with W = Σᵢ w_{yᵢ} over
/// non-ignored samples (W = count when unweighted). Returns 0 when every label is ignored.
/// </summary>
/// <remarks>
/// Fused with the log-softmax: per row, a_c = ∂L/∂log p_c = −[(1 − ε) w_y δ_cy + (ε/C) w_c]/W, and
/// ∂L/∂z_c = a_c − p_c·Σ a (the log-softmax adjoint).
/// </remarks>
public static class CrossEntropy
{
    /// <summary>The target the loss skips by default: PyTorch's <c>ignore_index</c>, the loss layer's sentinel
    /// (<c>Clickscape.Geometry.Scenes.Labels.Ignore</c> has the same value; the engine does not reference geometry).</summary>
    public const int DefaultIgnoreIndex = -100;

    /// <summary>Mean cross-entropy; see the type remarks.</summary>
    public static Tensor Forward(Tensor logits, int[] labels, int ignoreIndex = DefaultIgnoreIndex, float[]? classWeights = null, float labelSmoothing = 0f)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.Rank != 2) throw new ArgumentException($"CrossEntropy: expected logits [N,C], got {Tensor.ShapeString(logits.Shape)}");
        int n = logits.Dim(0), c = logits.Dim(1);
        if (labels.Length != n) throw new ArgumentException($"CrossEntropy: {labels.Length} labels for {n} rows of logits");
        if (classWeights is not null && classWeights.Length != c) throw new ArgumentException($"CrossEntropy: {classWeights.Length} class weights for {c} classes");
        if (labelSmoothing is < 0f or > 1f) throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "CrossEntropy: label smoothing must be in [0, 1]");
        double totalWeight = 0;
        for (int i = 0; i < n; i++)
        {
            int y = labels[i];
            if (y == ignoreIndex) continue;
            if ((uint)y >= (uint)c) throw new ArgumentOutOfRangeException(nameof(labels), $"CrossEntropy: label {y} at row {i} is outside [0, {c}) and is not the ignore label {ignoreIndex}");
            totalWeight += classWeights?[y] ?? 1f;
        }

        // log-probabilities, pooled: kept for backward (released with the graph) or returned at once.
        var logpTensor = Tensor.Empty(n, c).DetachFromScope();
        float[] logp = logpTensor.Storage, zs = logits.Storage;
        ComputeThreads.For(n, Math.Max(1, 4096 / Math.Max(1, c)), (s, e) =>
        {
            for (int i = s; i < e; i++) Ops.Softmax.LogSoftmaxRow(zs.AsSpan(i * c, c), logp.AsSpan(i * c, c));
        });
        double loss = 0;
        float eps = labelSmoothing;
        for (int i = 0; i < n; i++)
        {
            int y = labels[i];
            if (y == ignoreIndex) continue;
            double row = -(1 - eps) * (classWeights?[y] ?? 1f) * logp[i * c + y];
            if (eps > 0)
            {
                double smooth = 0;
                for (int k = 0; k < c; k++) smooth -= (classWeights?[k] ?? 1f) * logp[i * c + k];
                row += eps / c * smooth;
            }
            loss += row;
        }
        float inv = totalWeight > 0 ? (float)(1.0 / totalWeight) : 0f;
        var result = Tensor.Scalar((float)(loss * inv));
        if (!Graph.IsRecording([logits]))
        {
            logpTensor.Dispose();
            return result;
        }
        return Graph.Record(result, [logits], g =>
        {
            float scale = g.Data[0] * inv;
            float[] gz = logits.GradStorage();
            // Per row: ∂z = a − p·Σa with a_k = scale·(−(ε/C)·w_k − [k = y](1 − ε)·w_y), written as vector passes.
            float smoothCoef = -eps / c * scale, sumW = classWeights is null ? c : classWeights.Sum();
            ComputeThreads.For(n, Math.Max(1, 4096 / Math.Max(1, c)), (s, e) =>
            {
                Span<float> p = c <= 1024 ? stackalloc float[c] : new float[c];
                for (int i = s; i < e; i++)
                {
                    int y = labels[i];
                    if (y == ignoreIndex) continue;
                    float wy = classWeights?[y] ?? 1f;
                    float hard = -(1 - eps) * wy * scale;
                    float sumA = smoothCoef * sumW + hard;
                    var row = gz.AsSpan(i * c, c);
                    TensorPrimitives.Exp(logp.AsSpan(i * c, c), p);
                    TensorPrimitives.MultiplyAdd(p, -sumA, row, row);
                    if (eps > 0)
                    {
                        if (classWeights is null) TensorPrimitives.Add(row, smoothCoef, row);
                        else TensorPrimitives.MultiplyAdd(classWeights, smoothCoef, row, row);
                    }
                    row[y] += hard;
                }
            });
        }, logpTensor);
    }
}
