using System.Numerics.Tensors;
using Clickscape.Tensors.Autograd;
using Clickscape.Tensors.Kernels;

namespace Clickscape.Tensors.Ops;

/// <summary>
/// 2-D transposed convolution ("deconvolution", Zeiler et al. 2010; the learned upsampling of FCN, Long et al.
/// 2015) on NCHW images: the adjoint of <see cref="Conv2d"/> with the same stride, padding and dilation, computed
/// as GEMM + col2im. Per image, cols [Cout·KH·KW, H·W] = Wᵀ · x with W viewed as [Cin, Cout·KH·KW], then every
/// column entry is added onto the output pixel it came from in the matching convolution (col2im).
/// </summary>
/// <remarks>
/// Weight layout [Cin, Cout, KH, KW] (PyTorch's ConvTranspose2d). Output size
/// Hout = (H − 1)·stride − 2·padding + dilation·(KH − 1) + outputPadding + 1 (likewise W); outputPadding &lt; stride
/// picks among the output sizes a strided convolution maps to H. Because the forward is col2im(Wᵀ·x), the backward is
/// the convolution's forward: with colsG = im2col(G) [Cout·KH·KW, H·W], ∂x = W · colsG and ∂W += x · colsGᵀ;
/// ∂b = per-channel sums of G. The im2col/col2im kernels and the GEMM are <see cref="Conv2d"/>'s.
/// </remarks>
public static class ConvTranspose2d
{
    /// <summary>Transposed convolution of x [N, Cin, H, W] with weight [Cin, Cout, KH, KW] and optional bias [Cout].</summary>
    public static Tensor Forward(Tensor x, Tensor weight, Tensor? bias, int stride = 1, int padding = 0, int outputPadding = 0, int dilation = 1)
    {
        if (x.Rank != 4 || weight.Rank != 4 || x.Dim(1) != weight.Dim(0))
            throw new ArgumentException($"ConvTranspose2d: expected x [N,Cin,H,W] and weight [Cin,Cout,KH,KW], got {Tensor.ShapeString(x.Shape)} and {Tensor.ShapeString(weight.Shape)}");
        if (stride < 1 || dilation < 1 || padding < 0 || outputPadding < 0 || (outputPadding >= stride && outputPadding >= dilation))
            throw new ArgumentException($"ConvTranspose2d: stride {stride} and dilation {dilation} must be ≥ 1, padding {padding} ≥ 0, output padding {outputPadding} below stride or dilation");
        int n = x.Dim(0), cin = x.Dim(1), h = x.Dim(2), w = x.Dim(3), cout = weight.Dim(1), kh = weight.Dim(2), kw = weight.Dim(3);
        int outH = (h - 1) * stride - 2 * padding + dilation * (kh - 1) + outputPadding + 1;
        int outW = (w - 1) * stride - 2 * padding + dilation * (kw - 1) + outputPadding + 1;
        if (outH <= 0 || outW <= 0) throw new ArgumentException($"ConvTranspose2d: padding {padding} leaves no output for input {h}×{w} and kernel {kh}×{kw}");
        if (bias is not null && bias.Length != cout) throw new ArgumentException($"ConvTranspose2d: bias has {bias.Length} values for {cout} output channels");

        // The convolution this one is the adjoint of: from the output image (Cout channels) to the input (Cin).
        var g = new Conv2d.Geometry(n, cout, outH, outW, cin, kh, kw, stride, padding, dilation);
        if (g.OutH != h || g.OutW != w)
            throw new ArgumentException($"ConvTranspose2d: output {outH}×{outW} does not convolve back to {h}×{w} (output padding {outputPadding} too large)");
        int k = g.K, l = g.L, plane = outH * outW;

        var y = Tensor.Zeros(n, cout, outH, outW);
        var cols = TensorStoragePool.Rent(k * l);
        for (int b = 0; b < n; b++)
        {
            var xn = x.Data.Slice(b * cin * l, cin * l);
            Gemm.Multiply(true, false, k, l, cin, 1f, weight.Data, k, xn, l, 0f, cols, l);
            Conv2d.Col2ImAdd(cols, b, g, y.Storage);
            if (bias is not null)
                for (int co = 0; co < cout; co++)
                {
                    var yPlane = y.Data.Slice((b * cout + co) * plane, plane);
                    TensorPrimitives.Add(yPlane, bias.Data[co], yPlane);
                }
        }
        TensorStoragePool.Return(cols);

        Tensor[] inputs = bias is null ? [x, weight] : [x, weight, bias];
        return Graph.Record(y, inputs, gy =>
        {
            var colBuf = TensorStoragePool.Rent(k * l);
            for (int b = 0; b < n; b++)
            {
                if (x.RequiresGrad || weight.RequiresGrad) Conv2d.Im2Col(gy.Storage, b, g, colBuf);
                if (x.RequiresGrad)
                    Gemm.Multiply(false, false, cin, l, k, 1f, weight.Data, k, colBuf, l, 1f, x.GradBuffer().Slice(b * cin * l, cin * l), l);
                if (weight.RequiresGrad)
                    Gemm.Multiply(false, true, cin, k, l, 1f, x.Data.Slice(b * cin * l, cin * l), l, colBuf, l, 1f, weight.GradBuffer(), k);
                if (bias is not null && bias.RequiresGrad)
                {
                    var gb = bias.GradBuffer();
                    for (int co = 0; co < cout; co++) gb[co] += TensorPrimitives.Sum(gy.Data.Slice((b * cout + co) * plane, plane));
                }
            }
            TensorStoragePool.Return(colBuf);
        });
    }
}
