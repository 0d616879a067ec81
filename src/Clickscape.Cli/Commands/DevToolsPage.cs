using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Clickscape.Cli.Commands;

/// <summary>
/// One page of a headless Chromium driven over the Chrome DevTools Protocol (a WebSocket on loopback, flat sessions):
/// just enough for <c>bench studio</c> to load a page and evaluate promises in it, without a browser-automation
/// dependency in the command-line program.
/// </summary>
internal sealed partial class DevToolsPage : IAsyncDisposable
{
    private readonly Process _browser;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _profile;
    private Task _receiver = Task.CompletedTask;
    private string _session = "";
    private int _nextId;

    private DevToolsPage(Process browser, string profile)
    {
        _browser = browser;
        _profile = profile;
    }

    /// <summary>Starts <paramref name="chromium"/> headless (SwiftShader WebGL, window <paramref name="width"/>×<paramref name="height"/>) with one blank page.</summary>
    public static async Task<DevToolsPage> LaunchAsync(string chromium, int width, int height)
    {
        var profile = Path.Combine(Path.GetTempPath(), "clickscape-bench-chromium-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[]
        {
            "--headless", "--no-sandbox", "--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--remote-debugging-port=0", $"--user-data-dir={profile}",
            $"--window-size={width},{height}", "about:blank",
        })
        {
            start.ArgumentList.Add(a);
        }
        var process = Process.Start(start) ?? throw new IOException($"{chromium}: could not be started");
        var page = new DevToolsPage(process, profile);
        try
        {
            string? endpoint = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (endpoint is null)
            {
                var line = await process.StandardError.ReadLineAsync(timeout.Token) ?? throw new IOException($"{chromium} exited before it opened DevTools");
                var m = EndpointPattern().Match(line);
                if (m.Success) endpoint = m.Groups[1].Value;
            }
            _ = process.StandardError.ReadToEndAsync(); // keep draining
            await page._socket.ConnectAsync(new Uri(endpoint), timeout.Token);
            page._receiver = Task.Run(page.ReceiveAsync);
            var target = await page.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, session: false);
            var attached = await page.SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = target.GetProperty("targetId").GetString(), ["flatten"] = true }, session: false);
            page._session = attached.GetProperty("sessionId").GetString()!;
            await page.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
            return page;
        }
        catch
        {
            await page.DisposeAsync();
            throw;
        }
    }

    /// <summary>Navigates to <paramref name="url"/> (returns when the navigation is committed).</summary>
    public Task NavigateAsync(string url) => SendAsync("Page.navigate", new JsonObject { ["url"] = url });

    /// <summary>Evaluates <paramref name="expression"/> (awaiting a promise) and returns its value as JSON; a thrown exception is an <see cref="InvalidOperationException"/>.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["awaitPromise"] = true, ["returnByValue"] = true });
        if (result.TryGetProperty("exceptionDetails", out var error))
            throw new InvalidOperationException($"page: {error.GetProperty("exception").GetProperty("description").GetString()?.ReplaceLineEndings(" ")}");
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Waits (polling every 50 ms, at most <paramref name="timeout"/>) until <paramref name="condition"/> is true in the page.</summary>
    public async Task WaitForAsync(string condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await EvaluateAsync($"Boolean({condition})");
            if (value.ValueKind == JsonValueKind.True) return;
            if (clock.Elapsed > timeout) throw new TimeoutException($"page: '{condition}' still false after {timeout.TotalSeconds:F0} s");
            await Task.Delay(50);
        }
    }

    private async Task<JsonElement> SendAsync(string method, JsonObject parameters, bool session = true)
    {
        int id = Interlocked.Increment(ref _nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (session) message["sessionId"] = _session;
        var done = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = done;
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, _stop.Token);
        return await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open && !_stop.IsCancellationRequested)
            {
                var r = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                using var doc = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                if (!doc.RootElement.TryGetProperty("id", out var idElement) || !_pending.TryRemove(idElement.GetInt32(), out var waiter)) continue;
                if (doc.RootElement.TryGetProperty("error", out var error)) waiter.SetException(new InvalidOperationException($"DevTools: {error.GetRawText()}"));
                else waiter.SetResult(doc.RootElement.GetProperty("result").Clone());
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // closing
        }
        foreach (var waiter in _pending.Values) waiter.TrySetException(new IOException("the browser closed the DevTools connection"));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (!_browser.HasExited) _browser.Kill(entireProcessTree: true);
            await _browser.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        await _receiver;
        _socket.Dispose();
        _browser.Dispose();
        _stop.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by an exiting child; it is in the temp folder
        }
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex EndpointPattern();
}
