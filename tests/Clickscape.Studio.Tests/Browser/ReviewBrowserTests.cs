using System.Text.Json;
using Clickscape.Data;
using Clickscape.Studio.Tests.Api;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Clickscape.Studio.Tests.Browser;

/// <summary>
/// Review mode and the closed loop in headless Chromium: a scene opened through its level-0 preview, predictions of
/// <c>serve --run</c> walked by confidence and accepted, relabelled, deleted and fixed with a negative click from the
/// keyboard; everything there after a reload; the ceiling cut-away hides and un-picks the points above it; then
/// "Train + pseudo-label" on the page runs a tiny ClickSeg job (serve --train-config) and its labels are reviewed.
/// Screenshots go to <c>$CLICKSCAPE_SCREENSHOTS</c> (docs/studio-review.png, studio-jobs.png, studio-cutaway.png).
/// </summary>
public class ReviewBrowserTests(ITestOutputHelper output)
{
    private const string S = StudioDataset.Scene;

    [Fact]
    public async Task Review_predictions_cut_away_and_train_from_the_page()
    {
        var (predictions, written) = ReviewApiTests.WritePredictions();
        var state = Path.Combine(Path.GetTempPath(), "clickscape-studio-review-e2e-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(state);
        var trainConfig = Path.Combine(state, "tiny.json");
        File.WriteAllText(trainConfig, JobsApiTests.TinyClickConfig(1).ToJsonString());
        var options = new StudioOptions
        {
            DataPath = StudioDataset.Path0,
            RunPath = predictions,
            Port = 0,
            StatePath = Path.Combine(state, "db"),
            ClickscapeCommand = JobsApiTests.Clickscape,
            TrainConfigPath = trainConfig,
            LodThreshold = 5000, // the 26 000-point test scene opens through a level-0 preview
            PreviewPoints = 2000,
        };
        var shots = Environment.GetEnvironmentVariable("CLICKSCAPE_SCREENSHOTS") ?? state;
        Directory.CreateDirectory(shots);
        var scene = SceneLoader.Load(Path.Combine(StudioDataset.Path0, "scans", S));

        await using var studio = await ChromiumStudio.StartAsync(options);
        var url = studio.Url;
        var http = studio.Http;
        var page = await studio.NewPageAsync();
        await page.GotoAsync($"{url}/?scene={S}");
        await page.WaitForFunctionAsync($"window.studio.ready === true && window.studio.state.scene?.id === '{S}'");
        var timings = await page.EvaluateAsync<JsonElement>("window.studio.timings");
        Assert.True(timings.TryGetProperty("preview", out var preview), "the level-0 preview was drawn");
        Assert.True(preview.GetDouble() <= timings.GetProperty("full").GetDouble());
        Assert.True(await page.EvaluateAsync<bool>("window.studio.state.full"));

        // review: the list is by descending confidence
        await page.Keyboard.PressAsync("v");
        await page.WaitForFunctionAsync("window.studio.state.mode === 'review' && window.studio.state.review.loaded === 'run'");
        Assert.Equal(written.Count, await page.Locator("#review-list li").CountAsync());
        var confidences = await page.EvaluateAsync<double[]>("window.studio.state.review.list.map(i => i.confidence)");
        Assert.Equal(confidences.OrderByDescending(c => c), confidences);
        var order = await page.EvaluateAsync<int[]>("window.studio.state.review.list.map(i => i.instance)");
        // the highlighted mask is the first instance
        var shown = await page.EvaluateAsync<int[]>("Array.from(window.studio.state.review.mask).flatMap((m, i) => m ? [i] : [])");
        Assert.Equal(written[order[0]].Points, shown);

        // A accepts and moves on; a class key + E relabels; D deletes
        await page.Keyboard.PressAsync("a");
        await page.WaitForFunctionAsync("window.studio.state.review.list[0].status === 'accepted' && window.studio.state.review.index === 1");
        await page.Keyboard.PressAsync("Digit5");
        int chosen = await page.EvaluateAsync<int>("window.studio.state.classes[4].id");
        await page.Keyboard.PressAsync("e");
        await page.WaitForFunctionAsync("window.studio.state.review.list[1].status === 'relabelled'");
        await page.Keyboard.PressAsync("d");
        await page.WaitForFunctionAsync("window.studio.state.review.list[2].status === 'deleted' && window.studio.state.review.index === 3 && window.studio.state.review.mask !== null");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "studio-review.png") });

        // F takes the fourth over and opens refine on it; a negative click far from its anchor removes that part
        await page.Keyboard.PressAsync("f");
        await page.WaitForFunctionAsync("window.studio.state.mode === 'refine' && window.studio.state.refine !== null");
        int fixedObject = await page.EvaluateAsync<int>("window.studio.state.selected");
        var prior = written[order[3]].Points;
        var spot = await FarVisiblePoint(page, scene, prior, await page.EvaluateAsync<int>($"window.studio.state.annotations.objects.find(o => o.object === {fixedObject}).point"));
        Assert.NotNull(spot);
        await page.Keyboard.DownAsync("Shift");
        await page.Mouse.ClickAsync(spot.Value.X, spot.Value.Y);
        await page.Keyboard.UpAsync("Shift");
        await page.WaitForFunctionAsync("window.studio.state.refine.clicks.length === 1");
        var fixedMask = await page.EvaluateAsync<int[]>("Array.from(window.studio.state.mask).flatMap((m, i) => m ? [i] : [])");
        Assert.DoesNotContain(spot.Value.Point, fixedMask);
        Assert.All(fixedMask, p => Assert.Contains(p, prior));
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("window.studio.state.mode === 'click'");

        // reload: the decisions and the objects are there
        await page.ReloadAsync();
        await page.WaitForFunctionAsync($"window.studio.ready === true && window.studio.state.scene?.id === '{S}'");
        await page.Keyboard.PressAsync("v");
        await page.WaitForFunctionAsync("window.studio.state.mode === 'review' && window.studio.state.review.loaded === 'run'");
        Assert.Equal(["accepted", "relabelled", "deleted", "fixed", "pending"], await page.EvaluateAsync<string[]>("window.studio.state.review.list.slice(0, 5).map(i => i.status)"));
        using (var annotations = JsonDocument.Parse(await http.GetStringAsync($"/api/scenes/{S}/annotations")))
        {
            var objects = annotations.RootElement.GetProperty("objects").EnumerateArray().ToList();
            Assert.Equal(3, objects.Count);
            Assert.Equal([written[order[0]].Label, chosen, written[order[3]].Label], objects.Select(o => o.GetProperty("label").GetInt32()));
            Assert.True(objects.All(o => o.GetProperty("accepted").GetBoolean()));
        }

        // the ceiling cut-away: a point in the top tenth is picked before the cut and not after it
        await page.Keyboard.PressAsync("c");
        var (min, max) = scene.Bounds();
        float top = min.Z + 0.9f * (max.Z - min.Z);
        (float X, float Y, int Point)? high = null;
        foreach (int p in Enumerable.Range(0, scene.PointCount).Where(p => scene.Position(p).Z > top).Take(400))
        {
            var at = await page.EvaluateAsync<JsonElement>($"window.studio.projectPoint({p})");
            float x = at.GetProperty("x").GetSingle(), y = at.GetProperty("y").GetSingle();
            if (x < 310 || x > 1275 || y < 5 || y > 795) continue;
            int picked = await page.EvaluateAsync<int>($"window.studio.pickAt({x}, {y})");
            if (picked >= 0 && scene.Position(picked).Z > top) { high = (x, y, picked); break; }
        }
        Assert.NotNull(high);
        await page.Locator("#cut").FillAsync("50");
        int after = await page.EvaluateAsync<int>($"window.studio.pickAt({high.Value.X}, {high.Value.Y})");
        Assert.True(after < 0 || scene.Position(after).Z <= min.Z + 0.5f * (max.Z - min.Z) + 1e-4f, $"picked {after} above the cut");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "studio-cutaway.png") });
        await page.Locator("#cut").FillAsync("100");

        // the closed loop on the page: train on the clicked scan, then review the job's pseudo labels
        await page.ClickAsync("#job-train");
        await page.WaitForSelectorAsync("#job-review:not([hidden])", new PageWaitForSelectorOptions { Timeout = 300_000 });
        Assert.Contains("succeeded", await page.Locator("#job-status").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(shots, "studio-jobs.png") });
        await page.ClickAsync("#job-review");
        await page.WaitForFunctionAsync("window.studio.state.mode === 'review' && window.studio.state.review.loaded === 'job-1'");
        await page.Keyboard.PressAsync("a");
        await page.WaitForFunctionAsync("window.studio.state.annotations.objects.length === 4");

        Assert.Empty(studio.PageErrors);
        output.WriteLine($"screenshots in {shots}");
    }

    // A screen position that picks a point of the mask far (> 0.3 m) from the anchor.
    private static async Task<(float X, float Y, int Point)?> FarVisiblePoint(IPage page, Geometry.Scenes.Scene scene, int[] mask, int anchor)
    {
        var far = mask.Where(p => System.Numerics.Vector3.Distance(scene.Position(p), scene.Position(anchor)) > 0.3f).ToList();
        for (int k = 0; k < Math.Min(60, far.Count); k++)
        {
            int p = far[(int)((long)k * far.Count / Math.Min(60, far.Count))];
            if (await ChromiumStudio.PickAsync(page, p) is not (var x, var y, var picked)) continue;
            if (picked >= 0 && mask.Contains(picked) && System.Numerics.Vector3.Distance(scene.Position(picked), scene.Position(anchor)) > 0.3f) return (x, y, picked);
        }
        return null;
    }
}
