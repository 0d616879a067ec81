using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Data.Synthetic.Scenes;
using Clickscape.Geometry.Scenes;
using Clickscape.Studio;
using Microsoft.AspNetCore.Builder;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape bench studio [--points 150000] [--large 3000000] [--repeat 5] [--chromium PATH] [--json F]</c>: the
/// three performance targets of Clickscape Studio (issue 13), on a real Kestrel server on loopback and headless
/// Chromium (SwiftShader WebGL) driven over the DevTools protocol:
/// <list type="number">
/// <item>opening a <c>--points</c> scene: the HTTP requests a page makes (info, points, segments, annotations, labels)
/// and, in the browser, from the click on the scene to the first full draw (target &lt; 1 s);</item>
/// <item>a <c>--large</c> scan: transfer and first draw of the level-0 preview and of the full resolution;</item>
/// <item>a refine click: the segmenter's time (<c>computeMs</c>) and the rest — request, transfer, unpacking, recolouring
/// and drawing (target: under 50 ms on top of the interactive latency).</item>
/// </list>
/// The scenes are a generated large room (seed 1) densified with jittered copies of its points to the sizes asked
/// for. Medians of <c>--repeat</c> runs after one warm-up each; the first (cold) load of each scene by the server
/// is reported on its own. Timings are printed as JSON, never stored in the repository.
/// </summary>
internal static class BenchStudioCommand
{
    public static Command Create()
    {
        var points = new Option<int>("--points") { Description = "Points of the scene whose opening is timed.", DefaultValueFactory = _ => 150_000 };
        var large = new Option<int>("--large") { Description = "Points of the large scan (transfer + first draw); 0 skips it.", DefaultValueFactory = _ => 3_000_000 };
        var repeat = new Option<int>("--repeat") { Description = "Timed runs of each measurement after one warm-up.", DefaultValueFactory = _ => 5 };
        var chromium = new Option<string>("--chromium") { Description = "Chromium executable (headless).", DefaultValueFactory = _ => "/usr/bin/chromium" };
        var json = new Option<string?>("--json") { Description = "Also write the JSON result to this file." };
        var command = new Command("studio", "Time Clickscape Studio: open a 150k-point scene, transfer + draw a 3M-point scan, mask update after a refine click.")
        {
            points, large, repeat, chromium, json,
        };
        CommandAction.Set(command, (parse, output) =>
        {
            int n = parse.GetValue(points), m = parse.GetValue(large), k = parse.GetValue(repeat);
            if (n < 1000) throw new UsageException($"--points {n}: expected at least 1000");
            if (m is < 0 or > 20_000_000) throw new UsageException($"--large {m}: expected 0 (skip) .. 20000000");
            if (k < 1) throw new UsageException($"--repeat {k}: expected at least one timed run");
            var browser = parse.GetValue(chromium)!;
            if (!File.Exists(browser)) throw new UsageException($"--chromium {browser}: no such program (apt-get install chromium)");
            var text = MeasureAsync(n, m, k, browser, parse.InvocationConfiguration.Error).GetAwaiter().GetResult();
            output.WriteLine(text);
            if (parse.GetValue(json) is { } path) AtomicFile.WriteAllText(path, text + "\n");
            return 0;
        });
        return command;
    }

    private static async Task<string> MeasureAsync(int points, int large, int repeat, string chromium, TextWriter log)
    {
        var root = Path.Combine(Path.GetTempPath(), "clickscape-bench-studio-" + Guid.NewGuid().ToString("N"));
        try
        {
            log.WriteLine($"bench studio: generating scenes of {points:N0}{(large > 0 ? $" and {large:N0}" : "")} points in {root}");
            var room = SceneGenerator.Generate(1, 0, SceneSize.Large);
            const string Open = "scene0150_00", Large = "scene3000_00";
            WriteDensified(root, Open, room, points);
            if (large > 0) WriteDensified(root, Large, room, large);

            var app = StudioServer.Build(new StudioOptions { DataPath = root, StatePath = Path.Combine(root, "state"), Port = 0 });
            await app.StartAsync();
            try
            {
                var url = app.Urls.First();
                using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
                var result = new JsonObject
                {
                    ["date"] = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                    ["cores"] = Environment.ProcessorCount,
                    ["repeat"] = repeat,
                };

                // 1. open: the server's first load, then the requests of an open, over loopback
                var cold = Stopwatch.StartNew();
                await http.GetStringAsync($"/api/scenes/{Open}");
                double coldMs = cold.Elapsed.TotalMilliseconds;
                var (httpMs, bytes) = await OpenOverHttp(http, Open, repeat);
                result["open"] = new JsonObject
                {
                    ["points"] = points,
                    ["server_first_load_ms"] = Math.Round(coldMs, 1),
                    ["http_ms"] = Math.Round(httpMs, 1),
                    ["bytes"] = bytes,
                };

                await using var page = await DevToolsPage.LaunchAsync(chromium, 1280, 800);
                await page.NavigateAsync(url + "/");
                await page.WaitForAsync("window.studio && window.studio.ready === true", TimeSpan.FromMinutes(1));
                var open = await OpenInBrowser(page, Open, repeat);
                ((JsonObject)result["open"]!)["browser_full_draw_ms"] = Math.Round(open.Full, 1);
                ((JsonObject)result["open"]!)["browser_transfer_ms"] = Math.Round(open.Transferred, 1);

                // 3. refine clicks on the open scene
                result["refine"] = await RefineInBrowser(http, page, Open, points, repeat);

                // 2. the large scan: the server loads it once (untimed here, reported), then transfer + first draws
                if (large > 0)
                {
                    cold.Restart();
                    await http.GetStringAsync($"/api/scenes/{Large}");
                    double largeCold = cold.Elapsed.TotalMilliseconds;
                    await http.GetByteArrayAsync($"/api/scenes/{Large}/preview");
                    var big = await OpenInBrowser(page, Large, repeat);
                    result["large"] = new JsonObject
                    {
                        ["points"] = large,
                        ["server_first_load_ms"] = Math.Round(largeCold, 1),
                        ["browser_preview_draw_ms"] = big.Preview is double p ? Math.Round(p, 1) : null,
                        ["browser_transfer_ms"] = Math.Round(big.Transferred, 1),
                        ["browser_full_draw_ms"] = Math.Round(big.Full, 1),
                        ["refine"] = await RefineInBrowser(http, page, Large, large, repeat),
                    };
                }
                return result.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            }
            finally
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // left in the temp folder
            }
        }
    }

    // The room's points repeated with a deterministic jitter of ±1 cm until there are `count`, labels and segments carried along.
    private static void WriteDensified(string root, string id, SyntheticScene room, int count)
    {
        var s = room.Scene;
        int n = s.PointCount;
        var positions = new float[3 * count];
        var colors = new byte[3 * count];
        var semantic = new int[count];
        var instance = new int[count];
        var segments = new int[count];
        for (int i = 0; i < count; i++)
        {
            int p = i % n, copy = i / n;
            for (int a = 0; a < 3; a++)
            {
                uint h = (uint)(i * 2654435761u) ^ (uint)(a * 40503 + copy * 9973);
                h ^= h >> 13;
                h *= 0x5bd1e995;
                h ^= h >> 15;
                float jitter = copy == 0 ? 0 : ((h & 0xffff) / 65535f - 0.5f) * 0.02f;
                positions[3 * i + a] = s.Positions[3 * p + a] + jitter;
                colors[3 * i + a] = s.Colors is { } c ? c[3 * p + a] : (byte)180;
            }
            semantic[i] = s.SemanticLabels?[p] ?? 0;
            instance[i] = s.InstanceIds?[p] ?? 0;
            segments[i] = room.SegIndices[p];
        }
        var scene = new Scene(id, positions) { Colors = colors, SemanticLabels = semantic, InstanceIds = instance, Classes = s.Classes };
        ScanNetSceneWriter.Write(Path.Combine(root, "scans"), id, scene, segments);
    }

    private static async Task<(double Ms, long Bytes)> OpenOverHttp(HttpClient http, string id, int repeat)
    {
        string[] paths = [$"/api/scenes/{id}", $"/api/scenes/{id}/points", $"/api/scenes/{id}/segments", $"/api/scenes/{id}/annotations", $"/api/scenes/{id}/labels?source=annotation"];
        long bytes = 0;
        var times = new List<double>();
        for (int r = 0; r <= repeat; r++)
        {
            var clock = Stopwatch.StartNew();
            long b = 0;
            foreach (var path in paths) b += (await http.GetByteArrayAsync(path)).Length;
            if (r > 0) times.Add(clock.Elapsed.TotalMilliseconds); // run 0 warms up
            bytes = b;
        }
        return (BenchStatistics.Median(times), bytes);
    }

    private static async Task<(double Full, double Transferred, double? Preview)> OpenInBrowser(DevToolsPage page, string id, int repeat)
    {
        var full = new List<double>();
        var transferred = new List<double>();
        var preview = new List<double>();
        for (int r = 0; r <= repeat; r++)
        {
            var t = await page.EvaluateAsync($"window.studio.openScene('{id}').then(() => window.studio.timings)");
            if (r == 0) continue;
            double start = t.GetProperty("start").GetDouble();
            full.Add(t.GetProperty("full").GetDouble() - start);
            transferred.Add(t.GetProperty("transferred").GetDouble() - start);
            if (t.TryGetProperty("preview", out var p)) preview.Add(p.GetDouble() - start);
        }
        return (BenchStatistics.Median(full), BenchStatistics.Median(transferred), preview.Count > 0 ? BenchStatistics.Median(preview) : null);
    }

    private static async Task<JsonObject> RefineInBrowser(HttpClient http, DevToolsPage page, string id, int points, int repeat)
    {
        // an object at the point nearest the middle of the point list's first copy, then clicks spread over the scene
        var info = await http.GetFromJsonAsync<JsonElement>($"/api/scenes/{id}/annotations");
        int version = info.GetProperty("version").GetInt32();
        var added = await http.PostAsJsonAsync($"/api/scenes/{id}/objects", new { version, label = 5, point = points / 3, seconds = 0 });
        added.EnsureSuccessStatusCode();
        int obj = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("object").GetInt32();
        await page.EvaluateAsync($"window.studio.openScene('{id}')");
        var opening = Stopwatch.StartNew();
        await page.EvaluateAsync($"window.studio.setMode('refine', {obj})");
        await page.WaitForAsync($"window.studio.state.refine && window.studio.state.refine.object === {obj}", TimeSpan.FromMinutes(30));
        double refineOpenMs = opening.Elapsed.TotalMilliseconds;
        var total = new List<double>();
        var compute = new List<double>();
        var overhead = new List<double>();
        var request = new List<double>();
        var colour = new List<double>();
        var draw = new List<double>();
        double? first = null;
        for (int r = 0; r <= repeat; r++)
        {
            int point = (int)((long)(r + 1) * 7919 % points);
            var t = await page.EvaluateAsync($"window.studio.refineClick({point}, {(r % 2 == 0 ? "false" : "true")})");
            if (t.ValueKind != JsonValueKind.Object) continue;
            if (r == 0)
            {
                first = t.GetProperty("total").GetDouble();
                continue;
            }
            total.Add(t.GetProperty("total").GetDouble());
            compute.Add(t.GetProperty("compute").GetDouble());
            overhead.Add(t.GetProperty("overhead").GetDouble());
            request.Add(t.GetProperty("request").GetDouble());
            colour.Add(t.GetProperty("colour").GetDouble());
            draw.Add(t.GetProperty("draw").GetDouble());
        }
        return new JsonObject
        {
            ["clicks"] = total.Count,
            ["refine_open_ms"] = Math.Round(refineOpenMs, 1), // entering refine builds the scene's refiner (segment graph) once
            ["first_click_ms"] = first is double f ? Math.Round(f, 1) : null,
            ["total_ms"] = total.Count > 0 ? Math.Round(BenchStatistics.Median(total), 1) : null,
            ["segmenter_ms"] = compute.Count > 0 ? Math.Round(BenchStatistics.Median(compute), 1) : null,
            ["transfer_and_draw_ms"] = overhead.Count > 0 ? Math.Round(BenchStatistics.Median(overhead), 1) : null,
            ["request_ms"] = request.Count > 0 ? Math.Round(BenchStatistics.Median(request), 1) : null,
            ["unpack_and_colour_ms"] = colour.Count > 0 ? Math.Round(BenchStatistics.Median(colour), 1) : null,
            ["draw_ms"] = draw.Count > 0 ? Math.Round(BenchStatistics.Median(draw), 1) : null,
        };
    }

}
