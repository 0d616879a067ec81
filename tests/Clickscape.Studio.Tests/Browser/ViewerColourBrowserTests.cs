using System.Net.Http.Json;
using System.Text.Json;

namespace Clickscape.Studio.Tests.Browser;

/// <summary>
/// What the viewer draws, read back from the canvas in headless Chromium: the colour buffer of a colour mode holds the
/// palette's colours, every pixel is the background or the colour of a point (the bytes go to the screen unchanged:
/// no colour-space conversion, no blending), and a refine answer's partial frame (only the changed points drawn again
/// over the last frame) is pixel for pixel the frame a whole redraw gives.
/// </summary>
public class ViewerColourBrowserTests
{
    private const string S = StudioDataset.Scene;

    [Fact]
    public async Task Palette_colours_reach_the_pixels_and_a_partial_frame_equals_a_whole_one()
    {
        var scene = Clickscape.Data.SceneLoader.Load(Path.Combine(StudioDataset.Path0, "scans", S));
        int n = scene.PointCount;
        var options = new StudioOptions
        {
            DataPath = StudioDataset.Path0,
            Port = 0,
            StatePath = Path.Combine(Path.GetTempPath(), "clickscape-studio-colour-" + Guid.NewGuid().ToString("N")),
        };
        try
        {
            await using var studio = await ChromiumStudio.StartAsync(options);
            var http = studio.Http;
            var palette = (await http.GetFromJsonAsync<JsonElement>("/api/classes")).EnumerateArray()
                .ToDictionary(c => c.GetProperty("id").GetInt32(), c => c.GetProperty("color").EnumerateArray().Select(v => v.GetInt32()).ToArray());
            int anchor = Array.FindIndex(scene.InstanceIds!, v => v > 0);
            var added = await http.PostAsJsonAsync($"/api/scenes/{S}/objects", new { version = 0, label = 5, point = anchor, seconds = 1 });
            added.EnsureSuccessStatusCode();
            int obj = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("object").GetInt32();

            var page = await studio.NewPageAsync();
            await studio.OpenAsync(page, S);

            // Ground-truth semantic colours: each point's colour is its class's palette colour (unlabelled: grey 60).
            await page.SelectOptionAsync("#color-by", "gt-semantic");
            await page.WaitForFunctionAsync("window.studio.state.colorBy === 'gt-semantic'");
            var colours = await page.EvaluateAsync<int[]>("Array.from(window.studio.pointColors())");
            Assert.Equal(4 * n, colours.Length);
            int compared = 0;
            for (int p = 0; p < n; p++)
            {
                int label = scene.SemanticLabels![p];
                int[]? expected = label == 0 ? [60, 60, 60] : palette.GetValueOrDefault(label);
                if (expected is null) continue; // a class outside the palette has a hashed colour
                var actual = colours.AsSpan(4 * p, 3);
                Assert.True(actual.SequenceEqual(expected), $"point {p} (class {label}): {string.Join(",", actual.ToArray())}, expected {string.Join(",", expected)}");
                compared++;
            }
            Assert.True(compared > 0.9 * n, $"only {compared} of {n} points have a palette class");

            // The pixels: the background or a point's colour, unchanged; the commonest classes' colours are on screen.
            await page.EvaluateAsync("window.studio.drawWhole()");
            var shown = await Histogram(page);
            var allowed = Enumerable.Range(0, n).Select(p => $"{colours[4 * p]},{colours[4 * p + 1]},{colours[4 * p + 2]}").ToHashSet();
            allowed.Add("21,23,26"); // the background, #15171a
            Assert.All(shown.Keys, c => Assert.True(allowed.Contains(c), $"pixel colour {c} is no point's colour"));
            foreach (int label in scene.SemanticLabels!.Where(palette.ContainsKey).GroupBy(l => l).OrderByDescending(g => g.Count()).Take(3).Select(g => g.Key))
                Assert.True(shown.ContainsKey(string.Join(",", palette[label])), $"class {label}'s colour is not on screen");

            // Refine: the answer's diff is drawn as a partial frame, equal to drawing it all again.
            await page.SelectOptionAsync("#color-by", "rgb");
            await page.EvaluateAsync($"window.studio.setMode('refine', {obj})");
            await page.WaitForFunctionAsync($"window.studio.state.refine?.object === {obj}");
            await page.EvaluateAsync("window.studio.drawWhole()");
            int masked = await page.EvaluateAsync<int>("Array.from(window.studio.state.mask).lastIndexOf(1)");
            Assert.True(masked >= 0, "the object's mask is empty");
            var timings = await page.EvaluateAsync<JsonElement>($"window.studio.refineClick({masked}, false)");
            Assert.True(timings.GetProperty("diff").GetBoolean(), "the refine answer was no diff");
            Assert.Equal("partial", await page.EvaluateAsync<string>("window.studio.lastFrame"));
            int drawn = await page.EvaluateAsync<int>("window.studio.lastDraws.reduce((sum, r) => sum + r[1], 0)");
            Assert.InRange(drawn, 1, n - 1);
            int differing = await page.EvaluateAsync<int>(@"(() => {
                const partial = window.studio.canvasPixels().slice();
                window.studio.drawWhole();
                const whole = window.studio.canvasPixels();
                let d = 0;
                for (let i = 0; i < whole.length; i += 4) if (whole[i] !== partial[i] || whole[i + 1] !== partial[i + 1] || whole[i + 2] !== partial[i + 2]) d++;
                return d;
            })()");
            Assert.Equal(0, differing);
            Assert.Equal("whole", await page.EvaluateAsync<string>("window.studio.lastFrame"));
            Assert.Empty(studio.PageErrors);
        }
        finally
        {
            Directory.Delete(options.StatePath, recursive: true);
        }
    }

    // How many pixels of the canvas show each colour ("r,g,b").
    private static async Task<Dictionary<string, int>> Histogram(Microsoft.Playwright.IPage page) =>
        await page.EvaluateAsync<Dictionary<string, int>>(@"(() => {
            const pixels = window.studio.canvasPixels(), counts = {};
            for (let i = 0; i < pixels.length; i += 4) { const k = `${pixels[i]},${pixels[i + 1]},${pixels[i + 2]}`; counts[k] = (counts[k] ?? 0) + 1; }
            return counts;
        })()");
}
