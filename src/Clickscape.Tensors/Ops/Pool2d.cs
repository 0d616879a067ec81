using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Max and average pooling over NCHW images with a square window, stride and zero padding (PyTorch's
/// MaxPool2d / AvgPool2d with count_include_pad = true). Output size ⌊(H + 2p − k)/s⌋ + 1.
/// </summary>
/// <remarks>Backward: max routes each output gradient to its window's arg-max (first on ties; padding never
/// wins); average spreads it equally, 1/k², over the window. Parallel over (n, c) planes.</remarks>
public static class Pool2d
{
    /// <summary>Max pooling.</summary>
    public static Tensor Max(Tensor x, int kernel, int stride = -1, int padding = 0) => Pool(x, kernel, stride, padding, max: true);

    /// <summary>Average pooling (padding counts as zeros in the average).</summary>
    public static Tensor Average(Tensor x, int kernel, int stride = -1, int padding = 0) => Pool(x, kernel, stride, padding, max: false);

    private static Tensor Pool(Tensor x, int k, int stride, int padding, bool max)
    {
        if (stride <= 0) stride = k;
        if (x.Rank != 4) throw new ArgumentException($"Pool2d: expected x [N,C,H,W], got {Tensor.ShapeString(x.Shape)}");
        if (k < 1 || padding < 0 || padding * 2 > k) throw new ArgumentException($"Pool2d: kernel {k} must be ≥ 1 and padding {padding} at most half of it");
        int planes = x.Dim(0) * x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        int oh = (h + 2 * padding - k) / stride + 1, ow = (w + 2 * padding - k) / stride + 1;
        if (oh <= 0 || ow <= 0) throw new ArgumentException($"Pool2d: window {k} does not fit {h}×{w}");
        var y = Tensor.Empty(x.Dim(0), x.Dim(1), oh, ow);
        var arg = max ? new int[y.Length] : null;
        float[] xs = x.Storage, ys = y.Storage;
        float inv = 1f / (k * k);
        ComputeThreads.For(planes, 1, (s, e) =>
        {
            for (int p = s; p < e; p++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++)
                    {
                        float best = float.NegativeInfinity, sum = 0;
                        int bestIdx = -1;
                        for (int di = 0; di < k; di++)
                        {
                            int r = i * stride - padding + di;
                            if ((uint)r >= (uint)h) continue;
                            for (int dj = 0; dj < k; dj++)
                            {
                                int c = j * stride - padding + dj;
                                if ((uint)c >= (uint)w) continue;
                                int idx = p * h * w + r * w + c;
                                float v = xs[idx];
                                sum += v;
                                if (v > best || bestIdx < 0) { best = v; bestIdx = idx; }
                            }
                        }
                        int o = (p * oh + i) * ow + j;
                        if (max) { ys[o] = best; arg![o] = bestIdx; }
                        else ys[o] = sum * inv;
                    }
        });
        return Graph.Record(y, [x], g =>
        {
            float[] gs = g.Storage, gx = x.GradStorage();
            ComputeThreads.For(planes, 1, (s, e) =>
            {
                for (int p = s; p < e; p++)
                    for (int i = 0; i < oh; i++)
                        for (int j = 0; j < ow; j++)
                        {
                            int o = (p * oh + i) * ow + j;
                            if (max) { gx[arg![o]] += gs[o]; continue; }
                            float v = gs[o] * inv;
                            for (int di = 0; di < k; di++)
                            {
                                int r = i * stride - padding + di;
                                if ((uint)r >= (uint)h) continue;
                                for (int dj = 0; dj < k; dj++)
                                {
                                    int c = j * stride - padding + dj;
                                    if ((uint)c < (uint)w) gx[p * h * w + r * w + c] += v;
                                }
                            }
                        }
            });
        });
    }
}
