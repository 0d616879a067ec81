using Xunit.Abstractions;

namespace Clickscape.Geometry.Tests;

/// <summary>
/// Locates the real data samples at <c>&lt;repo&gt;/../shared/data/real</c> by walking up from the test binaries or this source file.
/// When absent, tests pass after writing a message, unless CI_REQUIRE_REAL=1 makes them fail.
/// </summary>
internal static class RealData
{
    public static string? Root { get; } = Find();

    // From the test binaries, then from this source file (binaries built with --artifacts-path live outside the repo).
    private static string? Find([System.Runtime.CompilerServices.CallerFilePath] string source = "") =>
        FindFrom(AppContext.BaseDirectory) ?? FindFrom(Path.GetDirectoryName(source));

    private static string? FindFrom(string? start)
    {
        for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "real");
            if (Directory.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>The path of <paramref name="relative"/> under the real data folder, or null (after reporting) when absent.</summary>
    public static string? Locate(string relative, ITestOutputHelper output)
    {
        var path = Root is null ? null : Path.Combine(Root, relative);
        if (path is not null && (File.Exists(path) || Directory.Exists(path)))
            return path;
        var message = $"real data sample '{relative}' not found (expected <repo>/../shared/data/real/{relative})";
        if (Environment.GetEnvironmentVariable("CI_REQUIRE_REAL") == "1")
            Assert.Fail(message);
        output.WriteLine("SKIPPED: " + message);
        return null;
    }
}
