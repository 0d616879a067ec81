using System.Text.Json;
using Clickscape.Data.Clicks;

namespace Clickscape.Cli.Tests.Commands;

public class DemoCommandTests : CommandTest
{
    [Fact]
    public void DemoGeneratesClicksTrainsPredictsEvaluatesAndReports()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        // 3 rooms (2 train, 1 val), a 6-second training budget (3 s per method) on one thread: the whole loop, kept small.
        int code = Program.Run(["demo", "--out", Dir, "--count", "3", "--seed", "3", "--budget-minutes", "0.1", "--threads", "1"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        var text = stdout.ToString();
        Assert.Contains("Summary", text);
        Assert.Contains("full, val mIoU", text);

        var clicks = ClickSet.Load(Path.Combine(Dir, "clicks", "scene0000_00.json"));
        Assert.True(clicks.Clicks.Count >= 5, $"only {clicks.Clicks.Count} clicks in a generated room");
        Assert.Equal(clicks.Clicks.Count, clicks.Clicks.Select(c => c.Object).Distinct().Count()); // one per object

        // The trained run, its predictions in the ScanNet layout for the val room, and the scores.
        Assert.True(File.Exists(Path.Combine(Dir, "run", "checkpoints", "last.safetensors")));
        Assert.True(File.Exists(Path.Combine(Dir, "pred", "instance", "scene0002_00.txt")));
        var semantic = File.ReadAllLines(Path.Combine(Dir, "pred", "semantic", "scene0002_00.txt"));
        Assert.True(semantic.Length > 1000);
        using var result = JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "eval", "result.json")));
        double miou = result.RootElement.GetProperty("miou").GetDouble();
        Assert.InRange(miou, 0.0, 1.0);
        Assert.True(result.RootElement.GetProperty("steps").GetInt32() >= 1);

        // clickseg trained on the demo's clicks, predicted and scored beside full
        Assert.True(File.Exists(Path.Combine(Dir, "run-clickseg", "checkpoints", "last.safetensors")));
        Assert.Equal(File.ReadAllText(Path.Combine(Dir, "clicks", "scene0000_00.json")), File.ReadAllText(Path.Combine(Dir, "run-clickseg", "clicks", "scene0000_00.json")));
        Assert.Equal(semantic.Length, File.ReadAllLines(Path.Combine(Dir, "pred-clickseg", "semantic", "scene0002_00.txt")).Length);
        var click = result.RootElement.GetProperty("clickseg");
        Assert.InRange(click.GetProperty("miou").GetDouble(), 0.0, 1.0);
        Assert.True(click.GetProperty("steps").GetInt32() >= 1);
        Assert.Contains("clickseg, val mIoU", text);

        // Each run's report embeds the truth beside its own prediction; the demo's report shows all three
        var page = File.ReadAllText(Path.Combine(Dir, "report.html"));
        foreach (var colouring in new[] { "instance", "semantic" })
        {
            foreach (var what in new[] { "truth", "full", "clickseg" })
            {
                Assert.Contains($"scene0002_00_{colouring}_{what}.png", page, StringComparison.Ordinal);
                var png = File.ReadAllBytes(Path.Combine(Dir, "renders", $"scene0002_00_{colouring}_{what}.png"));
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
            }
            var fullReport = File.ReadAllText(Path.Combine(Dir, "run", "report.html"));
            Assert.Contains($"scene0002_00_{colouring}_full.png", fullReport, StringComparison.Ordinal);
            Assert.DoesNotContain($"scene0002_00_{colouring}_clickseg.png", fullReport, StringComparison.Ordinal);
            Assert.Contains($"scene0002_00_{colouring}_clickseg.png", File.ReadAllText(Path.Combine(Dir, "run-clickseg", "report.html")), StringComparison.Ordinal);
        }
        Assert.Contains("run-clickseg/report.html", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--count", "1", "error: --count 1: expected ≥ 2 (at least one train and one val room)")]
    [InlineData("--budget-minutes", "0", "error: --budget-minutes 0: expected a number > 0")]
    public void DemoRejectsBadOptionsWithOneLine(string option, string value, string message)
    {
        var stderr = new StringWriter();
        int code = Program.Run(["demo", "--out", Dir, option, value], new StringWriter(), stderr);
        Assert.Equal(1, code);
        Assert.Equal(message, stderr.ToString().Trim());
    }
}
