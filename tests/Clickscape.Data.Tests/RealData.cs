using Xunit.Abstractions;

namespace Clickscape.Data.Tests;

/// <summary>
/// Finds <c>shared/data/real</c> (the real samples, never copied into the repository) by walking up from the
/// test binaries. Tests that need it call <see cref="Available"/>: when the folder is absent they pass after
/// saying so, unless CI_REQUIRE_REAL=1, where they fail.
/// </summary>
internal static class RealData
{
    private static readonly Lazy<string?> Root = new(Locate);

    /// <summary>The real-data folder, or null.</summary>
    public static string? Directory => Root.Value;

    /// <summary>Path of <paramref name="relative"/> inside the real-data folder.</summary>
    public static string PathOf(string relative) => Path.Combine(Directory ?? throw new InvalidOperationException("real data absent"), relative);

    /// <summary>Whether the samples are here; writes a skip note (or fails under CI_REQUIRE_REAL=1) when not.</summary>
    public static bool Available(ITestOutputHelper output, string relative = "")
    {
        if (Directory is { } dir && (relative.Length == 0 || File.Exists(Path.Combine(dir, relative)) || System.IO.Directory.Exists(Path.Combine(dir, relative))))
            return true;
        string message = $"real data sample '{relative}' not found (looked for shared/data/real above {AppContext.BaseDirectory}); test skipped";
        if (Environment.GetEnvironmentVariable("CI_REQUIRE_REAL") == "1") Assert.Fail(message);
        output.WriteLine(message);
        return false;
    }

    // Walks up from the test binaries (which may be built outside the repo with --artifacts-path) and from
    // this source file's compile-time path, looking for shared/data/real beside an ancestor.
    private static string? Locate() => LocateFrom(AppContext.BaseDirectory) ?? LocateFrom(SourceDirectory());

    private static string? LocateFrom(string? start)
    {
        for (var dir = start is null ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "real");
            if (System.IO.Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    private static string? SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string file = "") => Path.GetDirectoryName(file);
}
