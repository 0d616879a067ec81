using System.Numerics.Tensors;
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
/// ∂x = (γ/σ̂)(G − mean(G) − x̂·mean(G ⊙ x̂)), ∂γ = Σ G ⊙ x̂, ∂β = Σ G; in evaluation ∂x = G·γ/σ̂.
/// Every per-channel sum is a sum over a fixed sequence of blocks (<see cref="ChannelSums"/>), each a
/// vector pass over contiguous memory: over rows of C channels for [N, C] (the point/voxel feature case),
/// over the H·W plane of each (n, c) for images. Partial sums are combined in block order, so results do not
/// depend on the thread count.
/// <para>With <c>relu</c> the op is BatchNorm followed by ReLU, z = max(y, 0), fused (the pre-activation of every
/// sparse convolution in PointGroup's U-Net): one pass writes z instead of writing y and reading it back, and the
/// backward runs the rule above on the masked gradient G ⊙ [z &gt; 0] (the ReLU adjoint) without the separate
/// ReLU node and its gradient buffer. The results are the same bits as <c>Relu(BatchNorm(x))</c>.</para>
/// </remarks>
public static class BatchNorm
{
    private const int RowsPerBlock = 1024;

    /// <summary>Normalizes <paramref name="x"/>; see the type remarks. γ, β may be null (affine off).</summary>
    public static Tensor Forward(Tensor x, Tensor? weight, Tensor? bias, Tensor runningMean, Tensor runningVar,
        bool training, float momentum = 0.1f, float eps = 1e-5f, bool relu = false)
    {
        ArgumentNullException.ThrowIfNull(runningMean);
        ArgumentNullException.ThrowIfNull(runningVar);
        if (x.Rank < 2) throw new ArgumentException($"BatchNorm: expected x [N,C] or [N,C,…], got {Tensor.ShapeString(x.Shape)}");
        int n = x.Dim(0), c = x.Dim(1), inner = 1;
        for (int i = 2; i < x.Rank; i++) inner *= x.Dim(i);
        if (runningMean.Length != c || runningVar.Length != c || (weight is not null && weight.Length != c) || (bias is not null && bias.Length != c))
            throw new ArgumentException($"BatchNorm: parameters must have {c} channels");
        int m = n * inner;
        if (training && m <= 1) throw new ArgumentException($"BatchNorm: training needs more than one value per channel, got input {Tensor.ShapeString(x.Shape)}");
        var layout = new Layout(n, c, inner);

        var mean = new float[c];
        var invStd = new float[c];
        float[] xs = x.Storage;
        if (training)
        {
            // Two passes: the mean, then the centered second moment (no cancellation).
            var sum = ChannelSums(layout, (src, _, _, acc, _, _) => TensorPrimitives.Add(acc, src, acc), xs, xs, mean).First;
            for (int ch = 0; ch < c; ch++) mean[ch] = (float)(sum[ch] / m);
            var ss = ChannelSums(layout, (src, _, mu, acc, _, tmp) =>
            {
                TensorPrimitives.Subtract(src, mu, tmp);
                TensorPrimitives.MultiplyAdd(tmp, tmp, acc, acc);
            }, xs, xs, mean).First;
            var rm = runningMean.Data;
            var rv = runningVar.Data;
            for (int ch = 0; ch < c; ch++)
            {
                double var = ss[ch] / m;
                invStd[ch] = (float)(1.0 / Math.Sqrt(var + eps));
                rm[ch] = (1 - momentum) * rm[ch] + momentum * mean[ch];
                rv[ch] = (1 - momentum) * rv[ch] + momentum * (float)(ss[ch] / (m - 1));
            }
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

        // y = x·scale + shift per channel.
        var scale = new float[c];
        var shift = new float[c];
        for (int ch = 0; ch < c; ch++)
        {
            scale[ch] = invStd[ch] * (weight?.Data[ch] ?? 1f);
            shift[ch] = (bias?.Data[ch] ?? 0f) - mean[ch] * scale[ch];
        }
        var y = Tensor.Empty(x.Shape);
        float[] ys = y.Storage;
        ForEachSlice(layout, (off, len, ch) =>
        {
            var src = xs.AsSpan(off, len);
            var dst = ys.AsSpan(off, len);
            if (ch < 0)
            {
                TensorPrimitives.MultiplyAdd(src, scale, shift, dst);
            }
            else
            {
                TensorPrimitives.Multiply(src, scale[ch], dst);
                TensorPrimitives.Add(dst, shift[ch], dst);
            }
            if (relu) TensorPrimitives.Max(dst, 0f, dst);
        });

        Tensor[] inputs = weight is null ? (bias is null ? [x] : [x, bias]) : (bias is null ? [x, weight] : [x, weight, bias]);
        return Graph.Record(y, inputs, g =>
        {
            float[]? masked = relu ? MaskedGradient(g, y, layout) : null;
            try
            {
                Backward(masked ?? g.Storage, x, weight, bias, layout, mean, invStd, training, m);
            }
            finally
            {
                if (masked is not null) TensorStoragePool.Return(masked);
            }
        });
    }

    /// <summary>G ⊙ [z &gt; 0] into a pooled array: the ReLU adjoint of the fused form.</summary>
    private static float[] MaskedGradient(Tensor g, Tensor z, Layout layout)
    {
        float[] gs = g.Storage, zs = z.Storage, masked = TensorStoragePool.Rent(g.Length);
        ForEachSlice(layout, (off, len, _) => ReluMask(zs.AsSpan(off, len), gs.AsSpan(off, len), masked.AsSpan(off, len)));
        return masked;
    }

    /// <summary>dst = z &gt; 0 ? g : 0. SIMD for the reason of <see cref="Activations.LeakyReluGrad"/> (the sign of z is
    /// random, a branch would mispredict); the tail is the scalar equivalent.</summary>
    private static void ReluMask(ReadOnlySpan<float> z, ReadOnlySpan<float> g, Span<float> dst)
    {
        int i = 0;
        if (System.Numerics.Vector.IsHardwareAccelerated)
        {
            for (; i <= z.Length - System.Numerics.Vector<float>.Count; i += System.Numerics.Vector<float>.Count)
            {
                var keep = System.Numerics.Vector.GreaterThan(new System.Numerics.Vector<float>(z[i..]), System.Numerics.Vector<float>.Zero);
                System.Numerics.Vector.ConditionalSelect(keep, new System.Numerics.Vector<float>(g[i..]), System.Numerics.Vector<float>.Zero).CopyTo(dst[i..]);
            }
        }
        for (; i < z.Length; i++) dst[i] = z[i] > 0f ? g[i] : 0f;
    }

    /// <summary>Adds the gradients of x, γ, β for the output gradient <paramref name="gs"/> (see the type remarks).</summary>
    private static void Backward(float[] gs, Tensor x, Tensor? weight, Tensor? bias, Layout layout, float[] mean, float[] invStd, bool training, int m)
    {
        int c = layout.C;
        float[] xd = x.Storage;
        // Σ G and Σ G ⊙ (x − μ) in one pass over G and x (Σ G ⊙ x̂ = invStd · Σ G ⊙ (x − μ)).
        var (sumG, sumGc) = ChannelSums(layout, (src, other, mu, acc, acc2, tmp) =>
        {
            TensorPrimitives.Add(acc, src, acc);
            TensorPrimitives.Subtract(other, mu, tmp);
            TensorPrimitives.MultiplyAdd(tmp, src, acc2, acc2);
        }, gs, xd, mean);
        var sumGx = new double[c];
        for (int ch = 0; ch < c; ch++) sumGx[ch] = sumGc[ch] * invStd[ch];

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
        // ∂x = a·G + b·x + d per channel, where (training) a = γσ̂⁻¹, b = −a·σ̂⁻¹·mean(G x̂), d = −a·mean(G) − b·μ;
        // in evaluation b = d = 0.
        var ca = new float[c];
        var cb = new float[c];
        var cd = new float[c];
        for (int ch = 0; ch < c; ch++)
        {
            float a = (weight?.Data[ch] ?? 1f) * invStd[ch];
            ca[ch] = a;
            if (!training) continue;
            float meanG = (float)(sumG[ch] / m), meanGx = (float)(sumGx[ch] / m);
            cb[ch] = -a * invStd[ch] * meanGx;
            cd[ch] = -a * meanG - cb[ch] * mean[ch];
        }
        ForEachSlice(layout, (off, len, ch) =>
        {
            var gsrc = gs.AsSpan(off, len);
            var xsrc = xd.AsSpan(off, len);
            var dst = gx.AsSpan(off, len);
            if (ch < 0)
            {
                TensorPrimitives.MultiplyAdd(gsrc, ca, dst, dst);
                if (!training) return;
                TensorPrimitives.MultiplyAdd(xsrc, cb, dst, dst);
                TensorPrimitives.Add(dst, cd, dst);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(gsrc, ca[ch], dst, dst);
                if (!training) return;
                TensorPrimitives.MultiplyAdd(xsrc, cb[ch], dst, dst);
                TensorPrimitives.Add(dst, cd[ch], dst);
            }
        });
    }

    private readonly record struct Layout(int N, int C, int Inner);

    private delegate void SliceAction(int offset, int length, int channel);

    /// <summary>Visits x in contiguous slices: whole rows of C channels (channel = −1) when Inner = 1, otherwise the
    /// Inner-long plane of each (n, c). Parallel; every slice is written by one thread.</summary>
    private static void ForEachSlice(Layout l, SliceAction action)
    {
        if (l.Inner == 1)
        {
            ComputeThreads.For(l.N, Math.Max(1, 16384 / Math.Max(1, l.C)), (s, e) =>
            {
                for (int r = s; r < e; r++) action(r * l.C, l.C, -1);
            });
            return;
        }
        ComputeThreads.For(l.N * l.C, Math.Max(1, 16384 / l.Inner), (s, e) =>
        {
            for (int nc = s; nc < e; nc++) action(nc * l.Inner, l.Inner, nc % l.C);
        });
    }

    /// <summary>One accumulation step over a contiguous slice: acc += f(src, other, mean) and acc2 += f₂(…)
    /// element-wise (two sums from one read of the data; tmp is scratch of the slice's length).</summary>
    private delegate void Accumulate(ReadOnlySpan<float> src, ReadOnlySpan<float> other, ReadOnlySpan<float> mean, Span<float> acc, Span<float> acc2, Span<float> tmp);

    /// <summary>
    /// Σ per channel of <paramref name="step"/> over all elements, in fixed blocks of samples: each block
    /// accumulates in float, blocks are added in double in block order (deterministic for any thread count).
    /// For Inner = 1 a slice is a row of C channels (vector over channels); otherwise it is the Inner-long plane
    /// of one (n, c) with the channel's mean broadcast.
    /// </summary>
    private static (double[] First, double[] Second) ChannelSums(Layout l, Accumulate step, float[] src, float[] other, float[] mean)
    {
        int c = l.C;
        int rowsPerBlock = l.Inner == 1 ? RowsPerBlock : Math.Max(1, RowsPerBlock * 64 / Math.Max(1, l.Inner * c));
        int blocks = (l.N + rowsPerBlock - 1) / rowsPerBlock;
        var partial = new double[blocks * c];
        var partial2 = new double[blocks * c];
        ComputeThreads.For(blocks, 1, (bs, be) =>
        {
            int len = l.Inner == 1 ? c : l.Inner;
            var acc = new float[len];
            var acc2 = new float[len];
            var tmp = new float[len];
            var meanFill = new float[len];
            for (int b = bs; b < be; b++)
            {
                int r0 = b * rowsPerBlock, r1 = Math.Min(l.N, r0 + rowsPerBlock);
                if (l.Inner == 1)
                {
                    Array.Clear(acc);
                    Array.Clear(acc2);
                    for (int r = r0; r < r1; r++) step(src.AsSpan(r * c, c), other.AsSpan(r * c, c), mean, acc, acc2, tmp);
                    for (int ch = 0; ch < c; ch++)
                    {
                        partial[b * c + ch] = acc[ch];
                        partial2[b * c + ch] = acc2[ch];
                    }
                    continue;
                }
                for (int ch = 0; ch < c; ch++)
                {
                    Array.Fill(meanFill, mean[ch]);
                    Array.Clear(acc);
                    Array.Clear(acc2);
                    for (int r = r0; r < r1; r++)
                    {
                        int off = (r * c + ch) * l.Inner;
                        step(src.AsSpan(off, len), other.AsSpan(off, len), meanFill, acc, acc2, tmp);
                    }
                    partial[b * c + ch] = TensorPrimitives.Sum(acc);
                    partial2[b * c + ch] = TensorPrimitives.Sum(acc2);
                }
            }
        });
        var total = new double[c];
        var total2 = new double[c];
        for (int b = 0; b < blocks; b++)
            for (int ch = 0; ch < c; ch++)
            {
                total[ch] += partial[b * c + ch];
                total2[ch] += partial2[b * c + ch];
            }
        return (total, total2);
    }
}
