using Clickscape.Data.Formats.Npy;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.S3dis;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.Formats.SemanticKitti;
using Clickscape.Data.Formats.Text;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data;

/// <summary>One scene found in a dataset folder: its name, where it lives, and how to load it (lazily).</summary>
public sealed record SceneSource(string Name, string Path, string Format, Func<Scene> Load);

/// <summary>
/// Opens any supported scene by its path, detecting the format from the extension or the folder layout:
/// a ScanNet scene folder (<c>_vh_clean_2.ply</c> …), a PartNet shape folder (<c>result.json</c> +
/// <c>point_sample/</c>, deepest level), an S3DIS room (<c>Annotations/</c>), an mmdetection3d ScanNet folder
/// (<c>_vert_all.npy</c>), or a file: <c>.ply</c>, <c>.npy</c>, <c>.bin</c> (SemanticKITTI, labels beside or in
/// <c>../labels/</c>), <c>.xyz</c> / <c>.xyzrgb</c> / <c>.pts</c> / <c>.txt</c>.
/// </summary>
public static class SceneLoader
{
    private static readonly string[] TextExtensions = [".xyz", ".xyzrgb", ".pts", ".txt"];

    /// <summary>Loads the scene at <paramref name="path"/> (file or scene folder).</summary>
    public static Scene Load(string path)
    {
        if (Directory.Exists(path))
        {
            return DetectFolder(path) is { } source
                ? source.Load()
                : throw new DataFormatException(path, "not a scene folder (ScanNet scene, PartNet shape, S3DIS room or *_vert_all.npy); for a dataset folder enumerate its scenes");
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file or folder", path);
        return DetectFile(path, strict: true)!.Load();
    }

    /// <summary>The format name <see cref="Load"/> would use for <paramref name="path"/>, or null when unsupported.</summary>
    public static string? DetectFormat(string path) =>
        Directory.Exists(path) ? DetectFolder(path)?.Format : File.Exists(path) ? DetectFile(path, strict: false)?.Format : null;

    /// <summary>
    /// The scenes under <paramref name="dir"/>: the folder itself when it is a scene folder, else every scene
    /// folder and scene file below it (recursively, ordinal order; <c>.txt</c> files are left out because
    /// datasets keep notes and class lists in them; ScanNet label/segment files are parts of their scene).
    /// </summary>
    public static IEnumerable<SceneSource> Enumerate(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: no such folder");
        if (DetectFolder(dir) is { } self)
        {
            yield return self;
            yield break;
        }
        foreach (var file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
        {
            if (string.Equals(Path.GetExtension(file), ".txt", StringComparison.OrdinalIgnoreCase)) continue;
            if (DetectFile(file, strict: false) is { } source) yield return source;
        }
        foreach (var sub in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(sub).StartsWith('.')) continue;
            foreach (var source in Enumerate(sub)) yield return source;
        }
    }

    private static SceneSource? DetectFolder(string dir)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(dir));
        if (ScanNetScene.IsSceneFolder(dir)) return new SceneSource(name, dir, "scannet", () => ScanNetScene.Load(dir));
        if (PartNetShape.IsShapeFolder(dir))
        {
            return new SceneSource(name, dir, "partnet", () =>
            {
                var shape = PartNetShape.Load(dir);
                return shape.ToScene(shape.MaxDepth);
            });
        }
        if (S3disRoom.IsRoomFolder(dir)) return new SceneSource(name, dir, "s3dis", () => S3disRoom.Load(dir));
        if (ScanNetNpyScene.VertexFiles(dir).Count == 1) return new SceneSource(name, dir, "scannet-npy", () => ScanNetNpyScene.Load(dir));
        return null;
    }

    private static SceneSource? DetectFile(string path, bool strict)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        string stem = Path.GetFileNameWithoutExtension(path);
        switch (ext)
        {
            case ".ply":
                return new SceneSource(PlyScene.SceneName(path), path, "ply", () => PlyScene.Load(path));
            case ".npy":
                if (ScanNetNpyScene.IsVertexFile(path)) return new SceneSource(stem, path, "scannet-npy", () => ScanNetNpyScene.Load(path));
                if (!strict && (stem.EndsWith("_label", StringComparison.Ordinal) || stem.EndsWith("_label_all", StringComparison.Ordinal) || stem.Contains("_label_", StringComparison.Ordinal)))
                    return null;
                return new SceneSource(stem, path, "npy", () => NpyScene.Load(path));
            case ".bin":
                return new SceneSource(stem, path, "semantickitti", () => SemanticKittiScan.Load(path));
            default:
                if (TextExtensions.Contains(ext)) return new SceneSource(stem, path, "text", () => TextPointCloud.Load(path));
                if (strict) throw new DataFormatException(path, $"unsupported file type '{ext}', expected .ply, .npy, .bin, .xyz, .xyzrgb, .pts, .txt or a scene folder");
                return null;
        }
    }
}
