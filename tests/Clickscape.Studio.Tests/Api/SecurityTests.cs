using System.Net;

namespace Clickscape.Studio.Tests.Api;

public class SecurityTests
{
    [Theory]
    [InlineData("/api/scenes/..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/api/scenes/%2e%2e/points")]
    [InlineData("/api/scenes/..%5C..%5Cwindows/points")]
    [InlineData("/api/scenes/%2Fetc%2Fpasswd/points")]
    [InlineData("/api/scenes/scans/points")]
    [InlineData("/api/scenes/%20scene0000_00/points")]
    [InlineData("/api/scenes/.clickscape-studio/annotations")]
    [InlineData("/api/scenes/scene9999_00/segments")]
    public async Task Scene_ids_that_are_not_in_the_dataset_are_404_and_read_nothing(string path)
    {
        await using var host = await StudioHost.StartAsync();
        var response = await host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("{\"error\":", body);
        Assert.DoesNotContain("root:", body);
    }

    [Fact]
    public async Task A_scene_folder_linked_from_outside_the_data_folder_is_not_served()
    {
        var data = Path.Combine(Path.GetTempPath(), "clickscape-studio-links-" + Guid.NewGuid().ToString("N"));
        var outside = Path.Combine(Path.GetTempPath(), "clickscape-studio-outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(data, "scans"));
        Directory.CreateDirectory(outside);
        var source = Path.Combine(StudioDataset.Path0, "scans", "scene0001_00");
        var copy = Path.Combine(outside, "scene0001_00");
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        Directory.CreateSymbolicLink(Path.Combine(data, "scans", "scene0001_00"), copy);
        // One real scene inside, so the dataset opens.
        var inside = Path.Combine(data, "scans", "scene0000_00");
        Directory.CreateDirectory(inside);
        foreach (var f in Directory.GetFiles(Path.Combine(StudioDataset.Path0, "scans", "scene0000_00"))) File.Copy(f, Path.Combine(inside, Path.GetFileName(f)));

        await using var host = await StudioHost.StartAsync(data: data);
        var (_, list) = await host.Client.Get("/api/scenes");
        Assert.Equal(["scene0000_00"], list.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/scenes/scene0001_00/points")).StatusCode);
    }

    [Fact]
    public async Task A_scene_whose_mesh_file_links_outside_the_data_folder_is_not_served()
    {
        var data = Path.Combine(Path.GetTempPath(), "clickscape-studio-filelink-" + Guid.NewGuid().ToString("N"));
        var outside = Path.Combine(Path.GetTempPath(), "clickscape-studio-outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        foreach (var id in new[] { "scene0000_00", "scene0001_00" })
        {
            var dir = Path.Combine(data, "scans", id);
            Directory.CreateDirectory(dir);
            foreach (var f in Directory.GetFiles(Path.Combine(StudioDataset.Path0, "scans", id))) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        }
        // scene0001_00's mesh now points outside.
        var mesh = Path.Combine(data, "scans", "scene0001_00", "scene0001_00_vh_clean_2.ply");
        File.Move(mesh, Path.Combine(outside, "mesh.ply"));
        File.CreateSymbolicLink(mesh, Path.Combine(outside, "mesh.ply"));

        await using var host = await StudioHost.StartAsync(data: data);
        var (_, list) = await host.Client.Get("/api/scenes");
        Assert.Equal(["scene0000_00"], list.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/scenes/scene0001_00")).StatusCode);
    }

    [Fact]
    public async Task With_a_token_every_api_call_must_carry_it()
    {
        await using var host = await StudioHost.StartAsync(token: "s3cret-token");
        var (status, json) = await host.Client.Get("/api/scenes");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("token", json.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.Post($"/api/scenes/{StudioDataset.Scene}/objects", new { version = 0, label = 5, point = 1 })).Status);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/scenes");
        wrong.Headers.Authorization = new("Bearer", "s3cret-tokem");
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.SendAsync(wrong)).StatusCode);

        host.Client.DefaultRequestHeaders.Authorization = new("Bearer", "s3cret-token");
        Assert.Equal(HttpStatusCode.OK, (await host.Client.Get("/api/scenes")).Status);
        host.Client.DefaultRequestHeaders.Authorization = null;
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/scenes?token=s3cret-token")).StatusCode);
        // The page itself holds no data and loads without the token (it then sends it on every call).
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("0.0.0.0", null, "refusing without --token")]
    [InlineData("192.168.1.20", null, "refusing without --token")]
    [InlineData("my-host.example", "long-enough-token", "not an IP address")]
    [InlineData("127.0.0.1", "short", "at least 8 characters")]
    public void Listening_beyond_loopback_needs_a_token_and_bad_options_are_refused(string host, string? token, string message)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => StudioServer.Build(new StudioOptions { DataPath = StudioDataset.Path0, Host = host, Token = token, StatePath = Path.GetTempPath() }));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Loopback_and_a_tokened_wildcard_are_accepted()
    {
        Assert.Null(StudioServer.ListenAddress(new StudioOptions { DataPath = "x", Host = "localhost" }));
        Assert.Equal("::1", StudioServer.ListenAddress(new StudioOptions { DataPath = "x", Host = "::1" })!.ToString());
        Assert.Equal("0.0.0.0", StudioServer.ListenAddress(new StudioOptions { DataPath = "x", Host = "0.0.0.0", Token = "long-enough-token" })!.ToString());
    }
}
