using System.Net.Http.Json;
using System.Text.Json;
using Clickscape.Data;
using Clickscape.Data.Classes;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Clickscape.Studio.Tests.Browser;

/// <summary>
/// End to end in headless Chromium (Debian's <c>/usr/bin/chromium</c>, driven by Playwright; WebGL through
/// SwiftShader): open a scene, annotate three objects with class keys, refine one with a negative click, reload,
/// kill and restart the server, and find everything there; then compare the export with the annotations.
/// Screenshots go to <c>$CLICKSCAPE_SCREENSHOTS</c> (the repository keeps them as docs/studio-*.png).
/// </summary>
public class StudioBrowserTests(ITestOutputHelper output)
{
    private const string S = StudioDataset.Scene;

    [Fact]
    public async Task Annotate_refine_reload_restart_and_export_in_the_browser()
    {
        var scene = SceneLoader.Load(Path.Combine(StudioDataset.Path0, "scans", S));
        var instances = scene.InstanceIds!;
        var options = new StudioOptions
        {
            DataPath = StudioDataset.Path0,
            Port = 0,
            StatePath = Path.Combine(Path.GetTempPath(), "clickscape-studio-e2e-" + Guid.NewGuid().ToString("N")),
        };
        var shots = Environment.GetEnvironmentVariable("CLICKSCAPE_SCREENSHOTS") ?? options.StatePath;
        Directory.CreateDirectory(shots);

        await using var studio = await ChromiumStudio.StartAsync(options);
        var page = await studio.NewPageAsync();
        var url = studio.Url;
        await page.GotoAsync($"{url}/");
        await page.WaitForFunctionAsync("window.studio.ready === true");
        await page.ClickAsync($"#scenes li[data-id='{S}']");
        await page.WaitForFunctionAsync($"window.studio.ready === true && window.studio.state.scene?.id === '{S}'");

        // Three objects: the largest instances that are not wall or floor, each clicked where the page picks one of its points.
        var classes = ScanNetBenchmark.Semantic20Ids.ToList();
        var targets = instances.Select((id, p) => (id, p)).Where(t => t.id > 0 && scene.SemanticLabels![t.p] is not (1 or 2))
            .GroupBy(t => t.id).OrderByDescending(g => g.Count()).Select(g => g.Key).ToList();
        var annotated = new List<(int Instance, int Label, int Point)>();
        foreach (int instance in targets)
        {
            if (annotated.Count == 3) break;
            int label = scene.SemanticLabels![Array.IndexOf(instances, instance)];
            int index = classes.IndexOf(label);
            if (index < 0) continue;
            var spot = await VisiblePoint(page, instances, instance);
            if (spot is null) continue;
            await page.Keyboard.PressAsync(index < 10 ? $"Digit{(index + 1) % 10}" : $"Shift+Digit{(index - 9) % 10}");
            await page.Mouse.ClickAsync(spot.Value.X, spot.Value.Y);
            await page.WaitForFunctionAsync($"document.querySelectorAll('#objects li').length === {annotated.Count + 1}");
            annotated.Add((instance, label, spot.Value.Point));
        }
        Assert.Equal(3, annotated.Count);
        var hover = await VisiblePoint(page, instances, annotated[0].Instance);
        await page.Mouse.MoveAsync(hover!.Value.X, hover.Value.Y);
        await page.WaitForTimeoutAsync(300);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "studio-click.png") });

        // Refine object 2 with a negative click on a masked point that is not the object (or, when the mask is
        // exactly the object, on a part of it away from its click).
        await page.ClickAsync("#objects li[data-object='2'] button.refine");
        await page.WaitForFunctionAsync("window.studio.state.mode === 'refine' && window.studio.state.refine?.object === 2");
        var negative = await NegativeSpot(page, instances, annotated[1].Instance, annotated[1].Point, scene);
        Assert.NotNull(negative);
        await page.Keyboard.DownAsync("Shift");
        await page.Mouse.ClickAsync(negative.Value.X, negative.Value.Y);
        await page.Keyboard.UpAsync("Shift");
        await page.WaitForFunctionAsync("window.studio.state.refine.clicks.length === 1");
        Assert.False(await page.EvaluateAsync<bool>("window.studio.state.refine.clicks[0].positive"));
        int negativePoint = await page.EvaluateAsync<int>("window.studio.state.refine.clicks[0].point");
        Assert.Equal(0, await page.EvaluateAsync<int>($"window.studio.state.mask[{negativePoint}]"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "studio-refine.png") });

        // Reload: everything is there.
        await page.ReloadAsync();
        await ExpectEverything(page, url, annotated, negativePoint);

        // Kill the server and start a new one on the same state: everything is there.
        await studio.RestartAsync();
        url = studio.Url;
        await ExpectEverything(page, url, annotated, negativePoint);

        // Export: the clicks file has the three object clicks and the negative click, with the chosen classes.
        var http = studio.Http;
        using var clicks = JsonDocument.Parse(await http.GetStringAsync($"/api/scenes/{S}/export/clicks"));
        var list = clicks.RootElement.GetProperty("clicks").EnumerateArray().ToList();
        Assert.Equal("clickscape.clicks/1", clicks.RootElement.GetProperty("format").GetString());
        Assert.Equal(annotated.Select(a => (a.Label, a.Point, true)).Append((0, negativePoint, false)),
            list.Select(c => (c.GetProperty("label").GetInt32(), c.GetProperty("point").GetInt32(), c.GetProperty("positive").GetBoolean())));
        var instanceLines = (await http.GetStringAsync($"/api/scenes/{S}/export/instance")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(scene.PointCount, instanceLines.Length);
        Assert.Equal($"{annotated[1].Label * 1000 + 2}", instanceLines[annotated[1].Point]);

        // Two tabs: the second adds an object; the first, still on the old version, gets a 409 on its next
        // change, shows why, and reloads the other tab's work instead of overwriting it.
        var second = await studio.NewPageAsync();
        await second.GotoAsync($"{url}/?scene={S}");
        await second.WaitForFunctionAsync($"window.studio.ready === true && window.studio.state.scene?.id === '{S}'");
        var extra = await VisiblePoint(second, instances, targets.First(t => annotated.All(a => a.Instance != t) && classes.Contains(scene.SemanticLabels![Array.IndexOf(instances, t)])));
        Assert.NotNull(extra);
        await second.Mouse.ClickAsync(extra.Value.X, extra.Value.Y);
        await second.WaitForFunctionAsync("document.querySelectorAll('#objects li').length === 4");
        await page.ClickAsync("#objects li[data-object='3'] button.delete");
        await page.WaitForSelectorAsync("#error:not([hidden])");
        Assert.Contains("changed elsewhere", await page.Locator("#error").InnerTextAsync());
        await page.WaitForFunctionAsync("document.querySelectorAll('#objects li').length === 4");
        using var afterTabs = JsonDocument.Parse(await http.GetStringAsync($"/api/scenes/{S}/annotations"));
        Assert.Equal(4, afterTabs.RootElement.GetProperty("objects").GetArrayLength());

        Assert.Empty(studio.PageErrors);
        output.WriteLine($"screenshots in {shots}");
    }

    private static async Task ExpectEverything(IPage page, string url, List<(int Instance, int Label, int Point)> annotated, int negativePoint)
    {
        await page.GotoAsync($"{url}/?scene={S}");
        await page.WaitForFunctionAsync($"window.studio.ready === true && window.studio.state.scene?.id === '{S}'");
        Assert.Equal(3, await page.Locator("#objects li").CountAsync());
        Assert.Contains("(1)", await page.Locator("#objects li[data-object='2']").InnerTextAsync());
        var objects = await page.EvaluateAsync<JsonElement>("window.studio.state.annotations.objects");
        Assert.Equal(annotated.Select(a => (a.Label, a.Point)), objects.EnumerateArray().Select(o => (o.GetProperty("label").GetInt32(), o.GetProperty("point").GetInt32())));
        var refine = objects[1].GetProperty("refineClicks")[0];
        Assert.Equal(negativePoint, refine.GetProperty("point").GetInt32());
        Assert.False(refine.GetProperty("positive").GetBoolean());
        Assert.Contains("3 objects", await page.Locator("#progress").InnerTextAsync());
    }

    // A screen position where the page picks a point of the instance (trying points spread over it).
    private static async Task<(float X, float Y, int Point)?> VisiblePoint(IPage page, int[] instances, int instance)
    {
        var points = Enumerable.Range(0, instances.Length).Where(p => instances[p] == instance).ToList();
        for (int k = 0; k < 40; k++)
        {
            int p = points[(int)((long)k * points.Count / 40)];
            var spot = await ChromiumStudio.PickAsync(page, p);
            if (spot is { } s && s.Picked >= 0 && instances[s.Picked] == instance) return (s.X, s.Y, s.Picked);
        }
        return null;
    }

    // A screen position that picks a point inside the current mask, outside the object if the mask spills over,
    // and away from the object's own click.
    private static async Task<(float X, float Y)?> NegativeSpot(IPage page, int[] instances, int instance, int objectPoint, Geometry.Scenes.Scene scene)
    {
        int n = instances.Length;
        var mask = await page.EvaluateAsync<int[]>("Array.from(window.studio.state.mask)");
        bool Far(int p) => System.Numerics.Vector3.Distance(scene.Position(p), scene.Position(objectPoint)) > 0.3f;
        var candidates = Enumerable.Range(0, n).Where(p => mask[p] == 1 && instances[p] != instance && Far(p)).ToList();
        if (candidates.Count == 0) candidates = Enumerable.Range(0, n).Where(p => mask[p] == 1 && Far(p)).ToList();
        for (int k = 0; k < Math.Min(60, candidates.Count); k++)
        {
            int p = candidates[(int)((long)k * candidates.Count / Math.Min(60, candidates.Count))];
            var spot = await ChromiumStudio.PickAsync(page, p);
            if (spot is { } s && s.Picked >= 0 && mask[s.Picked] == 1 && Far(s.Picked)) return (s.X, s.Y);
        }
        return null;
    }
}
