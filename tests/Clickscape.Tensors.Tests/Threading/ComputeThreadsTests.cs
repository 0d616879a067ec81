using Clickscape.Tensors.Threading;

namespace Clickscape.Tensors.Tests.Threading;

[Collection("ComputeThreads")]
public sealed class ComputeThreadsTests
{
    [Fact]
    public void Use_SetsTheCount_AndDisposingPutsThePreviousOneBack_EvenAfterAnException()
    {
        int before = ComputeThreads.Count;
        using (ComputeThreads.Use(before + 3))
        {
            Assert.Equal(before + 3, ComputeThreads.Count);
            try
            {
                using var inner = ComputeThreads.Use(1);
                Assert.Equal(1, ComputeThreads.Count);
                throw new InvalidOperationException("work failed");
            }
            catch (InvalidOperationException)
            {
            }
            Assert.Equal(before + 3, ComputeThreads.Count);
        }
        Assert.Equal(before, ComputeThreads.Count);
    }

    [Fact]
    public void Use_RefusesANonPositiveCount_AndLeavesTheCountAlone()
    {
        int before = ComputeThreads.Count;
        Assert.Throws<ArgumentOutOfRangeException>(() => ComputeThreads.Use(0));
        Assert.Equal(before, ComputeThreads.Count);
    }
}
