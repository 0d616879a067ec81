using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// Resizing NCHW images to an output size: nearest neighbour (source ⌊dst·in/out⌋, PyTorch's "nearest") and
/// bilinear with align_corners = false (source (dst + ½)·in/out − ½, clamped at 0, PyTorch's default).
/// </summary>
/// <remarks>Backward scatters each output gradient onto the 1 (nearest) or 4 (bilinear) source pixels with the
/// same weights; parallel over (n, c) planes so no two threads touch the same input pixel.</remarks>
public static class Upsample2d
{
    /// <summary>Nearest-neighbour resize to outH × outW.</summary>
    public static Tensor Nearest(Tensor x, int outH, int outW) => Resize(x, outH, outW, bilinear: false);

    /// <summary>Bilinear resize to outH × outW (align_corners = false).</summary>
    public static Tensor Bilinear(Tensor x, int outH, int outW) => Resize(x, outH, outW, bilinear: true);

    private static Tensor Resize(Tensor x, int outH, int outW, bool bilinear)
    {
        if (x.Rank != 4) throw new ArgumentException($"Upsample2d: expected x [N,C,H,W], got {Tensor.ShapeString(x.Shape)}");
        if (outH < 1 || outW < 1) throw new ArgumentException($"Upsample2d: output size {outH}×{outW} must be positive");
        int planes = x.Dim(0) * x.Dim(1), h = x.Dim(2), w = x.Dim(3);
        var rows = Taps(h, outH, bilinear);
        var cols = Taps(w, outW, bilinear);
        var y = Tensor.Empty(x.Dim(0), x.Dim(1), outH, outW);
        float[] xs = x.Storage, ys = y.Storage;
        ComputeThreads.For(planes, 1, (s, e) =>
        {
            for (int p = s; p < e; p++)
            {
                int src = p * h * w, dst = p * outH * outW;
                for (int i = 0; i < outH; i++)
                {
                    var (r0, r1, ly) = rows[i];
                    for (int j = 0; j < outW; j++)
                    {
                        var (c0, c1, lx) = cols[j];
                        ys[dst + i * outW + j] =
                            (1 - ly) * ((1 - lx) * xs[src + r0 * w + c0] + lx * xs[src + r0 * w + c1]) +
                            ly * ((1 - lx) * xs[src + r1 * w + c0] + lx * xs[src + r1 * w + c1]);
                    }
                }
            }
        });
        return Graph.Record(y, [x], g =>
        {
            float[] gs = g.Storage, gx = x.GradStorage();
            ComputeThreads.For(planes, 1, (s, e) =>
            {
                for (int p = s; p < e; p++)
                {
                    int src = p * h * w, dst = p * outH * outW;
                    for (int i = 0; i < outH; i++)
                    {
                        var (r0, r1, ly) = rows[i];
                        for (int j = 0; j < outW; j++)
                        {
                            var (c0, c1, lx) = cols[j];
                            float v = gs[dst + i * outW + j];
                            gx[src + r0 * w + c0] += (1 - ly) * (1 - lx) * v;
                            gx[src + r0 * w + c1] += (1 - ly) * lx * v;
                            gx[src + r1 * w + c0] += ly * (1 - lx) * v;
                            gx[src + r1 * w + c1] += ly * lx * v;
                        }
                    }
                }
            });
        });
    }

    /// <summary>For each output coordinate: the two source coordinates and the weight of the second.</summary>
    private static (int I0, int I1, float Lambda)[] Taps(int inSize, int outSize, bool bilinear)
    {
        var taps = new (int, int, float)[outSize];
        double scale = (double)inSize / outSize;
        for (int o = 0; o < outSize; o++)
        {
            if (!bilinear)
            {
                int i = Math.Min((int)Math.Floor(o * scale), inSize - 1);
                taps[o] = (i, i, 0f);
                continue;
            }
            double src = Math.Max(0, (o + 0.5) * scale - 0.5);
            int i0 = Math.Min((int)src, inSize - 1);
            int i1 = Math.Min(i0 + 1, inSize - 1);
            taps[o] = (i0, i1, (float)(src - i0));
        }
        return taps;
    }
}
