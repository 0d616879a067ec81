using Clickscape.Testing;
using Xunit.Abstractions;

namespace Clickscape.Data.Tests.Testing;

/// <summary>The real-data locator: a missing sample is a visible skip outside CI and a failure in CI, never a pass.</summary>
public sealed class RealDataTests(ITestOutputHelper output)
{
    private const string Missing = "no-such-sample/anywhere.ply";

    [Fact]
    public void MissingSampleOutsideCiSkips()
    {
        var skip = Assert.Throws<SkipException>(() => RealData.Locate(Missing, output, required: false));
        Assert.Contains(Missing, skip.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingSampleInCiFails()
    {
        var e = Assert.Throws<InvalidOperationException>(() => RealData.Locate(Missing, output, required: true));
        Assert.Contains("in CI the real samples must be present", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PresentSampleIsReturnedEitherWay()
    {
        // The root itself ("") exists wherever the samples are; where they are not, the locator's own rule applies.
        if (RealData.Root is null)
        {
            Assert.Throws<SkipException>(() => RealData.Locate("", output, required: false));
            return;
        }
        Assert.Equal(Path.GetFullPath(RealData.Root), RealData.Locate("", output, required: false));
        Assert.Equal(Path.GetFullPath(RealData.Root), RealData.Locate("", output, required: true));
    }
}
