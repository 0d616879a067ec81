using System.Net;
using System.Runtime.InteropServices;

namespace Clickscape.Studio.Tests.Api;

public class AnnotationApiTests
{
    private const string S = StudioDataset.Scene;

    [Fact]
    public async Task Adding_relabelling_and_deleting_objects_bumps_the_version_and_labels_the_clicked_segment()
    {
        await using var host = await StudioHost.StartAsync();
        var (v1, a) = await host.Client.AddObject(S, 0, 5, 100);
        var (v2, b) = await host.Client.AddObject(S, v1, 7, 2000);
        Assert.Equal((1, 1, 2, 2), (v1, a, v2, b));

        var (_, annotations) = await host.Client.Get($"/api/scenes/{S}/annotations");
        Assert.Equal(2, annotations.GetProperty("version").GetInt32());
        var objects = annotations.GetProperty("objects").EnumerateArray().ToList();
        Assert.Equal([5, 7], objects.Select(o => o.GetProperty("label").GetInt32()));
        Assert.Equal(2.5, objects[0].GetProperty("seconds").GetDouble());

        int n = (await host.Client.Bytes($"/api/scenes/{S}/points")).Length / 15;
        var segments = MemoryMarshal.Cast<byte, int>(await host.Client.Bytes($"/api/scenes/{S}/segments")).ToArray();
        var labels = MemoryMarshal.Cast<byte, int>(await host.Client.Bytes($"/api/scenes/{S}/labels")).ToArray();
        for (int p = 0; p < n; p++)
        {
            int expected = segments[p] == segments[2000] ? 2 : segments[p] == segments[100] ? 1 : 0;
            Assert.Equal(expected, labels[n + p]);
        }

        var (status, relabelled) = await host.Client.Patch($"/api/scenes/{S}/objects/1", new { version = 2, label = 6 });
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(3, relabelled.GetProperty("version").GetInt32());

        var (deleteStatus, deleted) = await host.Client.Delete($"/api/scenes/{S}/objects/1?version=3");
        Assert.Equal(HttpStatusCode.OK, deleteStatus);
        Assert.Equal(4, deleted.GetProperty("version").GetInt32());
        (_, annotations) = await host.Client.Get($"/api/scenes/{S}/annotations");
        Assert.Equal([2], annotations.GetProperty("objects").EnumerateArray().Select(o => o.GetProperty("object").GetInt32()));
        // Ids are not reused after a delete.
        Assert.Equal(3, (await host.Client.AddObject(S, 4, 3, 10)).Object);
    }

    [Fact]
    public async Task A_change_made_on_a_stale_version_is_refused_with_409_and_stores_nothing()
    {
        await using var host = await StudioHost.StartAsync();
        await host.Client.AddObject(S, 0, 5, 100);
        // A second tab still on version 0:
        var (status, json) = await host.Client.Post($"/api/scenes/{S}/objects", new { version = 0, label = 7, point = 200 });
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(1, json.GetProperty("version").GetInt32());
        Assert.Contains("reload", json.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await host.Client.Delete($"/api/scenes/{S}/objects/1?version=0")).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await host.Client.Patch($"/api/scenes/{S}/objects/1", new { version = 7, label = 3 })).Status);
        Assert.Equal(HttpStatusCode.Conflict, (await host.Client.Post($"/api/scenes/{S}/objects/1/refine", new { version = 0, point = 5, positive = false })).Status);
        var (_, annotations) = await host.Client.Get($"/api/scenes/{S}/annotations");
        Assert.Equal(1, annotations.GetProperty("version").GetInt32());
        var only = Assert.Single(annotations.GetProperty("objects").EnumerateArray());
        Assert.Equal(5, only.GetProperty("label").GetInt32());
        Assert.Empty(only.GetProperty("refineClicks").EnumerateArray());
    }

    [Fact]
    public async Task Concurrent_changes_on_the_same_version_let_exactly_one_through()
    {
        await using var host = await StudioHost.StartAsync();
        var attempts = Enumerable.Range(0, 8).Select(i => host.Client.Post($"/api/scenes/{S}/objects", new { version = 0, label = 5, point = 10 * i }));
        var results = await Task.WhenAll(attempts);
        Assert.Single(results, r => r.Status == HttpStatusCode.Created);
        Assert.Equal(7, results.Count(r => r.Status == HttpStatusCode.Conflict));
        var (_, annotations) = await host.Client.Get($"/api/scenes/{S}/annotations");
        Assert.Single(annotations.GetProperty("objects").EnumerateArray());
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1, 2]", "expected a JSON object")]
    [InlineData("{}", "has no \"version\"")]
    [InlineData("{\"version\": 0, \"point\": 3}", "has no \"label\"")]
    [InlineData("{\"version\": \"0\", \"label\": 5, \"point\": 3}", "\"version\" is a string")]
    [InlineData("{\"version\": 0, \"label\": 5, \"point\": 1.5}", "expected an integer")]
    [InlineData("{\"version\": 0, \"label\": 0, \"point\": 3}", "label 0 is not a class")]
    [InlineData("{\"version\": 0, \"label\": 99, \"point\": 3}", "label 99 is not a class")]
    [InlineData("{\"version\": 0, \"label\": 5, \"point\": -1}", "point -1 does not exist")]
    [InlineData("{\"version\": 0, \"label\": 5, \"point\": 99999999}", "point 99999999 does not exist")]
    [InlineData("{\"version\": 0, \"label\": 5, \"point\": 3, \"seconds\": -4}", "seconds -4 out of range")]
    [InlineData("", "request body is empty")]
    public async Task Bad_object_bodies_are_refused_with_a_message_naming_the_field(string body, string message)
    {
        await using var host = await StudioHost.StartAsync();
        var (status, json) = await host.Client.PostRaw($"/api/scenes/{S}/objects", body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(message, json.GetProperty("error").GetString());
        var (_, annotations) = await host.Client.Get($"/api/scenes/{S}/annotations");
        Assert.Empty(annotations.GetProperty("objects").EnumerateArray());
    }

    [Fact]
    public async Task Bodies_over_the_limit_are_refused_with_413()
    {
        await using var host = await StudioHost.StartAsync(maxBody: 1024);
        var padding = new string('x', 4096);
        var (status, json) = await host.Client.PostRaw($"/api/scenes/{S}/objects", $"{{\"version\":0,\"label\":5,\"point\":3,\"pad\":\"{padding}\"}}");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("limit of 1024 bytes", json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Objects_and_versions_that_do_not_exist_are_404_and_400()
    {
        await using var host = await StudioHost.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.Delete($"/api/scenes/{S}/objects/7?version=0")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.Delete($"/api/scenes/{S}/objects/abc?version=0")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.Delete($"/api/scenes/{S}/objects/1")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.Get($"/api/scenes/{S}/objects/3/refine")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.Get("/api/no/such/thing")).Status);
    }

    [Fact]
    public async Task Annotation_time_adds_up_and_rejects_nonsense()
    {
        await using var host = await StudioHost.StartAsync();
        await host.Client.Post($"/api/scenes/{S}/time", new { seconds = 12.5 });
        var (_, json) = await host.Client.Post($"/api/scenes/{S}/time", new { seconds = 7.5 });
        Assert.Equal(20.0, json.GetProperty("seconds").GetDouble());
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.Post($"/api/scenes/{S}/time", new { seconds = -1 })).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.Post($"/api/scenes/{S}/time", new { minutes = 3 })).Status);
        var (_, annotations) = await host.Client.Get($"/api/scenes/{S}/annotations");
        Assert.Equal(20.0, annotations.GetProperty("seconds").GetDouble());
    }
}
