using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Tests.Formats;

/// <summary>Seeded random scenes with every attribute, for round-trip tests.</summary>
internal static class TestScenes
{
    /// <summary>A scene of <paramref name="n"/> points with colours, normals, triangles, labels and instances.</summary>
    public static Scene Random(int seed, int n, bool faces = true, int maxLabel = 40, int maxInstance = 12)
    {
        var rng = new Random(seed);
        var positions = new float[3 * n];
        for (int i = 0; i < positions.Length; i++) positions[i] = (float)((rng.NextDouble() - 0.5) * 20) * (rng.Next(10) == 0 ? 1e-7f : 1f);
        var scene = new Scene($"random{seed}", positions)
        {
            Colors = new byte[3 * n],
            Normals = new float[3 * n],
            SemanticLabels = new int[n],
            InstanceIds = new int[n],
        };
        rng.NextBytes(scene.Colors);
        for (int i = 0; i < scene.Normals.Length; i++) scene.Normals[i] = (float)(rng.NextDouble() * 2 - 1);
        for (int i = 0; i < n; i++)
        {
            scene.SemanticLabels[i] = rng.Next(maxLabel + 1);
            scene.InstanceIds[i] = rng.Next(maxInstance + 1);
        }
        if (faces && n > 0)
        {
            int f = rng.Next(2 * n + 1);
            scene.Faces = new int[3 * f];
            for (int i = 0; i < scene.Faces.Length; i++) scene.Faces[i] = rng.Next(n);
        }
        return scene;
    }

    private static readonly Lazy<string> Root = new(() =>
    {
        var parent = Path.Combine(Path.GetTempPath(), "clickscape-formats-tests");
        // The test host is often killed rather than exited, so clean up after earlier runs instead: remove the
        // folders of processes that no longer exist.
        if (Directory.Exists(parent))
        {
            foreach (var stale in Directory.GetDirectories(parent))
            {
                if (!int.TryParse(Path.GetFileName(stale), out int pid) || IsRunning(pid)) continue;
                try
                {
                    Directory.Delete(stale, recursive: true);
                }
                catch (IOException)
                {
                    // Best effort: a leftover temp folder is harmless.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }
        return Path.Combine(parent, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    });

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A fresh empty temporary folder (removed by a later test run once this process has ended).</summary>
    public static string TempDir()
    {
        var dir = Path.Combine(Root.Value, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
