using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Batch normalization (Ioffe &amp; Szegedy, ICML 2015) over x [N, C] or [N, C, …]: per channel c,
/// x̂ = (x − μ_c)/√(σ²_c + ε), y = γ_c x̂ + β_c.
/// </summary>
/// <remarks>
/// Training uses the batch statistics (biased variance) and updates the running statistics in place as
/// PyTorch does: running = (1 − momentum)·running + momentum·batch, with the unbiased variance.
/// Evaluation uses the running statistics. Backward in training mode (M elements per channel, Ĝ = G·γ):
/// ∂x = (1/σ̂)(Ĝ − mean(Ĝ) − x̂·mean(Ĝ ⊙ x̂)), ∂γ = Σ G ⊙ x̂, ∂β = Σ G; in evaluation ∂x = G·γ/σ̂.
/// </remarks>
public static class BatchNorm
{
    /// <summary>Normalizes <paramref name="x"/>; see the type remarks. γ, β may be null (affine off).</summary>
    public static Tensor Forward(Tensor x, Tensor? weight, Tensor? bias, Tensor runningMean, Tensor runningVar,
        bool training, float momentum = 0.1f, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVar);
        if (x.Rank < 2) throw new ArgumentException($"BatchNorm: expected x [N,C] or [N,C,…], got {Tensor.ShapeString(x.Shape)}");
        int n = x.Dim(0), c = x.Dim(1), inner = x.Length / Math.Max(1, n * c);
        if (n * c == 0) inner = 0;
        if (runningMean.Length != c || runningVar.Length != c || (weight is not null && weight.Length != c) || (bias is not null && bias.Length != c))
            throw new ArgumentException($"BatchNorm: parameters must have {c} channels");
        int m = n * inner;
        if (training && m <= 1) throw new ArgumentException($"BatchNorm: training needs more than one value per channel, got input {Tensor.ShapeString(x.Shape)}");

        var mean = new float[c];
        var invStd = new float[c];
        float[] xs = x.Storage;
        if (training)
        {
            ComputeThreads.For(c, 1, (a, b) =>
            {
                for (int ch = a; ch < b; ch++)
                {
                    // Two passes in double: mean, then centered second moment (no cancellation).
                    double s = 0;
                    for (int i = 0; i < n; i++)
                        foreach (float v in xs.AsSpan((i * c + ch) * inner, inner)) s += v;
                    double mu = s / m, ss = 0;
                    for (int i = 0; i < n; i++)
                        foreach (float v in xs.AsSpan((i * c + ch) * inner, inner)) ss += (v - mu) * (v - mu);
                    double var = ss / m;
                    mean[ch] = (float)mu;
                    invStd[ch] = (float)(1.0 / Math.Sqrt(var + eps));
                    var rm = runningMean.Data;
                    var rv = runningVar.Data;
                    rm[ch] = (1 - momentum) * rm[ch] + momentum * (float)mu;
                    rv[ch] = (1 - momentum) * rv[ch] + momentum * (float)(ss / (m - 1));
                }
            });
        }
        else
        {
            var rm = runningMean.Data;
            var rv = runningVar.Data;
            for (int ch = 0; ch < c; ch++)
            {
                mean[ch] = rm[ch];
                invStd[ch] = 1f / MathF.Sqrt(rv[ch] + eps);
            }
        }

        var y = Tensor.Empty(x.Shape);
        float[] ys = y.Storage;
        float[]? ws = weight?.Storage, bs = bias?.Storage;
        ComputeThreads.For(n * c, Math.Max(1, 16384 / Math.Max(1, inner)), (a, b) =>
        {
            for (int nc = a; nc < b; nc++)
            {
                int ch = nc % c;
                float scale = invStd[ch] * (ws?[ch] ?? 1f);
                float shift = (bs?[ch] ?? 0f) - mean[ch] * scale;
                var src = xs.AsSpan(nc * inner, inner);
                var dst = ys.AsSpan(nc * inner, inner);
                System.Numerics.Tensors.TensorPrimitives.Multiply(src, scale, dst);
                System.Numerics.Tensors.TensorPrimitives.Add(dst, shift, dst);
            }
        });

        Tensor[] inputs = weight is null ? (bias is null ? [x] : [x, bias]) : (bias is null ? [x, weight] : [x, weight, bias]);
        return Graph.Record(y, inputs, g =>
        {
            float[] gs = g.Storage, xd = x.Storage;
            var sumG = new double[c];
            var sumGx = new double[c];
            ComputeThreads.For(c, 1, (a, b) =>
            {
                for (int ch = a; ch < b; ch++)
                {
                    double sg = 0, sgx = 0;
                    for (int i = 0; i < n; i++)
                    {
                        int off = (i * c + ch) * inner;
                        for (int k = 0; k < inner; k++)
                        {
                            float gv = gs[off + k];
                            sg += gv;
                            sgx += gv * (xd[off + k] - mean[ch]) * invStd[ch];
                        }
                    }
                    sumG[ch] = sg;
                    sumGx[ch] = sgx;
                }
            });
            if (weight is not null && weight.RequiresGrad)
            {
                var gw = weight.GradBuffer();
                for (int ch = 0; ch < c; ch++) gw[ch] += (float)sumGx[ch];
            }
            if (bias is not null && bias.RequiresGrad)
            {
                var gb = bias.GradBuffer();
                for (int ch = 0; ch < c; ch++) gb[ch] += (float)sumG[ch];
            }
            if (!x.RequiresGrad) return;
            float[] gx = x.GradStorage();
            float[]? w = weight?.Storage;
            ComputeThreads.For(n * c, Math.Max(1, 16384 / Math.Max(1, inner)), (a, b) =>
            {
                for (int nc = a; nc < b; nc++)
                {
                    int ch = nc % c;
                    float gamma = w?[ch] ?? 1f, istd = invStd[ch], mu = mean[ch];
                    int off = nc * inner;
                    if (!training)
                    {
                        for (int k = 0; k < inner; k++) gx[off + k] += gs[off + k] * gamma * istd;
                        continue;
                    }
                    float meanG = (float)(sumG[ch] / m), meanGx = (float)(sumGx[ch] / m);
                    for (int k = 0; k < inner; k++)
                    {
                        float xhat = (xd[off + k] - mu) * istd;
                        gx[off + k] += gamma * istd * (gs[off + k] - meanG - xhat * meanGx);
                    }
                }
            });
        });
    }
}
