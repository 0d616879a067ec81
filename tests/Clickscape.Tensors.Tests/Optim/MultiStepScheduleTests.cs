using Clickscape.Tensors.Optim;

namespace Clickscape.Tensors.Tests.Optim;

/// <summary>PyTorch MultiStepLR: the rate drops by gamma at every milestone reached.</summary>
public sealed class MultiStepScheduleTests
{
    [Fact]
    public void Rate_DropsByGammaAtEachMilestone()
    {
        var s = new MultiStepSchedule(0.1f, [50, 75], 0.1f);
        Assert.Equal(0.1f, s.At(0));
        Assert.Equal(0.1f, s.At(49));
        Assert.Equal(0.01f, s.At(50), 6);
        Assert.Equal(0.01f, s.At(74), 6);
        Assert.Equal(0.001f, s.At(75), 6);
        Assert.Equal(0.001f, s.At(1000), 6);
    }
}
