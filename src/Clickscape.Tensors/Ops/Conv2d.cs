using System.Numerics.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Kernels;
using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// 2-D convolution (cross-correlation, as every framework defines it) on NCHW images, strided and dilated
/// (atrous, Yu &amp; Koltun 2016: tap (kh, kw) reads pixel (oh·s − p + kh·d, ow·s − p + kw·d)).
/// </summary>
/// <remarks>
/// Hout = ⌊(H + 2·padding − dilation·(KH − 1) − 1)/stride⌋ + 1 (likewise W), PyTorch's formula. Forward and
/// backward (∂x, ∂W, ∂b) run as a direct convolution on a padded polyphase copy of the input,
/// <see cref="Conv2dDirect"/>; the input's phases are rebuilt in backward rather than saved.
/// <see cref="Im2Col"/> / <see cref="Col2ImAdd"/> (Chellapilla et al., 2006) remain here for
/// <see cref="ConvTranspose2d"/>, which is GEMM + col2im.
/// </remarks>
public static class Conv2d
{
    /// <summary>Convolves x [N, Cin, H, W] with weight [Cout, Cin, KH, KW] and optional bias [Cout].</summary>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int dilation = 1)
    {
        if (x.Rank != 4 || weight.Rank != 4 || x.Dim(1) != weight.Dim(1))
            throw new ArgumentException($"Conv2d: expected x [N,Cin,H,W] and weight [Cout,Cin,KH,KW], got {Tensor.ShapeString(x.Shape)} and {Tensor.ShapeString(weight.Shape)}");
        if (stride < 1 || padding < 0 || dilation < 1) throw new ArgumentException($"Conv2d: stride {stride} and dilation {dilation} must be ≥ 1 and padding {padding} ≥ 0");
        var g = new Geometry(x.Dim(0), x.Dim(1), x.Dim(2), x.Dim(3), weight.Dim(0), weight.Dim(2), weight.Dim(3), stride, padding, dilation);
        if (g.OutH <= 0 || g.OutW <= 0) throw new ArgumentException($"Conv2d: kernel {g.KH}×{g.KW} does not fit input {g.H}×{g.W} with padding {padding}");
        if (bias is not null && bias.Length != g.COut) throw new ArgumentException($"Conv2d: bias has {bias.Length} values for {g.COut} output channels");

        var y = Tensor.Empty(g.N, g.COut, g.OutH, g.OutW);
        Conv2dDirect.Forward(x.Storage, weight.Storage, bias?.Storage, g, y.Storage);

        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Graph.Record(y, inputs, gy => Conv2dDirect.Backward(
            x.Storage, weight.Storage, gy.Storage, g,
            x.RequiresGrad ? x.GradStorage() : null,
            weight.RequiresGrad ? weight.GradStorage() : null,
            bias is not null && bias.RequiresGrad ? bias.GradStorage() : null));
    }

    /// <summary>The shapes of one convolution: input [N, CIn, H, W], kernel KH × KW, output [N, COut, OutH, OutW].</summary>
    internal readonly record struct Geometry(int N, int CIn, int H, int W, int COut, int KH, int KW, int Stride, int Padding, int Dilation = 1)
    {
        public int OutH => OutSize(H, KH);

        public int OutW => OutSize(W, KW);

        public int K => CIn * KH * KW;

        public int L => OutH * OutW;

        // floor division: a kernel wider than the padded input gives 0, never 1 (C# '/' truncates toward zero)
        private int OutSize(int size, int k)
        {
            int span = size + 2 * Padding - Dilation * (k - 1) - 1;
            return span < 0 ? 0 : span / Stride + 1;
        }
    }

    /// <summary>cols[(ci·KH + kh)·KW + kw, oh·OutW + ow] = x[n, ci, oh·s − p + kh·d, ow·s − p + kw·d] (0 outside).
    /// Parallel over column rows: each thread writes its own rows.</summary>
    internal static void Im2Col(float[] x, int n, Geometry g, float[] cols)
    {
        int imageOffset = n * g.CIn * g.H * g.W;
        ComputeThreads.For(g.K, Math.Max(1, 8192 / Math.Max(1, g.L)), (s, e) =>
        {
            for (int row = s; row < e; row++)
            {
                int kw = row % g.KW, kh = row / g.KW % g.KH, ci = row / (g.KW * g.KH);
                var dst = cols.AsSpan(row * g.L, g.L);
                int plane = imageOffset + ci * g.H * g.W;
                for (int oh = 0; oh < g.OutH; oh++)
                {
                    int ih = oh * g.Stride - g.Padding + kh * g.Dilation;
                    var dRow = dst.Slice(oh * g.OutW, g.OutW);
                    if ((uint)ih >= (uint)g.H) { dRow.Clear(); continue; }
                    for (int ow = 0; ow < g.OutW; ow++)
                    {
                        int iw = ow * g.Stride - g.Padding + kw * g.Dilation;
                        dRow[ow] = (uint)iw < (uint)g.W ? x[plane + ih * g.W + iw] : 0f;
                    }
                }
            }
        });
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: adds every column entry back onto its image pixel.
    /// Parallel over input channels (each owns its plane), so overlapping windows never race.</summary>
    internal static void Col2ImAdd(float[] cols, int n, Geometry g, float[] dx)
    {
        int imageOffset = n * g.CIn * g.H * g.W;
        ComputeThreads.For(g.CIn, 1, (s, e) =>
        {
            for (int ci = s; ci < e; ci++)
            {
                int plane = imageOffset + ci * g.H * g.W;
                for (int kh = 0; kh < g.KH; kh++)
                    for (int kw = 0; kw < g.KW; kw++)
                    {
                        var src = cols.AsSpan(((ci * g.KH + kh) * g.KW + kw) * g.L, g.L);
                        for (int oh = 0; oh < g.OutH; oh++)
                        {
                            int ih = oh * g.Stride - g.Padding + kh * g.Dilation;
                            if ((uint)ih >= (uint)g.H) continue;
                            for (int ow = 0; ow < g.OutW; ow++)
                            {
                                int iw = ow * g.Stride - g.Padding + kw * g.Dilation;
                                if ((uint)iw < (uint)g.W) dx[plane + ih * g.W + iw] += src[oh * g.OutW + ow];
                            }
                        }
                    }
            }
        });
    }
}
