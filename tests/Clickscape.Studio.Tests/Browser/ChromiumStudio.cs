using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Playwright;

namespace Clickscape.Studio.Tests.Browser;

/// <summary>
/// What every browser test of Studio sets up: a real Kestrel server on a free loopback port (<see cref="StudioServer"/>)
/// and headless Chromium (Debian's <c>/usr/bin/chromium</c>, driven by Playwright; WebGL through SwiftShader), pages of
/// 1280 × 800 whose script errors are collected in <see cref="PageErrors"/>. <see cref="RestartAsync"/> kills the server
/// and starts a new one on the same state, as a crash and a restart would.
/// </summary>
internal sealed class ChromiumStudio : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private WebApplication _app;
    private readonly IPlaywright _playwright;

    private ChromiumStudio(StudioOptions options, WebApplication app, IPlaywright playwright, IBrowser browser)
    {
        Options = options;
        _app = app;
        _playwright = playwright;
        Browser = browser;
        Http = new HttpClient { BaseAddress = new Uri(Url) };
    }

    public StudioOptions Options { get; }

    public IBrowser Browser { get; }

    /// <summary>The server's address (changes with a restart: the port is any free one).</summary>
    public string Url => _app.Urls.First();

    /// <summary>A client of the running server.</summary>
    public HttpClient Http { get; private set; }

    /// <summary>Uncaught script errors of every page opened with <see cref="NewPageAsync"/>.</summary>
    public List<string> PageErrors { get; } = [];

    /// <summary>Starts Studio on <paramref name="options"/> (port 0 = any free one) and Chromium.</summary>
    public static async Task<ChromiumStudio> StartAsync(StudioOptions options)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium (.ci/run does)");
        var app = StudioServer.Build(options);
        await app.StartAsync();
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader"],
        });
        return new ChromiumStudio(options, app, playwright, browser);
    }

    /// <summary>A new tab (1280 × 800).</summary>
    public async Task<IPage> NewPageAsync()
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 800 } });
        page.PageError += (_, e) => PageErrors.Add(e);
        return page;
    }

    /// <summary>Opens scene <paramref name="scene"/> in <paramref name="page"/> (by URL) and waits until it is drawn.</summary>
    public async Task OpenAsync(IPage page, string scene)
    {
        await page.GotoAsync($"{Url}/?scene={scene}");
        await page.WaitForFunctionAsync($"window.studio.ready === true && window.studio.state.scene?.id === '{scene}'");
    }

    /// <summary>Stops the server and starts a new one on the same options and state.</summary>
    public async Task RestartAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = StudioServer.Build(Options);
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = new Uri(Url) };
    }

    /// <summary>
    /// Where point <paramref name="point"/> is on the page's canvas and the point a click there picks, or null when it is
    /// behind the camera, off the canvas or under the side panel.
    /// </summary>
    public static async Task<(float X, float Y, int Picked)?> PickAsync(IPage page, int point)
    {
        var at = await page.EvaluateAsync<JsonElement>($"window.studio.projectPoint({point})");
        if (!at.GetProperty("visible").GetBoolean()) return null;
        float x = at.GetProperty("x").GetSingle(), y = at.GetProperty("y").GetSingle();
        if (x < 310 || y < 5 || x > 1275 || y > 795) return null;
        int picked = await page.EvaluateAsync<int>($"window.studio.pickAt({x}, {y})");
        return (x, y, picked);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}
