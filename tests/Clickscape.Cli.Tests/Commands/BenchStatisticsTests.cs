using Clickscape.Cli.Commands;

namespace Clickscape.Cli.Tests.Commands;

public sealed class BenchStatisticsTests
{
    [Theory]
    [InlineData(new double[] { 5, 1, 3 }, 3)]
    [InlineData(new double[] { 4, 1, 3, 2 }, 2.5)]
    [InlineData(new double[] { 7 }, 7)]
    public void Median_IsTheMiddleOfTheSortedValues_OrTheMeanOfTheMiddleTwo(double[] values, double expected) =>
        Assert.Equal(expected, BenchStatistics.Median(values));

    [Fact]
    public void Median_OfNothing_IsNaN() => Assert.True(double.IsNaN(BenchStatistics.Median([])));

    [Fact]
    public void PeakRss_IsAtLeastTheCurrentResidentMemory_OnLinux()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.True(double.IsNaN(BenchStatistics.PeakRssMiB()));
            return;
        }
        double rss = BenchStatistics.StatusMiB("VmRSS:");
        Assert.True(rss > 0);
        Assert.True(BenchStatistics.PeakRssMiB() >= rss);
        Assert.True(double.IsNaN(BenchStatistics.StatusMiB("NoSuchField:")));
    }
}
