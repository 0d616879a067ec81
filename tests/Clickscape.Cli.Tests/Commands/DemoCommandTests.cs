using Clickscape.Data.Clicks;

namespace Clickscape.Cli.Tests.Commands;

public class DemoCommandTests : CommandTest
{
    [Fact]
    public void DemoGeneratesClicksScoresAndRendersOneRoom()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(["demo", "--out", Dir, "--count", "1", "--seed", "3"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        var text = stdout.ToString();
        Assert.Contains("Summary", text);
        Assert.Contains("seg-level labels mIoU", text);

        var clicks = ClickSet.Load(Path.Combine(Dir, "clicks", "scene0000_00.json"));
        Assert.True(clicks.Clicks.Count >= 5, $"only {clicks.Clicks.Count} clicks in a generated room");
        Assert.Equal(clicks.Clicks.Count, clicks.Clicks.Select(c => c.Object).Distinct().Count()); // one per object

        foreach (var mode in new[] { "rgb", "instance", "semantic" })
        {
            var png = File.ReadAllBytes(Path.Combine(Dir, "renders", $"scene0000_00_{mode}.png"));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        }
    }

    [Fact]
    public void DemoRejectsAZeroCountWithOneLine()
    {
        var stderr = new StringWriter();
        int code = Program.Run(["demo", "--out", Dir, "--count", "0"], new StringWriter(), stderr);
        Assert.Equal(1, code);
        Assert.Equal("error: --count 0: expected ≥ 1", stderr.ToString().Trim());
    }
}
