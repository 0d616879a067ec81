using System.Net.Http.Json;
using System.Text.Json;
using Clickscape.Data;
using Clickscape.Studio.Tests.Api;
using Clickscape.Studio.Tests.Interactive;
using Microsoft.Playwright;

namespace Clickscape.Studio.Tests.Browser;

/// <summary>
/// Refine through the trained interactive network in headless Chromium (<c>serve --interactive RUN</c>, a tiny trained
/// <c>interactive-fast</c> run): the refine panel names the model, a positive and a negative click go through it and the
/// page's mask — updated from the answers' diffs, recoloured and uploaded only where it changed — is the server's; the
/// segmenter select switches the object to the fallback, which the tab remembers over a reload while another tab keeps
/// the model.
/// </summary>
public class InteractiveBrowserTests
{
    private const string S = StudioDataset.Scene;

    [Fact]
    public async Task Refine_through_the_model_and_switch_to_the_fallback_in_the_browser()
    {
        var scene = SceneLoader.Load(Path.Combine(StudioDataset.Path0, "scans", S));
        var options = new StudioOptions
        {
            DataPath = StudioDataset.Path0,
            Port = 0,
            StatePath = Path.Combine(Path.GetTempPath(), "clickscape-studio-model-e2e-" + Guid.NewGuid().ToString("N")),
            InteractiveRunPath = TinyInteractiveRun.Path0,
        };
        try
        {
            await RefineAndSwitch(options, scene);
        }
        finally
        {
            Directory.Delete(options.StatePath, recursive: true);
        }
    }

    private static async Task RefineAndSwitch(StudioOptions options, Geometry.Scenes.Scene scene)
    {
        var ids = scene.InstanceIds!;
        int n = scene.PointCount;
        await using var studio = await ChromiumStudio.StartAsync(options);
        var http = studio.Http;
        int target = ids.Where((v, p) => v > 0 && scene.SemanticLabels![p] is not (1 or 2)).GroupBy(v => v).OrderByDescending(g => g.Count()).First().Key;
        int anchor = Array.IndexOf(ids, target);
        var added = await http.PostAsJsonAsync($"/api/scenes/{S}/objects", new { version = 0, label = 5, point = anchor, seconds = 1 });
        added.EnsureSuccessStatusCode();
        int obj = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("object").GetInt32();

        var page = await studio.NewPageAsync();
        await studio.OpenAsync(page, S);
        await page.EvaluateAsync($"window.studio.setMode('refine', {obj})");
        await page.WaitForFunctionAsync($"window.studio.state.refine?.object === {obj}");
        Assert.Equal("model", await page.InputValueAsync("#refine-segmenter"));
        Assert.Contains("interactive-fast", await page.Locator("#refine-segmenter option[value='model']").InnerTextAsync());
        await ExpectServersMask(page, http, obj, "model", n);

        // a positive and a negative click, each on a point the page picks far from the object's own click
        int diffs = 0;
        var used = new List<int>();
        foreach (bool positive in new[] { true, false })
        {
            var spot = await FarSpot(page, scene, anchor, used);
            Assert.NotNull(spot);
            used.Add(spot.Value.Point);
            if (!positive) await page.Keyboard.DownAsync("Shift");
            await page.Mouse.ClickAsync(spot.Value.X, spot.Value.Y);
            if (!positive) await page.Keyboard.UpAsync("Shift");
            await page.WaitForFunctionAsync($"window.studio.state.refine.clicks.length === {used.Count}");
            var timings = await page.EvaluateAsync<JsonElement>("window.studio.timings.refine");
            Assert.Equal("model", timings.GetProperty("segmenter").GetString());
            Assert.Equal(positive, await page.EvaluateAsync<bool>($"window.studio.state.refine.clicks[{used.Count - 1}].positive"));
            if (timings.GetProperty("diff").GetBoolean())
            {
                diffs++;
                // only the changed part of the colour buffer went up
                var upload = await page.EvaluateAsync<JsonElement>("window.studio.lastUpload");
                Assert.Equal(JsonValueKind.Array, upload.ValueKind);
                Assert.True(upload.EnumerateArray().Sum(r => r[1].GetInt32()) < n, "a diff uploaded the whole colour buffer");
            }
            await ExpectServersMask(page, http, obj, "model", n);
        }
        Assert.True(diffs > 0, "no refine answer was a diff");

        // the fallback for this object, remembered by this tab over a reload; another tab starts on the model
        await page.SelectOptionAsync("#refine-segmenter", "fallback");
        await page.WaitForFunctionAsync("window.studio.state.refine?.segmenter === 'fallback'");
        Assert.Contains("segment-random-walk", await page.Locator("#refine-status").InnerTextAsync());
        await ExpectServersMask(page, http, obj, "fallback", n);
        await page.ReloadAsync();
        await page.WaitForFunctionAsync($"window.studio.ready === true && window.studio.state.scene?.id === '{S}'");
        await page.EvaluateAsync($"window.studio.setMode('refine', {obj})");
        await page.WaitForFunctionAsync($"window.studio.state.refine?.object === {obj}");
        Assert.Equal("fallback", await page.EvaluateAsync<string>("window.studio.state.refine.segmenter"));
        Assert.Equal("fallback", await page.InputValueAsync("#refine-segmenter"));
        Assert.Equal(2, await page.EvaluateAsync<int>("window.studio.state.refine.clicks.length"));

        var other = await studio.NewPageAsync();
        await studio.OpenAsync(other, S);
        await other.EvaluateAsync($"window.studio.setMode('refine', {obj})");
        await other.WaitForFunctionAsync($"window.studio.state.refine?.object === {obj}");
        Assert.Equal("model", await other.EvaluateAsync<string>("window.studio.state.refine.segmenter"));
        await ExpectServersMask(other, http, obj, "model", n);

        Assert.Empty(studio.PageErrors);
    }

    // The page's mask is the one the server holds for the object on that segmenter.
    private static async Task ExpectServersMask(IPage page, HttpClient http, int obj, string segmenter, int n)
    {
        var (_, state) = await http.Get($"/api/scenes/{S}/objects/{obj}/refine?segmenter={segmenter}");
        var server = ApiClient.Mask(state, n);
        var shown = await page.EvaluateAsync<int[]>("Array.from(window.studio.state.mask)");
        Assert.Equal(server.Select(b => b ? 1 : 0), shown);
    }

    // A screen position where the page picks a point more than 0.5 m from the anchor and from the points used already.
    private static async Task<(float X, float Y, int Point)?> FarSpot(IPage page, Geometry.Scenes.Scene scene, int anchor, List<int> used)
    {
        bool Far(int p) => used.Append(anchor).All(q => System.Numerics.Vector3.Distance(scene.Position(p), scene.Position(q)) > 0.5f);
        var candidates = Enumerable.Range(0, scene.PointCount).Where(Far).ToList();
        for (int k = 0; k < 60; k++)
        {
            int p = candidates[(int)((long)k * candidates.Count / 60)];
            if (await ChromiumStudio.PickAsync(page, p) is (var x, var y, var picked) && picked >= 0 && Far(picked)) return (x, y, picked);
        }
        return null;
    }
}
