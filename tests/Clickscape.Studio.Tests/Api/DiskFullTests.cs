using System.Net;
using Clickscape.Studio.Storage;

namespace Clickscape.Studio.Tests.Api;

/// <summary>
/// A full disk: the database stopped at its current size (SQLite's max_page_count, which fails a growing write with
/// SQLITE_FULL exactly as a full disk does) and export files that fail half-written with ENOSPC. The client gets one
/// line saying the change was not stored, the stored state is the one before, the server goes on, and the same
/// change succeeds once there is room.
/// </summary>
public class DiskFullTests
{
    private const string S = StudioDataset.Scene;

    [Fact]
    public async Task A_full_database_refuses_the_change_with_one_line_keeps_the_previous_state_and_the_server_stays_up()
    {
        await using var host = await StudioHost.StartAsync();
        var store = host.Service<AnnotationStore>();
        var (v, a) = await host.Client.AddObject(S, 0, 5, 100);
        var (_, r) = await host.Client.Post($"/api/scenes/{S}/objects/{a}/refine", new { version = v, point = 3000, positive = true });
        v = r.GetProperty("version").GetInt32();
        var (_, before) = await host.Client.Get($"/api/scenes/{S}/annotations");

        store.PageLimit = store.PageCount();
        // objects until the database must grow, and cannot: the first refused change is a 507, every earlier one stored
        System.Text.Json.JsonElement error = default;
        HttpStatusCode status = HttpStatusCode.Created;
        for (int k = 0; k < 2000 && status == HttpStatusCode.Created; k++)
        {
            (status, var answer) = await host.Client.Post($"/api/scenes/{S}/objects", new { version = v, label = 5, point = 200 + k, seconds = 1 });
            if (status == HttpStatusCode.Created)
            {
                v = answer.GetProperty("version").GetInt32();
                (_, before) = await host.Client.Get($"/api/scenes/{S}/annotations");
            }
            else
            {
                error = answer;
            }
        }
        Assert.Equal(HttpStatusCode.InsufficientStorage, status);
        Assert.Contains("disk full", error.GetProperty("error").GetString());
        Assert.Contains("NOT stored", error.GetProperty("error").GetString());

        // the server answers, and the stored state is the one before the failed change
        Assert.Equal(HttpStatusCode.OK, (await host.Client.Get("/api/scenes")).Status);
        var (_, after) = await host.Client.Get($"/api/scenes/{S}/annotations");
        Assert.Equal(before.GetRawText(), after.GetRawText());
        await host.RestartAsync();
        store = host.Service<AnnotationStore>();
        var (_, afterRestart) = await host.Client.Get($"/api/scenes/{S}/annotations");
        Assert.Equal(before.GetRawText(), afterRestart.GetRawText());

        // with room again the same change (same version) goes through
        store.PageLimit = null;
        var (ok, added) = await host.Client.Post($"/api/scenes/{S}/objects", new { version = v, label = 5, point = 9, seconds = 1 });
        Assert.Equal(HttpStatusCode.Created, ok);
        Assert.Equal(v + 1, added.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_full_disk_during_export_keeps_the_previous_export_whole()
    {
        bool full = false;
        await using var host = await StudioHost.StartAsync(with: o => o with { WriteFailure = path => full && path.EndsWith(".txt", StringComparison.Ordinal) && path.Contains("semantic", StringComparison.Ordinal) });
        var (v, _) = await host.Client.AddObject(S, 0, 5, 100);
        var (first, written) = await host.Client.Post("/api/export", new { });
        Assert.Equal(HttpStatusCode.OK, first);
        var folder = written.GetProperty("folder").GetString()!;
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order().ToList();
        var contents = files.Select(File.ReadAllText).ToList();

        // a second object, then an export that runs out of space half-way through a file
        await host.Client.AddObject(S, v, 7, 3000);
        full = true;
        var (status, error) = await host.Client.Post("/api/export", new { });
        Assert.Equal(HttpStatusCode.InsufficientStorage, status);
        Assert.Contains("disk full", error.GetProperty("error").GetString());
        Assert.Equal(files, Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Order());
        Assert.Equal(contents, files.Select(File.ReadAllText));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(folder)!, ".export*"));

        full = false;
        Assert.Equal(HttpStatusCode.OK, (await host.Client.Post("/api/export", new { })).Status);
        Assert.NotEqual(contents[0], File.ReadAllText(files[0]));
    }
}
