using Xunit.Abstractions;

namespace Clickscape.Evaluation.Tests;

/// <summary>
/// Finds <c>shared/data/real</c> next to the repository (walking up from the test binaries). When absent, tests
/// pass after writing a message, unless CI_REQUIRE_REAL=1 makes them fail.
/// </summary>
internal static class RealData
{
    public static string? Locate(ITestOutputHelper output, string relative, [System.Runtime.CompilerServices.CallerFilePath] string source = "")
    {
        // From the binaries (a build inside the repository) and from this source file (builds with --artifacts-path elsewhere).
        var starts = new[] { AppContext.BaseDirectory, Path.GetDirectoryName(source) ?? "" };
        foreach (var dir in starts.Where(s => s.Length > 0).SelectMany(Ancestors))
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "data", "real", relative);
            if (Directory.Exists(candidate) || File.Exists(candidate))
                return Path.GetFullPath(candidate);
            candidate = Path.Combine(dir.FullName, "shared", "data", "real", relative);
            if (Directory.Exists(candidate) || File.Exists(candidate))
                return Path.GetFullPath(candidate);
        }
        var message = $"real data '{relative}' not found next to the repository (shared/data/real)";
        if (Environment.GetEnvironmentVariable("CI_REQUIRE_REAL") == "1")
            throw new InvalidOperationException(message);
        output.WriteLine(message + "; test not run");
        return null;
    }

    private static IEnumerable<DirectoryInfo> Ancestors(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            yield return dir;
    }
}
