using System.Diagnostics;
using Clickscape.Data.Formats.Png;
using Clickscape.Training.Engine;
using Clickscape.Training.Tests.Shared;
using Xunit.Abstractions;

namespace Clickscape.Training.Tests.Reporting;

/// <summary>A tiny run's <c>report.html</c> opened in headless Chromium (Debian's <c>/usr/bin/chromium</c>, which .ci/run installs).</summary>
public sealed class RunReportBrowserTests(ITestOutputHelper output) : TempFolder
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task ReportOfATinyRun_RendersInHeadlessChromium()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium (.ci/run does)");
        var data = TinyDataset.Create(Path.Combine(Dir, "data"), 3);
        var run = Path.Combine(Dir, "run");
        new Trainer().Run(TinyDataset.Config(epochs: 3, evaluate: true), new TrainingRequest { Data = data, Run = run });
        var shot = Path.Combine(Dir, "report.png");
        var start = new ProcessStartInfo(Chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=1000,900", $"--screenshot={shot}", new Uri(Path.Combine(run, "report.html")).AbsoluteUri })
            start.ArgumentList.Add(a);
        using var chromium = Process.Start(start)!;
        var stdout = chromium.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        string err = await chromium.StandardError.ReadToEndAsync(timeout.Token);
        await chromium.WaitForExitAsync(timeout.Token);
        output.WriteLine(await stdout + err);
        Assert.True(File.Exists(shot), "chromium wrote no screenshot");
        var image = PngDecoder.Load(shot);
        Assert.Equal(1000, image.Width);
        // the curves' blue (#1f77b4) is on the page: the SVG rendered
        int blue = 0;
        for (int y = 0; y < image.Height; y++)
            for (int x = 0; x < image.Width; x++)
                if (Math.Abs(image[x, y, 0] - 0x1f) < 24 && Math.Abs(image[x, y, 1] - 0x77) < 24 && Math.Abs(image[x, y, 2] - 0xb4) < 24) blue++;
        Assert.True(blue > 200, $"{blue} curve-coloured pixels in the screenshot; the SVG curves did not render");
    }
}
