using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace Clickscape.Testing;

/// <summary>
/// Locates the real data samples at <c>&lt;repo&gt;/../shared/data/real</c> (they are never copied into the
/// repository), walking up from the test binaries and, since builds with <c>--artifacts-path</c> put the binaries
/// outside the repository, from this source file's compile-time path. Compiled into every test project
/// (Directory.Build.props links this one file).
/// </summary>
/// <remarks>
/// When a sample is missing, <see cref="Locate"/> fails the test under CI (environment variable <c>CI=true</c>,
/// which <c>.ci/run</c> exports itself, or the older <c>CI_REQUIRE_REAL=1</c>): there the samples must be
/// present. Elsewhere it skips the test visibly — the runner reports it as Skipped with the reason, never as
/// Passed — so a test that calls it must be a <c>[SkippableFact]</c> / <c>[SkippableTheory]</c>
/// (Xunit.SkippableFact; a plain <c>[Fact]</c> would report the skip as a failure).
/// </remarks>
internal static class RealData
{
    /// <summary>The <c>shared/data/real</c> folder, or null when it is not next to the repository.</summary>
    public static string? Root { get; } = Find();

    /// <summary>
    /// The full path of <paramref name="relative"/> (a file or folder; "" for the root) under the real-data folder.
    /// When it is absent: skips the test (after writing why to <paramref name="output"/>), or fails it in CI.
    /// </summary>
    public static string Locate(string relative, ITestOutputHelper output) => Locate(relative, output, RequiredHere());

    /// <summary><see cref="Locate(string, ITestOutputHelper)"/> with the CI decision made by the caller (tests of the locator).</summary>
    internal static string Locate(string relative, ITestOutputHelper output, bool required)
    {
        ArgumentNullException.ThrowIfNull(relative);
        ArgumentNullException.ThrowIfNull(output);
        var path = Root is null ? null : Path.GetFullPath(Path.Combine(Root, relative));
        if (path is not null && (File.Exists(path) || Directory.Exists(path)))
            return path;
        var message = Root is null
            ? $"real data folder not found: looked for shared/data/real beside an ancestor of {AppContext.BaseDirectory} and of {SourceDirectory()} (expected <repo>/../shared/data/real/{relative})"
            : $"real data sample '{relative}' not found in {Root}";
        if (required)
            throw new InvalidOperationException(message + "; in CI the real samples must be present");
        output.WriteLine("SKIPPED (test not run): " + message);
        throw new SkipException(message + " (set CI=true to make this a failure)");
    }

    /// <summary>Whether a missing sample must fail: CI sets <c>CI=true</c>.</summary>
    private static bool RequiredHere() =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
        || Environment.GetEnvironmentVariable("CI_REQUIRE_REAL") == "1";

    private static string? Find() => FindFrom(AppContext.BaseDirectory) ?? FindFrom(SourceDirectory());

    private static string? FindFrom(string? start)
    {
        for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", "real");
            if (Directory.Exists(candidate))
                return candidate;
        }
        return null;
    }

    private static string? SourceDirectory([CallerFilePath] string source = "") => Path.GetDirectoryName(source);
}
