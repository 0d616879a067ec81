using Clickscape.Data.Synthetic.Scenes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace Clickscape.Studio.Tests;

/// <summary>Two generated rooms in the ScanNet layout, written once per test run and shared read-only by every test.</summary>
internal static class StudioDataset
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), $"clickscape-studio-data-{Environment.ProcessId}");
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        SceneGenerator.WriteDataset(dir, 2, 3, SceneSize.Small);
        return dir;
    });

    /// <summary>The dataset folder.</summary>
    public static string Path0 => Folder.Value;

    public const string Scene = "scene0000_00";
}

/// <summary>Studio on the in-process test server with its own state folder; <see cref="RestartAsync"/> stops it and starts a new server on the same state.</summary>
internal sealed class StudioHost : IAsyncDisposable
{
    private WebApplication _app;

    private StudioHost(StudioOptions options, WebApplication app)
    {
        Options = options;
        _app = app;
        Client = app.GetTestClient();
    }

    public StudioOptions Options { get; }

    public HttpClient Client { get; private set; }

    /// <summary>A service of the running server (its store, its jobs).</summary>
    public T Service<T>() where T : notnull => Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<T>(_app.Services);

    public static async Task<StudioHost> StartAsync(string? token = null, long maxBody = 64 * 1024, string? data = null, Func<StudioOptions, StudioOptions>? with = null)
    {
        var options = new StudioOptions
        {
            DataPath = data ?? StudioDataset.Path0,
            StatePath = Path.Combine(Path.GetTempPath(), "clickscape-studio-state-" + Guid.NewGuid().ToString("N")),
            Token = token,
            MaxRequestBodyBytes = maxBody,
        };
        if (with is not null) options = with(options);
        var app = Build(options);
        await app.StartAsync();
        return new StudioHost(options, app);
    }

    public async Task RestartAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = Build(Options);
        await _app.StartAsync();
        Client = _app.GetTestClient();
    }

    private static WebApplication Build(StudioOptions options) => StudioServer.Build(options, b => b.WebHost.UseTestServer());

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Options.StatePath!, recursive: true);
        }
        catch (IOException)
        {
            // another test's pooled connection may still hold the folder for a moment; it is in the temp folder
        }
    }
}
