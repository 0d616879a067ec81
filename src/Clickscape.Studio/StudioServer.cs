using System.Net;
using System.Security.Cryptography;
using System.Text;
using Clickscape.Data.IO;
using Clickscape.Studio.Api;
using Clickscape.Studio.Jobs;
using Clickscape.Studio.Review;
using Clickscape.Studio.Scenes;
using Clickscape.Studio.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Clickscape.Studio;

/// <summary>
/// Clickscape Studio's server: Kestrel on loopback by default, the embedded front end, and <see cref="StudioApi"/>
/// under <c>/api/</c>. Every failed request answers JSON <c>{"error": "…"}</c> with a one-line message (never a
/// stack trace); with a token set, every API call must carry it; request bodies are bounded.
/// </summary>
public static partial class StudioServer
{
    /// <summary>The state folder name inside the data folder.</summary>
    public const string StateFolderName = ".clickscape-studio";

    /// <summary>
    /// Checks <paramref name="options"/> and builds the application (not started). <paramref name="configure"/> may
    /// replace the server (the tests use the in-process test server).
    /// </summary>
    public static WebApplication Build(StudioOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = ListenAddress(options);
        if (options.Port is < 0 or > 65535) throw new ArgumentException($"--port {options.Port} out of range; expected 0..65535");
        if (options.Token is { } t && t.Length < 8) throw new ArgumentException("--token must be at least 8 characters");
        if (options.RunPath is not null && !Directory.Exists(options.RunPath)) throw new DirectoryNotFoundException($"{options.RunPath}: no such run folder (--run)");
        if (options.TrainConfigPath is { } trainConfig && !File.Exists(trainConfig)) throw new FileNotFoundException($"{trainConfig}: no such training configuration (--train-config)", trainConfig);
        if (options.ClickscapeCommand is { Count: 0 }) throw new ArgumentException("ClickscapeCommand is empty; expected the program (and its first arguments) that starts clickscape");
        var catalog = new SceneCatalog(options.DataPath);
        var statePath = Path.GetFullPath(options.StatePath ?? Path.Combine(catalog.Root, StateFolderName));
        // --run may itself be an interactive run: then refine uses it (unless --interactive names another) and no job labels with it
        bool runIsInteractive = options.RunPath is not null && InteractiveModel.IsInteractiveRun(options.RunPath);
        var sources = new ReviewSources(options.RunPath, checkpointLabels: !runIsInteractive);
        if (options.RunPath is not null && !runIsInteractive && sources.All.Count == 0 && sources.RunCheckpoint is null)
            throw new DataFormatException(options.RunPath, "--run holds no predictions (instance/<scene>.txt, as clickscape predict or pseudo-label write, here or in a subfolder) and no checkpoints/best or last.safetensors");
        if (options.InteractiveCacheScenes < 1) throw new ArgumentException($"InteractiveCacheScenes {options.InteractiveCacheScenes}: expected at least 1 scene");
        var interactiveRun = options.InteractiveRunPath ?? (runIsInteractive ? options.RunPath : null);
        var model = interactiveRun is null ? null : InteractiveModel.Load(interactiveRun, options.InteractiveCacheScenes, options.BeforeFeatures);
        var store = new AnnotationStore(statePath);
        var jobs = new StudioJobs(statePath, options.ClickscapeCommand, sources);
        var api = new StudioApi(catalog, store, options, statePath, sources, jobs, model);
        var assets = new StaticAssets();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
            k.AddServerHeader = false;
            if (address is null) k.ListenLocalhost(options.Port);
            else k.Listen(address, options.Port);
        });
        configure?.Invoke(builder);
        builder.Services.AddSingleton(store); // for the tests: the store this server writes to
        builder.Services.AddSingleton(jobs);  // for the tests: this server's jobs
        if (model is not null) builder.Services.AddSingleton(model); // what refine uses, for serve's start line
        var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Clickscape.Studio");
        app.Lifetime.ApplicationStopping.Register(jobs.Dispose); // a running job's process ends with the server
        if (model is not null) app.Lifetime.ApplicationStopped.Register(model.Dispose);

        app.Use(async (context, next) =>
        {
            try
            {
                if (context.Request.Path.StartsWithSegments("/api") && !Authorized(context, options.Token))
                    throw new ApiException(401, "missing or wrong access token (send Authorization: Bearer TOKEN, or open the page with ?token=TOKEN)");
                await next(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
            {
                var (status, message, version) = Describe(e);
                if (status >= 500) LogFailure(logger, e, context.Request.Method, context.Request.Path.ToString());
                context.Response.Clear();
                context.Response.StatusCode = status;
                object payload = version is null ? new { error = message } : new { error = message, version };
                await context.Response.WriteAsJsonAsync(payload);
            }
        });
        api.Map(app);
        app.Map("/api/{**rest}", (HttpContext _) => Task.FromException(new ApiException(404, "no such API endpoint")));
        app.MapGet("/{**path}", async (HttpContext context, string? path) =>
        {
            if (!await assets.TryServeAsync(context, path ?? ""))
                throw new ApiException(404, $"no page '{path}'");
        });
        return app;
    }

    /// <summary>The address to bind, or null for <c>localhost</c>; refuses a non-loopback address without a token.</summary>
    internal static IPAddress? ListenAddress(StudioOptions options)
    {
        if (string.Equals(options.Host, "localhost", StringComparison.OrdinalIgnoreCase)) return null;
        if (!IPAddress.TryParse(options.Host, out var address))
            throw new ArgumentException($"--host '{options.Host}' is not an IP address; expected e.g. 127.0.0.1, ::1, localhost or 0.0.0.0");
        if (!IPAddress.IsLoopback(address) && string.IsNullOrEmpty(options.Token))
            throw new ArgumentException($"--host {options.Host} listens beyond this machine; refusing without --token (an access token every API call must carry)");
        return address;
    }

    private static bool Authorized(HttpContext context, string? token)
    {
        if (string.IsNullOrEmpty(token)) return true;
        string? given = null;
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.Ordinal)) given = header["Bearer ".Length..].Trim();
        given ??= context.Request.Headers["X-Clickscape-Token"].ToString();
        if (string.IsNullOrEmpty(given) && context.Request.Query.TryGetValue("token", out var q)) given = q.ToString();
        return !string.IsNullOrEmpty(given)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(token));
    }

    private static (int Status, string Message, int? Version) Describe(Exception e) => e switch
    {
        ApiException a => (a.Status, OneLine(a.Message), a.CurrentVersion),
        DataFormatException d => (422, OneLine(d.Message), null),
        BadHttpRequestException b => (b.StatusCode, OneLine(b.Message), null),
        SqliteException s when s.SqliteErrorCode == 13 => (507, "the annotation database is full (disk full): the change was NOT stored; free disk space and repeat it", null),
        SqliteException s => (503, $"the change could not be stored (SQLite error {s.SqliteErrorCode}: {OneLine(s.Message)}); it was not saved, repeat it", null),
        IOException io when io.HResult == 28 || io.Message.Contains("No space", StringComparison.OrdinalIgnoreCase) => (507, "disk full: the file was NOT written; free disk space and repeat", null),
        FileNotFoundException or DirectoryNotFoundException => (404, OneLine(e.Message), null),
        IOException or UnauthorizedAccessException => (503, $"a file could not be written or read ({OneLine(e.Message)}); nothing was changed, repeat it", null),
        _ => (500, "internal error while handling the request (details are in the server log)", null),
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailure(ILogger logger, Exception exception, string method, string path);

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
