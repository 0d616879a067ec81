using System.Net;
using System.Runtime.InteropServices;
using Clickscape.Data;

namespace Clickscape.Studio.Tests.Api;

public class RefineApiTests
{
    private const string S = StudioDataset.Scene;
    private static readonly Lazy<Geometry.Scenes.Scene> Room = new(() => SceneLoader.Load(Path.Combine(StudioDataset.Path0, "scans", S)));

    // The largest non-wall, non-floor instance, its first point, and a point of another instance that the
    // first click's mask wrongly includes (or, if none, any point outside the object).
    private static (int Instance, int Point) LargestObject()
    {
        var scene = Room.Value;
        var ids = scene.InstanceIds!;
        var id = ids.Where((v, p) => v > 0 && scene.SemanticLabels![p] is not (1 or 2)).GroupBy(v => v).OrderByDescending(g => g.Count()).First().Key;
        return (id, Array.IndexOf(ids, id));
    }

    [Fact]
    public async Task Positive_and_negative_clicks_update_the_mask_and_undo_redo_accept_work()
    {
        await using var host = await StudioHost.StartAsync();
        var scene = Room.Value;
        int n = scene.PointCount;
        var (instance, point) = LargestObject();
        var (version, obj) = await host.Client.AddObject(S, 0, 5, point);

        var (status, start) = await host.Client.Get($"/api/scenes/{S}/objects/{obj}/refine");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(start.GetProperty("clicks").EnumerateArray());
        Assert.False(start.GetProperty("canUndo").GetBoolean());
        var first = ApiClient.Mask(start, n);
        Assert.True(first[point]);
        Assert.Equal(first.Count(b => b), start.GetProperty("maskSize").GetInt32());

        // A negative click on a point the mask holds (outside the object if the mask spills, else inside it).
        // Outside the 5 cm cube of the object's own click, which the negative click's cube must not reach.
        bool Far(int p) => Math.Abs(scene.Positions[3 * p] - scene.Positions[3 * point]) > 0.12
            || Math.Abs(scene.Positions[3 * p + 1] - scene.Positions[3 * point + 1]) > 0.12 || Math.Abs(scene.Positions[3 * p + 2] - scene.Positions[3 * point + 2]) > 0.12;
        int wrong = Enumerable.Range(0, n).FirstOrDefault(p => first[p] && scene.InstanceIds![p] != instance && Far(p), -1);
        if (wrong < 0) wrong = Enumerable.Range(0, n).Last(p => first[p] && Far(p));
        var (_, negative) = await host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine", new { version, point = wrong, positive = false });
        var afterNegative = ApiClient.Mask(negative, n);
        Assert.False(afterNegative[wrong]);
        Assert.True(afterNegative[point], $"object point {point} at {scene.Position(point)}, negative {wrong} at {scene.Position(wrong)}, instance {scene.InstanceIds![wrong]} vs {instance}");
        Assert.Equal(version + 1, negative.GetProperty("version").GetInt32());
        var click = Assert.Single(negative.GetProperty("clicks").EnumerateArray());
        Assert.Equal(wrong, click.GetProperty("point").GetInt32());
        Assert.False(click.GetProperty("positive").GetBoolean());

        var (_, undone) = await host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine/undo", new { version = version + 1 });
        Assert.Equal(first, ApiClient.Mask(undone, n));
        Assert.True(undone.GetProperty("canRedo").GetBoolean());
        // Undo with nothing left to undo changes nothing but the version.
        var (_, noop) = await host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine/undo", new { version = version + 2 });
        Assert.Equal(first, ApiClient.Mask(noop, n));
        var (_, redone) = await host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine/redo", new { version = version + 3 });
        Assert.Equal(afterNegative, ApiClient.Mask(redone, n));

        var (_, accepted) = await host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine/accept", new { version = version + 4 });
        Assert.Equal(version + 5, accepted.GetProperty("version").GetInt32());
        var labels = MemoryMarshal.Cast<byte, int>(await host.Client.Bytes($"/api/scenes/{S}/labels")).ToArray();
        for (int p = 0; p < n; p++) Assert.Equal(afterNegative[p] ? obj : 0, labels[n + p]);
        var (_, annotations) = await host.Client.Get($"/api/scenes/{S}/annotations");
        Assert.True(annotations.GetProperty("objects")[0].GetProperty("accepted").GetBoolean());
    }

    [Fact]
    public async Task Bad_refine_requests_are_refused()
    {
        await using var host = await StudioHost.StartAsync();
        var (version, obj) = await host.Client.AddObject(S, 0, 5, 10);
        var (status, json) = await host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine", new { version, point = 10 });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("\"positive\"", json.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine", new { version, point = -3, positive = true })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine", new { version, point = 3, positive = "yes" })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.Post($"/api/scenes/{S}/objects/{obj}/refine/explode", new { version })).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.Post($"/api/scenes/{S}/objects/{obj + 1}/refine", new { version, point = 3, positive = true })).Status);
        var (_, state) = await host.Client.Get($"/api/scenes/{S}/objects/{obj}/refine");
        Assert.Equal(version, state.GetProperty("version").GetInt32());
    }
}
