using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Clickscape.Data;
using Clickscape.Data.IO;
using Clickscape.Geometry.Interactive;
using Clickscape.Studio.Api;
using Clickscape.Studio.Tests.Interactive;
using Clickscape.Training.Methods.Interactive;

namespace Clickscape.Studio.Tests.Api;

/// <summary>
/// Refine through a trained interactive network (<c>serve --interactive RUN</c>): the masks are the network's (checked
/// against an <see cref="InteractiveSession"/> opened on the run by <see cref="InteractiveEvaluation"/>, the loading path
/// of <c>interactive evaluate</c>), the fallback on request, diffs that rebuild the server's mask, requests that wait
/// while the scene's features are computed, a bounded feature cache, concurrent refines, and a run that does not load.
/// </summary>
public class InteractiveRefineApiTests
{
    private const string S = StudioDataset.Scene;
    private const string S2 = "scene0001_00";

    private static Geometry.Scenes.Scene Load(string id) => SceneLoader.Load(Path.Combine(StudioDataset.Path0, "scans", id));

    private static readonly Lazy<Geometry.Scenes.Scene> Room = new(() => Load(S));

    private static Task<StudioHost> StartWithModel(Func<StudioOptions, StudioOptions>? with = null) =>
        StudioHost.StartAsync(with: o => (with ?? (x => x))(o with { InteractiveRunPath = TinyInteractiveRun.Path0 }));

    // The points of the largest object that is not wall or floor: its first point, and a point far (> 0.5 m) from it.
    private static (int Point, int Far) Points(Geometry.Scenes.Scene scene)
    {
        var ids = scene.InstanceIds!;
        int id = ids.Where((v, p) => v > 0 && scene.SemanticLabels![p] is not (1 or 2)).GroupBy(v => v).OrderByDescending(g => g.Count()).First().Key;
        int point = Array.IndexOf(ids, id);
        int far = Enumerable.Range(0, scene.PointCount).First(p => System.Numerics.Vector3.Distance(scene.Position(p), scene.Position(point)) > 0.5f);
        return (point, far);
    }

    // The mask of an answer: the whole one, or the diff applied to the mask the request named.
    private static bool[] MaskOf(JsonElement answer, bool[] held, long heldId)
    {
        if (answer.GetProperty("mask").ValueKind == JsonValueKind.String) return ApiClient.Mask(answer, held.Length);
        Assert.Equal(heldId, answer.GetProperty("diffBase").GetInt64());
        var mask = (bool[])held.Clone();
        MaskDiff.Apply(mask, Convert.FromBase64String(answer.GetProperty("diff").GetString()!));
        return mask;
    }

    [Fact]
    public async Task Refine_uses_the_model_and_the_fallback_on_request_and_diffs_rebuild_the_servers_mask()
    {
        await using var host = await StartWithModel();
        var scene = Room.Value;
        int n = scene.PointCount;
        var (point, far) = Points(scene);

        var (_, info) = await host.Client.Get("/api/info");
        Assert.Equal("interactive-fast", info.GetProperty("refiner").GetString());
        Assert.Equal("model", info.GetProperty("defaultSegmenter").GetString());
        Assert.Equal("interactive-fast", info.GetProperty("model").GetProperty("method").GetString());
        Assert.Equal(Path.GetFullPath(TinyInteractiveRun.Path0), info.GetProperty("model").GetProperty("run").GetString());

        // the reference: the same run opened as interactive evaluate opens it, the same clicks
        using var evaluation = InteractiveEvaluation.Open(TinyInteractiveRun.Path0, null);
        var reference = new InteractiveSession(evaluation.OpenScene(scene), [new InteractiveClick(point, true)]);

        var (version, obj) = await host.Client.AddObject(S, 0, 5, point);
        var (status, start) = await host.Client.Get($"/api/scenes/{S}/objects/{obj}/refine");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("model", start.GetProperty("segmenter").GetString());
        Assert.Equal("interactive-fast", start.GetProperty("method").GetString());
        var mask = ApiClient.Mask(start, n);
        Assert.Equal(reference.Mask, mask);
        long maskId = start.GetProperty("maskId").GetInt64();

        // clicks answer with what changed from the mask the page holds; applied, it is the network's mask
        int diffs = 0;
        foreach (var (p, positive) in new[] { (far, false), (far, true), (point + 1, false) })
        {
            var (s, answer) = await host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine", new { version, point = p, positive, maskId });
            Assert.Equal(HttpStatusCode.OK, s);
            var expected = reference.Add(new InteractiveClick(p, positive));
            if (answer.GetProperty("diff").ValueKind == JsonValueKind.String) diffs++;
            mask = MaskOf(answer, mask, maskId);
            Assert.Equal(expected, mask);
            Assert.Equal(expected.Count(b => b), answer.GetProperty("maskSize").GetInt32());
            Assert.True(answer.GetProperty("computeMs").GetDouble() >= 0);
            Assert.True(answer.GetProperty("serverMs").GetDouble() >= answer.GetProperty("computeMs").GetDouble());
            version = answer.GetProperty("version").GetInt32();
            maskId = answer.GetProperty("maskId").GetInt64();
        }
        Assert.True(diffs > 0, "no click was answered with a diff");
        var (_, undone) = await host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine/undo", new { version, maskId });
        mask = MaskOf(undone, mask, maskId);
        Assert.Equal(reference.Undo(), mask);
        version = undone.GetProperty("version").GetInt32();

        // a request naming another mask (a stale page) gets the whole mask
        var (_, stale) = await host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine/redo", new { version, maskId = maskId - 1 });
        Assert.Equal(JsonValueKind.String, stale.GetProperty("mask").ValueKind);
        Assert.Equal(JsonValueKind.Null, stale.GetProperty("diff").ValueKind);
        Assert.Equal(reference.Redo(), ApiClient.Mask(stale, n));
        version = stale.GetProperty("version").GetInt32();

        // the same clicks on the fallback: the mask of a server without a model
        var (_, fallback) = await host.Client.Get($"/api/scenes/{S}/objects/{obj}/refine?segmenter=fallback");
        Assert.Equal("fallback", fallback.GetProperty("segmenter").GetString());
        Assert.Equal("segment-random-walk", fallback.GetProperty("method").GetString());
        await using (var plain = await StudioHost.StartAsync())
        {
            var (_, plainInfo) = await plain.Client.Get("/api/info");
            Assert.Equal("segment-random-walk", plainInfo.GetProperty("refiner").GetString());
            Assert.Equal("fallback", plainInfo.GetProperty("defaultSegmenter").GetString());
            Assert.Equal(JsonValueKind.Null, plainInfo.GetProperty("model").ValueKind);
            var (v, o) = await plain.Client.AddObject(S, 0, 5, point);
            foreach (var c in reference.Clicks.Skip(1))
                v = (await plain.Client.Post($"/api/scenes/{S}/objects/{o}/refine", new { version = v, point = c.Point, positive = c.Positive })).Json.GetProperty("version").GetInt32();
            var (_, plainState) = await plain.Client.Get($"/api/scenes/{S}/objects/{o}/refine");
            Assert.Equal("fallback", plainState.GetProperty("segmenter").GetString());
            Assert.Equal(ApiClient.Mask(plainState, n), ApiClient.Mask(fallback, n));
            var (refused, error) = await plain.Client.Get($"/api/scenes/{S}/objects/{o}/refine?segmenter=model");
            Assert.Equal(HttpStatusCode.BadRequest, refused);
            Assert.Contains("--interactive RUN", error.GetProperty("error").GetString());
        }
        // back on the model, the clicks are still there; accepting stores the model's mask
        var (_, back) = await host.Client.Get($"/api/scenes/{S}/objects/{obj}/refine?segmenter=model");
        Assert.Equal(reference.Mask, ApiClient.Mask(back, n));
        Assert.NotEqual(maskId, back.GetProperty("maskId").GetInt64()); // a rebuilt session: a new mask number
        var (_, accepted) = await host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine/accept", new { version, segmenter = "model" });
        var labels = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(await host.Client.Bytes($"/api/scenes/{S}/labels")).ToArray();
        var final = reference.Mask;
        Assert.Equal(accepted.GetProperty("maskSize").GetInt32(), final.Count(b => b));
        for (int p = 0; p < n; p++) Assert.Equal(final[p] ? obj : 0, labels[n + p]);

        var (bad, badJson) = await host.Client.Get($"/api/scenes/{S}/objects/{obj}/refine?segmenter=magic");
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.Contains("expected model or fallback", badJson.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine", new { version, point, positive = true, maskId = "x" })).Status);
    }

    [Fact]
    public async Task A_run_that_is_an_interactive_run_refines_and_labels_no_jobs()
    {
        await using var host = await StudioHost.StartAsync(with: o => o with { RunPath = TinyInteractiveRun.Path0 });
        var (_, info) = await host.Client.Get("/api/info");
        Assert.Equal("model", info.GetProperty("defaultSegmenter").GetString());
        Assert.False(info.GetProperty("runCheckpoint").GetBoolean()); // an interactive network pseudo-labels nothing
        var (version, obj) = await host.Client.AddObject(S, 0, 5, Points(Room.Value).Point);
        var (_, state) = await host.Client.Get($"/api/scenes/{S}/objects/{obj}/refine");
        Assert.Equal("interactive-fast", state.GetProperty("method").GetString());
        Assert.Equal(version, state.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Refine_waits_while_the_scenes_features_are_computed_and_computes_them_once()
    {
        using var entered = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim(false);
        int computed = 0;
        await using var host = await StartWithModel(o => o with
        {
            BeforeFeatures = id =>
            {
                Interlocked.Increment(ref computed);
                entered.Release();
                release.Wait(TimeSpan.FromMinutes(2));
            },
        });
        var scene = Room.Value;
        var (point, far) = Points(scene);
        var (version, obj) = await host.Client.AddObject(S, 0, 5, point);
        // opening the scene starts the features; two refine requests meanwhile wait for the same computation
        Assert.Equal(HttpStatusCode.OK, (await host.Client.Get($"/api/scenes/{S}")).Status);
        Assert.True(await entered.WaitAsync(TimeSpan.FromMinutes(1)), "the features were started when the scene opened");
        var state = host.Client.Get($"/api/scenes/{S}/objects/{obj}/refine");
        var click = host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine", new { version, point = far, positive = false });
        var (_, refiner) = await host.Client.Get($"/api/scenes/{S}/refiner");
        Assert.Equal("computing", refiner.GetProperty("model").GetProperty("state").GetString());
        Assert.False(state.IsCompleted);
        Assert.False(click.IsCompleted);
        release.Set();
        var (s1, first) = await state;
        var (s2, second) = await click;
        Assert.Equal(HttpStatusCode.OK, s1);
        Assert.Equal(HttpStatusCode.OK, s2);
        Assert.Equal("model", second.GetProperty("segmenter").GetString());
        Assert.Equal(version + 1, second.GetProperty("version").GetInt32());
        Assert.Equal(1, computed);
        (_, refiner) = await host.Client.Get($"/api/scenes/{S}/refiner");
        Assert.Equal("ready", refiner.GetProperty("model").GetProperty("state").GetString());
        Assert.False(first.GetProperty("mask").ValueKind == JsonValueKind.Null);
    }

    [Fact]
    public async Task A_failed_feature_computation_is_a_clear_503_and_is_retried()
    {
        int calls = 0;
        await using var host = await StartWithModel(o => o with
        {
            BeforeFeatures = _ =>
            {
                if (Interlocked.Increment(ref calls) == 1) throw new IOException("simulated failure");
            },
        });
        var (_, obj) = await host.Client.AddObject(S, 0, 5, Points(Room.Value).Point);
        var (status, error) = await host.Client.Get($"/api/scenes/{S}/objects/{obj}/refine");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("could not prepare scene", error.GetProperty("error").GetString());
        Assert.Contains("fallback", error.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, (await host.Client.Get($"/api/scenes/{S}/objects/{obj}/refine?segmenter=fallback")).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.Get($"/api/scenes/{S}/objects/{obj}/refine")).Status);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task The_feature_cache_keeps_the_scenes_used_last()
    {
        var opened = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var host = await StartWithModel(o => o with { InteractiveCacheScenes = 1, BeforeFeatures = opened.Enqueue });
        var (_, a) = await host.Client.AddObject(S, 0, 5, Points(Room.Value).Point);
        var (_, b) = await host.Client.AddObject(S2, 0, 5, Points(Load(S2)).Point);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.Get($"/api/scenes/{S}/objects/{a}/refine")).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.Get($"/api/scenes/{S}/objects/{a}/refine")).Status);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.Get($"/api/scenes/{S2}/objects/{b}/refine")).Status);
        var (_, first) = await host.Client.Get($"/api/scenes/{S}/refiner");
        var (_, second) = await host.Client.Get($"/api/scenes/{S2}/refiner");
        Assert.Equal("none", first.GetProperty("model").GetProperty("state").GetString()); // dropped for the other scene
        Assert.Equal("ready", second.GetProperty("model").GetProperty("state").GetString());
        var (status, again) = await host.Client.Get($"/api/scenes/{S}/objects/{a}/refine");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("model", again.GetProperty("segmenter").GetString());
        Assert.Equal([S, S2, S], opened.ToArray());
    }

    [Fact]
    public async Task Two_tabs_refine_two_objects_at_once()
    {
        await using var host = await StartWithModel();
        var scenes = new[] { Room.Value, Load(S2) };
        var ids = new[] { S, S2 };
        using var evaluation = InteractiveEvaluation.Open(TinyInteractiveRun.Path0, null);
        var objects = new List<(int Version, int Object, int Point, int Far)>();
        for (int k = 0; k < 2; k++)
        {
            var (point, far) = Points(scenes[k]);
            var (version, obj) = await host.Client.AddObject(ids[k], 0, 5, point);
            objects.Add((version, obj, point, far));
        }

        // each tab clicks on its own scene's object as fast as the answers come, both at once
        async Task<(bool[] Mask, List<InteractiveClick> Clicks)> Tab(int k)
        {
            var (version, obj, point, far) = objects[k];
            var (_, state) = await host.Client.Get($"/api/scenes/{ids[k]}/objects/{obj}/refine");
            var mask = ApiClient.Mask(state, scenes[k].PointCount);
            long maskId = state.GetProperty("maskId").GetInt64();
            var clicks = new List<InteractiveClick> { new(point, true) };
            for (int c = 0; c < 6; c++)
            {
                var click = new InteractiveClick(c % 2 == 0 ? far + c : point + c, c % 3 == 0);
                var (status, answer) = await host.Client.Post($"/api/scenes/{ids[k]}/objects/{obj}/refine", new { version, point = click.Point, positive = click.Positive, maskId });
                Assert.Equal(HttpStatusCode.OK, status);
                mask = MaskOf(answer, mask, maskId);
                version = answer.GetProperty("version").GetInt32();
                maskId = answer.GetProperty("maskId").GetInt64();
                clicks.Add(click);
            }
            return (mask, clicks);
        }
        var results = await Task.WhenAll(Task.Run(() => Tab(0)), Task.Run(() => Tab(1)));
        for (int k = 0; k < 2; k++)
        {
            var expected = new InteractiveSession(evaluation.OpenScene(scenes[k]), results[k].Clicks).Mask;
            Assert.Equal(expected, results[k].Mask);
        }

        // two tabs on one scene, each refining its own object from the same version: one change is stored, the other
        // is refused as stale (409), never both, and the refused click is nowhere
        var (v0, second) = await host.Client.AddObject(S, objects[0].Version + 6, 5, objects[0].Far);
        var (_, annotations) = await host.Client.Get($"/api/scenes/{S}/annotations");
        int version0 = annotations.GetProperty("version").GetInt32();
        Assert.Equal(v0, version0);
        var answers = await Task.WhenAll(
            Task.Run(() => host.Client.Post($"/api/scenes/{S}/objects/{objects[0].Object}/refine", new { version = version0, point = objects[0].Far + 50, positive = false })),
            Task.Run(() => host.Client.Post($"/api/scenes/{S}/objects/{second}/refine", new { version = version0, point = objects[0].Point + 50, positive = false })));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], answers.Select(a => a.Status).Order());
        (_, annotations) = await host.Client.Get($"/api/scenes/{S}/annotations");
        Assert.Equal(version0 + 1, annotations.GetProperty("version").GetInt32());
        int stored = annotations.GetProperty("objects").EnumerateArray().Sum(o => o.GetProperty("refineClicks").GetArrayLength());
        Assert.Equal(6 + 1, stored);
    }

    [Fact]
    public async Task A_run_that_does_not_load_stops_the_server_with_one_line_naming_it()
    {
        var root = Path.Combine(Path.GetTempPath(), "clickscape-studio-badrun-" + Guid.NewGuid().ToString("N"));
        var empty = Directory.CreateDirectory(Path.Combine(root, "empty")).FullName;
        var damaged = Path.Combine(root, "damaged");
        Directory.CreateDirectory(Path.Combine(damaged, "checkpoints"));
        File.WriteAllText(Path.Combine(damaged, "checkpoints", "last.safetensors"), "not a checkpoint");
        try
        {
            foreach (var (run, expected) in new[] { (Path.Combine(root, "missing"), "no such run folder"), (empty, "no checkpoints"), (damaged, "cannot load") })
            {
                var e = Assert.Throws<DataFormatException>(() => StudioServer.Build(new StudioOptions { DataPath = StudioDataset.Path0, StatePath = Path.Combine(root, "state"), InteractiveRunPath = run }));
                Assert.StartsWith(run + ":", e.Message, StringComparison.Ordinal);
                Assert.Contains(expected, e.Message, StringComparison.Ordinal);
                Assert.Contains("expected a run of 'clickscape train --method interactive' or 'interactive-fast'", e.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("\n", e.Message);
            }

            // serve itself: exit code 1 and one line on stderr, before it listens
            var start = new ProcessStartInfo(JobsApiTests.Clickscape[0]) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var a in JobsApiTests.Clickscape.Skip(1).Concat(["serve", "--data", StudioDataset.Path0, "--state", Path.Combine(root, "state"), "--port", "0", "--interactive", damaged]))
                start.ArgumentList.Add(a);
            using var process = Process.Start(start)!;
            var stderr = await process.StandardError.ReadToEndAsync();
            using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(stop.Token);
            Assert.Equal(1, process.ExitCode);
            var lines = stderr.Trim().Split('\n');
            Assert.Single(lines);
            Assert.Contains(damaged, lines[0], StringComparison.Ordinal);
            Assert.Contains("--interactive", lines[0], StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
