using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Clickscape.Studio;

/// <summary>
/// The front end, embedded in this assembly (<c>wwwroot/…</c>, and three.js vendored from the pinned npm package
/// at build time): served from memory, so the server needs no network and no files beside it.
/// </summary>
public sealed class StaticAssets
{
    private readonly Dictionary<string, (byte[] Bytes, string ContentType)> _files = new(StringComparer.Ordinal);

    /// <summary>Loads every embedded <c>wwwroot/</c> resource.</summary>
    public StaticAssets()
    {
        var assembly = typeof(StaticAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            _files[name["wwwroot/".Length..]] = (copy.ToArray(), ContentType(name));
        }
    }

    /// <summary>The asset paths (relative to the site root).</summary>
    public IEnumerable<string> Paths => _files.Keys;

    /// <summary>Serves <paramref name="path"/> ("" = index.html); false when there is no such asset.</summary>
    public async Task<bool> TryServeAsync(HttpContext context, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (path.Length == 0) path = "index.html";
        if (!_files.TryGetValue(path, out var file)) return false;
        context.Response.ContentType = file.ContentType;
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.ContentLength = file.Bytes.Length;
        await context.Response.Body.WriteAsync(file.Bytes, context.RequestAborted);
        return true;
    }

    private static string ContentType(string name) => Path.GetExtension(name).ToLowerInvariant() switch
    {
        ".html" => "text/html; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".png" => "image/png",
        ".svg" => "image/svg+xml",
        ".json" => "application/json",
        _ => "text/plain; charset=utf-8",
    };

    internal static Assembly Assembly => typeof(StaticAssets).Assembly;
}
