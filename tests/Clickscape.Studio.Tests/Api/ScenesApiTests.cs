using System.Net;
using System.Runtime.InteropServices;
using Clickscape.Data;
using Clickscape.Data.Formats.ScanNet;

namespace Clickscape.Studio.Tests.Api;

public class ScenesApiTests
{
    private static readonly Lazy<Geometry.Scenes.Scene> Room = new(() => SceneLoader.Load(Path.Combine(StudioDataset.Path0, "scans", StudioDataset.Scene)));

    [Fact]
    public async Task Scene_list_has_every_scene_with_its_point_count_and_progress()
    {
        await using var host = await StudioHost.StartAsync();
        var (status, json) = await host.Client.Get("/api/scenes");
        Assert.Equal(HttpStatusCode.OK, status);
        var scenes = json.EnumerateArray().ToList();
        Assert.Equal(["scene0000_00", "scene0001_00"], scenes.Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(Room.Value.PointCount, scenes[0].GetProperty("points").GetInt32());
        Assert.Equal(0, scenes[0].GetProperty("progress").GetDouble());

        await host.Client.AddObject(StudioDataset.Scene, 0, 5, 0);
        (_, json) = await host.Client.Get("/api/scenes");
        var first = json.EnumerateArray().First();
        Assert.Equal(1, first.GetProperty("objects").GetInt32());
        Assert.InRange(first.GetProperty("progress").GetDouble(), 1e-6, 1);
    }

    [Fact]
    public async Task Points_segments_and_labels_are_typed_arrays_of_the_scene()
    {
        await using var host = await StudioHost.StartAsync();
        var scene = Room.Value;
        int n = scene.PointCount;
        var points = await host.Client.Bytes($"/api/scenes/{StudioDataset.Scene}/points");
        Assert.Equal(4 + 15 * n, points.Length);
        Assert.Equal((uint)n, BitConverter.ToUInt32(points, 0));
        Assert.Equal(scene.Positions, MemoryMarshal.Cast<byte, float>(points.AsSpan(4, 12 * n)).ToArray());
        Assert.Equal(scene.Colors, points[(4 + 12 * n)..]);

        var segments = MemoryMarshal.Cast<byte, int>(await host.Client.Bytes($"/api/scenes/{StudioDataset.Scene}/segments")).ToArray();
        Assert.Equal(n, segments.Length);
        // Nodes 0..S−1 of the scene's own segs.json: same partition.
        var segIndices = ScanNetScene.LoadOrComputeSegments(Path.Combine(StudioDataset.Path0, "scans", StudioDataset.Scene), scene);
        var pairs = segments.Zip(segIndices).Distinct().ToList();
        Assert.Equal(segIndices.Distinct().Count(), pairs.Count);
        Assert.Equal(segments.Distinct().Count(), pairs.Count);

        var (_, info) = await host.Client.Get($"/api/scenes/{StudioDataset.Scene}");
        Assert.Equal(segments.Max() + 1, info.GetProperty("segments").GetInt32());
        Assert.True(info.GetProperty("groundTruth").GetBoolean());

        var labels = MemoryMarshal.Cast<byte, int>(await host.Client.Bytes($"/api/scenes/{StudioDataset.Scene}/labels?source=ground-truth")).ToArray();
        Assert.Equal(scene.SemanticLabels, labels[..n]);
        Assert.Equal(scene.InstanceIds, labels[n..]);
        var empty = MemoryMarshal.Cast<byte, int>(await host.Client.Bytes($"/api/scenes/{StudioDataset.Scene}/labels")).ToArray();
        Assert.All(empty, v => Assert.Equal(0, v));
        var (status, error) = await host.Client.Get($"/api/scenes/{StudioDataset.Scene}/labels?source=predictions");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("expected annotation, ground-truth or prediction", error.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_scene_file_that_cannot_be_read_is_listed_with_its_error_and_answers_422()
    {
        var data = Path.Combine(Path.GetTempPath(), "clickscape-studio-broken-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(data);
        var random = new Random(1);
        var cloud = new Geometry.Scenes.Scene("good", [.. Enumerable.Range(0, 600).Select(_ => (float)random.NextDouble())])
        {
            Colors = [.. Enumerable.Range(0, 600).Select(_ => (byte)random.Next(256))],
        };
        Data.Formats.Ply.PlyScene.Save(Path.Combine(data, "good.ply"), cloud);
        File.WriteAllText(Path.Combine(data, "bad.ply"), "ply\nformat binary_little_endian 1.0\nelement vertex 5\nend_header\n");

        await using var host = await StudioHost.StartAsync(data: data);
        var (status, list) = await host.Client.Get("/api/scenes");
        Assert.Equal(HttpStatusCode.OK, status);
        var scenes = list.EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal(200, scenes["good"].GetProperty("points").GetInt32());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, scenes["bad"].GetProperty("points").ValueKind);
        Assert.Contains("bad.ply", scenes["bad"].GetProperty("error").GetString());
        var (badStatus, error) = await host.Client.Get("/api/scenes/bad");
        Assert.Equal((HttpStatusCode)422, badStatus);
        Assert.Contains("bad.ply", error.GetProperty("error").GetString());
        // The good point cloud is segmented on the fly and refines like a mesh.
        var (_, info) = await host.Client.Get("/api/scenes/good");
        Assert.True(info.GetProperty("segments").GetInt32() >= 1);
        var (v, obj) = await host.Client.AddObject("good", 0, 5, 7);
        var (refineStatus, _) = await host.Client.Post($"/api/scenes/good/objects/{obj}/refine", new { version = v, point = 100, positive = false });
        Assert.Equal(HttpStatusCode.OK, refineStatus);
    }

    [Fact]
    public async Task Classes_are_the_scannet_20_with_their_palette_and_info_names_the_refiner()
    {
        await using var host = await StudioHost.StartAsync();
        var (_, classes) = await host.Client.Get("/api/classes");
        var list = classes.EnumerateArray().ToList();
        Assert.Equal(20, list.Count);
        Assert.Equal("wall", list[0].GetProperty("name").GetString());
        Assert.Equal([174, 199, 232], list[0].GetProperty("color").EnumerateArray().Select(v => v.GetInt32()));
        var (_, info) = await host.Client.Get("/api/info");
        Assert.Equal("segment-random-walk", info.GetProperty("refiner").GetString());
        Assert.Equal(2, info.GetProperty("scenes").GetInt32());
    }

    [Fact]
    public async Task Front_end_and_the_vendored_three_module_are_served_from_the_assembly()
    {
        await using var host = await StudioHost.StartAsync();
        var index = await host.Client.GetStringAsync("/");
        Assert.Contains("Clickscape Studio", index);
        Assert.Contains("importmap", index);
        var three = await host.Client.GetAsync("/vendor/three/three.module.js");
        Assert.Equal(HttpStatusCode.OK, three.StatusCode);
        Assert.Equal("text/javascript", three.Content.Headers.ContentType?.MediaType);
        Assert.Contains("three.core.js", await three.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/vendor/three/OrbitControls.js")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/app.js")).StatusCode);
        var (status, _) = await host.Client.Get("/no-such-page.html");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
