using Clickscape.Models.Solo;
using Clickscape.Tensors;
using Clickscape.Tensors.Nn;

namespace Clickscape.Models.MaskRefine;

/// <summary>Which input sources MaskRefineNet sees (PointWSSIS Table 3); a source left out is fed as zeros, so the
/// network shape does not change.</summary>
public sealed record MaskRefineInputs(bool Image = true, bool RoughMask = true, bool Point = true);

/// <summary>
/// MaskRefineNet (Kim et al., CVPR 2023, §3.3; REFERENCE §7): a U-Net over a crop around the teacher's rough mask whose
/// input is the RGB crop (3), the point as a Gaussian heatmap drawn in channel class + 1 of C + 1 channels, and the rough
/// mask (1); it predicts 2 logits (background, object) per pixel, trained with the softmax Dice loss. The paper's
/// ResNet-101 encoder with ASPP (rates 3/6/9) is, at this scale, three strided conv stages and a bottleneck of
/// parallel dilated convolutions (rates 1/2/3) summed; the decoder upsamples with transposed convolutions and
/// concatenates the encoder's features (Ronneberger et al. 2015).
/// </summary>
public sealed class MaskRefineNet : Module<Tensor, Tensor>
{
    private readonly ConvGnRelu[] _encoder;
    private readonly ConvGnRelu[] _aspp;
    private readonly ConvTranspose2d[] _up;
    private readonly ConvGnRelu[] _decoder;

    /// <summary>Creates the network for <paramref name="classes"/> classes (input channels 3 + classes + 1 + 1).</summary>
    public MaskRefineNet(int classes, Random random, int width = 16)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        Classes = classes;
        int w1 = width, w2 = 2 * width, w3 = 3 * width, w4 = 4 * width;
        _encoder =
        [
            RegisterModule("enc1", new ConvGnRelu(InputChannels(classes), w1, random)),
            RegisterModule("enc2", new ConvGnRelu(w1, w2, random, stride: 2)),
            RegisterModule("enc3", new ConvGnRelu(w2, w3, random, stride: 2)),
            RegisterModule("enc4", new ConvGnRelu(w3, w4, random, stride: 2)),
        ];
        _aspp =
        [
            RegisterModule("aspp1", new ConvGnRelu(w4, w4, random)),
            RegisterModule("aspp2", new ConvGnRelu(w4, w4, random, dilation: 2)),
            RegisterModule("aspp3", new ConvGnRelu(w4, w4, random, dilation: 3)),
        ];
        _up =
        [
            RegisterModule("up3", new ConvTranspose2d(w4, w3, 4, random, stride: 2, padding: 1)),
            RegisterModule("up2", new ConvTranspose2d(w3, w2, 4, random, stride: 2, padding: 1)),
            RegisterModule("up1", new ConvTranspose2d(w2, w1, 4, random, stride: 2, padding: 1)),
        ];
        _decoder =
        [
            RegisterModule("dec3", new ConvGnRelu(2 * w3, w3, random)),
            RegisterModule("dec2", new ConvGnRelu(2 * w2, w2, random)),
            RegisterModule("dec1", new ConvGnRelu(2 * w1, w1, random)),
        ];
        Head = RegisterModule("head", new Conv2d(w1, 2, 1, random));
    }

    /// <summary>Object classes (the heatmap has one more channel).</summary>
    public int Classes { get; }

    /// <summary>The 1×1 output convolution (2 logits).</summary>
    public Conv2d Head { get; }

    /// <summary>Input channels for <paramref name="classes"/> classes: RGB + (classes + 1) heatmap + rough mask.</summary>
    public static int InputChannels(int classes) => 3 + classes + 1 + 1;

    /// <summary>Logits [N, 2, S, S] of inputs [N, InputChannels, S, S] (S a multiple of 8).</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank != 4 || input.Dim(1) != InputChannels(Classes) || input.Dim(2) % 8 != 0 || input.Dim(3) % 8 != 0)
            throw new ArgumentException($"MaskRefineNet: expected input [N, {InputChannels(Classes)}, S, S] with S a multiple of 8, got [{string.Join(", ", input.ShapeArray())}]");
        var e1 = _encoder[0].Forward(input);
        var e2 = _encoder[1].Forward(e1);
        var e3 = _encoder[2].Forward(e2);
        var e4 = _encoder[3].Forward(e3);
        var b = _aspp[0].Forward(e4) + _aspp[1].Forward(e4) + _aspp[2].Forward(e4);
        var d3 = _decoder[0].Forward(Tensor.Concat([_up[0].Forward(b), e3], 1));
        var d2 = _decoder[1].Forward(Tensor.Concat([_up[1].Forward(d3), e2], 1));
        var d1 = _decoder[2].Forward(Tensor.Concat([_up[2].Forward(d2), e1], 1));
        return Head.Forward(d1);
    }

    /// <summary>
    /// The softmax Dice loss of PointWSSIS's MaskRefineNet (REFERENCE §7): 1 − mean over the 2 classes of
    /// 2·I_c/(card_c + 1e-7), I_c = Σ p_c·t_c, card_c = Σ p_c + Σ t_c, over the whole batch; with 2 classes the
    /// softmax is p_object = σ(l_object − l_background).
    /// </summary>
    public static Tensor SoftmaxDiceLoss(Tensor logits, Tensor target)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(target);
        var p1 = (logits.Slice(1, 1, 1) - logits.Slice(1, 0, 1)).Sigmoid();
        var p0 = 1f - p1;
        var t0 = 1f - target;
        float st1 = System.Numerics.Tensors.TensorPrimitives.Sum(target.Data), st0 = target.Length - st1;
        var dice1 = (p1 * target).Sum() * 2f / (p1.Sum() + (st1 + 1e-7f));
        var dice0 = (p0 * t0).Sum() * 2f / (p0.Sum() + (st0 + 1e-7f));
        return 1f - (dice0 + dice1) * 0.5f;
    }
}
