using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Clickscape.Data.Clicks;
using Clickscape.Studio.Storage;

namespace Clickscape.Studio.Tests.Api;

public class ExportAndPersistenceTests
{
    private const string S = StudioDataset.Scene;

    [Fact]
    public async Task Clicks_export_is_a_clickscape_clicks_file_with_timing_and_labels_export_is_scannet_text()
    {
        await using var host = await StudioHost.StartAsync();
        var (v, a) = await host.Client.AddObject(S, 0, 5, 100);
        (v, _) = await host.Client.AddObject(S, v, 7, 3000);
        await host.Client.Post($"/api/scenes/{S}/objects/{a}/refine", new { version = v, point = 101, positive = false });
        await host.Client.Post($"/api/scenes/{S}/time", new { seconds = 30 });

        var text = await host.Client.GetStringAsync($"/api/scenes/{S}/export/clicks");
        var file = Path.Combine(host.Options.StatePath!, "export-test.json");
        File.WriteAllText(file, text);
        var set = ClickSet.Load(file);
        Assert.Equal(S, set.Scene);
        Assert.Equal("manual", set.Policy);
        Assert.Equal([(1, 5, 100, true), (2, 7, 3000, true), (0, 0, 101, false)], set.Clicks.Select(c => (c.Object, c.Label, c.Point, c.Positive)));
        Assert.Equal([0, 1, 2], set.Clicks.Select(c => c.Order));
        Assert.Contains("\"scene_seconds\":30", text);

        var labels = MemoryMarshal.Cast<byte, int>(await host.Client.Bytes($"/api/scenes/{S}/labels")).ToArray();
        int n = labels.Length / 2;
        var instance = (await host.Client.GetStringAsync($"/api/scenes/{S}/export/instance")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var semantic = (await host.Client.GetStringAsync($"/api/scenes/{S}/export/semantic")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(n, instance.Length);
        Assert.Equal(n, semantic.Length);
        for (int p = 0; p < n; p++)
        {
            Assert.Equal(labels[p], int.Parse(semantic[p], CultureInfo.InvariantCulture));
            Assert.Equal(labels[n + p] == 0 ? 0 : labels[p] * 1000 + labels[n + p], int.Parse(instance[p], CultureInfo.InvariantCulture));
        }

        var (status, written) = await host.Client.Post("/api/export", new { });
        Assert.Equal(HttpStatusCode.OK, status);
        var folder = written.GetProperty("folder").GetString()!;
        Assert.Equal([S], written.GetProperty("scenes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(text, File.ReadAllText(Path.Combine(folder, "clicks", S + ".json")));
        Assert.Equal(n, File.ReadAllLines(Path.Combine(folder, "instance", S + ".txt")).Length);
    }

    [Fact]
    public async Task Every_change_survives_a_server_restart_including_the_redo_stack()
    {
        await using var host = await StudioHost.StartAsync();
        var (v, a) = await host.Client.AddObject(S, 0, 5, 100);
        (v, var b) = await host.Client.AddObject(S, v, 7, 3000);
        var (_, r1) = await host.Client.Post($"/api/scenes/{S}/objects/{a}/refine", new { version = v, point = 101, positive = false });
        var (_, r2) = await host.Client.Post($"/api/scenes/{S}/objects/{a}/refine", new { version = v + 1, point = 5000, positive = true });
        var (_, undone) = await host.Client.Post($"/api/scenes/{S}/objects/{a}/refine/undo", new { version = v + 2 });
        (_, var accepted) = await host.Client.Post($"/api/scenes/{S}/objects/{b}/refine/accept", new { version = v + 3 });
        var (_, before) = await host.Client.Get($"/api/scenes/{S}/annotations");
        var labelsBefore = await host.Client.Bytes($"/api/scenes/{S}/labels");

        await host.RestartAsync();

        var (_, after) = await host.Client.Get($"/api/scenes/{S}/annotations");
        Assert.Equal(before.GetRawText(), after.GetRawText());
        Assert.Equal(labelsBefore, await host.Client.Bytes($"/api/scenes/{S}/labels"));
        var (_, state) = await host.Client.Get($"/api/scenes/{S}/objects/{a}/refine");
        Assert.Equal(undone.GetProperty("mask").GetString(), state.GetProperty("mask").GetString());
        Assert.True(state.GetProperty("canRedo").GetBoolean());
        var (_, redone) = await host.Client.Post($"/api/scenes/{S}/objects/{a}/refine/redo", new { version = accepted.GetProperty("version").GetInt32() });
        Assert.Equal(r2.GetProperty("mask").GetString(), redone.GetProperty("mask").GetString());
        Assert.NotEqual(r1.GetProperty("mask").GetString(), redone.GetProperty("mask").GetString());
        var (_, list) = await host.Client.Get("/api/scenes");
        Assert.Equal(2, list[0].GetProperty("objects").GetInt32());
        Assert.Equal(1, list[0].GetProperty("accepted").GetInt32());
    }

    [Fact]
    public void The_store_runs_in_wal_mode()
    {
        var folder = Path.Combine(Path.GetTempPath(), "clickscape-studio-wal-" + Guid.NewGuid().ToString("N"));
        var store = new AnnotationStore(folder);
        Assert.Equal("wal", store.JournalMode());
        Assert.True(File.Exists(store.DatabasePath));
    }
}
