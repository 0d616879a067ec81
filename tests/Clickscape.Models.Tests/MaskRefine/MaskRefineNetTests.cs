using Clickscape.Models.MaskRefine;
using Clickscape.Tensors;
using Clickscape.Tensors.Autograd;

namespace Clickscape.Models.Tests.MaskRefine;

public sealed class MaskRefineNetTests
{
    [Fact]
    public void Forward_GivesTwoLogitsPerPixelOfTheCrop()
    {
        using var net = new MaskRefineNet(3, new Random(1), width: 8);
        using var scope = TensorScope.Begin();
        var y = net.Forward(Tensor.Uniform(new Random(2), -1, 1, 2, MaskRefineNet.InputChannels(3), 32, 32));
        Assert.Equal([2, 2, 32, 32], y.ShapeArray());
        Assert.Throws<ArgumentException>(() => net.Forward(Tensor.Zeros(1, 5, 32, 32)));
    }

    [Fact]
    public void SoftmaxDice_IsZeroForAPerfectPredictionAndMatchesTheFormula()
    {
        using var scope = TensorScope.Begin();
        var target = Tensor.FromArray([1f, 0f, 1f, 0f], 1, 1, 2, 2);
        var perfect = Tensor.FromArray([-20f, 20f, -20f, 20f, 20f, -20f, 20f, -20f], 1, 2, 2, 2);
        Assert.Equal(0f, MaskRefineNet.SoftmaxDiceLoss(perfect, target).Item(), 4);
        var even = Tensor.Zeros(1, 2, 2, 2); // p = 0.5 everywhere: dice_c = 2·1/(2 + 2) = 0.5 for both classes
        Assert.Equal(0.5f, MaskRefineNet.SoftmaxDiceLoss(even, target).Item(), 4);
    }

    [Fact]
    public void Crop_ContainsThePointAndTheMaskAndPastesBackWhereItCameFrom()
    {
        int size = 32;
        var rough = new float[size * size];
        for (int y = 8; y < 16; y++)
            for (int x = 10; x < 14; x++) rough[y * size + x] = 1f;
        var w = RefineCrop.Window(rough, size, 20.5, 12.5, 1.0);
        Assert.True(w.X0 <= 10 && w.X0 + w.Side >= 20.5 && w.Y0 <= 8 && w.Y0 + w.Side >= 16);
        int crop = 16, classes = 2;
        var image = new float[3 * size * size];
        var input = new float[MaskRefineNet.InputChannels(classes) * crop * crop];
        RefineCrop.Fill(input, image, rough, size, w, 20.5, 12.5, 1, classes, crop, 1.5, new MaskRefineInputs());
        int plane = crop * crop;
        // heatmap peak in channel 3 + class + 1 = 5, nothing in the other heatmap channels
        Assert.True(input.AsSpan(5 * plane, plane).ToArray().Max() > 0.8f);
        Assert.Equal(0f, input.AsSpan(3 * plane, 2 * plane).ToArray().Max());
        // the rough-mask channel pasted back reproduces the rough mask
        var back = RefineCrop.PasteBack(input.AsSpan((MaskRefineNet.InputChannels(classes) - 1) * plane, plane), crop, w, size);
        int agree = Enumerable.Range(0, size * size).Count(i => (back[i] > 0.5f) == (rough[i] > 0.5f));
        Assert.True(agree >= size * size - 12, $"{size * size - agree} pixels differ after crop and paste-back");
        // a source switched off stays zero
        RefineCrop.Fill(input, image, rough, size, w, 20.5, 12.5, 1, classes, crop, 1.5, new MaskRefineInputs(Point: false));
        Assert.Equal(0f, input.AsSpan(3 * plane, 3 * plane).ToArray().Max());
    }
}
