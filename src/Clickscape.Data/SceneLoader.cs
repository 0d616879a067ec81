using Clickscape.Data.Formats;
using Clickscape.Data.Formats.Las;
using Clickscape.Data.Formats.MmDetection3d;
using Clickscape.Data.Formats.Npy;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Formats.Pcd;
using Clickscape.Data.Formats.Ply;
using Clickscape.Data.Formats.Pointcept;
using Clickscape.Data.Formats.S3dis;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.Formats.SemanticKitti;
using Clickscape.Data.Formats.Text;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data;

/// <summary>One scene found in a dataset folder: its name, where it lives, and how to load it (lazily).</summary>
public sealed record SceneSource(string Name, string Path, string Format, Func<Scene> Load);

/// <summary>How scenes are read: the columns of point tables, the raw-category map of ScanNet aggregations.</summary>
public sealed record SceneReadOptions
{
    /// <summary>No column names, the built-in ScanNet category map.</summary>
    public static SceneReadOptions Default { get; } = new();

    /// <summary>
    /// The meaning of the columns of N×K point tables (<c>.npy</c> arrays, raw float32 <c>.bin</c> outside the
    /// SemanticKITTI layout, text lines); null infers them where the width leaves no doubt (<see cref="ColumnMap.Infer"/>).
    /// </summary>
    public ColumnMap? Columns { get; init; }

    /// <summary>Raw ScanNet category → NYU40 id (<c>scannetv2-labels.combined.tsv</c>); null is <see cref="ScanNetLabelMap.BuiltIn"/>.</summary>
    public ScanNetLabelMap? LabelMap { get; init; }
}

/// <summary>
/// Opens any supported scene by its path, detecting the format from the folder layout and the file's place in
/// it, not from the extension alone:
/// <list type="bullet">
/// <item>folders: a ScanNet scene (<c>_vh_clean_2.ply</c> …), a PartNet shape (<c>result.json</c> + <c>point_sample/</c>),
/// an S3DIS room (<c>Annotations/</c>), a Pointcept scene (<c>coord.npy</c> …, <see cref="PointceptScene"/>), a folder
/// holding one mmdetection3d <c>.npy</c> scene;</item>
/// <item><c>.npy</c>: the mmdetection3d ScanNet / S3DIS layout (<see cref="MmDetection3dNpyScene"/>, whose label and box
/// side files are not scenes), else an N×K point array (<see cref="NpyScene"/>, columns from <see cref="SceneReadOptions.Columns"/>);</item>
/// <item><c>.bin</c>: mmdetection3d <c>points/&lt;scene&gt;.bin</c> with <c>instance_mask/</c> + <c>semantic_mask/</c>
/// (<see cref="MmDetection3dBinScene"/>; the masks are not scenes), a SemanticKITTI sweep (in <c>velodyne/</c>, or with a
/// <c>.label</c> beside it or in <c>../labels/</c>), a float32 table with <c>--columns</c>; a lone <c>.bin</c> is x y z r g b
/// when its colour columns say so (<see cref="MmDetection3dBinScene.LooksLikeXyzRgb"/>), else x y z remission;</item>
/// <item><c>.ply</c>, <c>.pcd</c>, <c>.las</c>, and text <c>.xyz</c> / <c>.xyzrgb</c> / <c>.pts</c> / <c>.txt</c>.</item>
/// </list>
/// </summary>
public static class SceneLoader
{
    private static readonly string[] TextExtensions = [".xyz", ".xyzrgb", ".pts", ".txt"];

    /// <summary>The file extensions of scene files, for messages.</summary>
    public const string FileKinds = ".ply, .npy, .bin, .pcd, .las, .xyz, .xyzrgb, .pts or .txt";

    /// <summary>Loads the scene at <paramref name="path"/> (file or scene folder).</summary>
    public static Scene Load(string path) => Load(path, SceneReadOptions.Default);

    /// <summary>Loads the scene at <paramref name="path"/> (file or scene folder) with <paramref name="options"/>.</summary>
    public static Scene Load(string path, SceneReadOptions options) => Source(path, options).Load();

    /// <summary>
    /// The scene at <paramref name="path"/> (a scene file or scene folder) as a source: its stable id, format and
    /// loader. An unsupported file, a side file of a layout, or a folder that is not one scene is a
    /// <see cref="DataFormatException"/>.
    /// </summary>
    public static SceneSource Source(string path, SceneReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (Directory.Exists(path))
        {
            return DetectFolder(path, options)
                ?? throw new DataFormatException(path, "not a scene folder (ScanNet scene, PartNet shape, S3DIS room or one mmdetection3d *_vert.npy scene); for a dataset folder enumerate its scenes");
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file or folder", path);
        return DetectFile(path, options, strict: true)!;
    }

    /// <summary>The format name <see cref="Load(string)"/> would use for <paramref name="path"/>, or null when unsupported.</summary>
    public static string? DetectFormat(string path) => DetectFormat(path, SceneReadOptions.Default);

    /// <summary>The format name <see cref="Load(string, SceneReadOptions)"/> would use, or null when unsupported.</summary>
    public static string? DetectFormat(string path, SceneReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Directory.Exists(path) ? DetectFolder(path, options)?.Format : File.Exists(path) ? DetectFile(path, options, strict: false)?.Format : null;
    }

    /// <summary>
    /// The scenes under <paramref name="dir"/>: the folder itself when it is a scene folder, else every scene
    /// folder and scene file below it (recursively, ordinal order; <c>.txt</c> files are left out because
    /// datasets keep notes and class lists in them; label, segment, mask and box files are parts of their scene).
    /// </summary>
    public static IEnumerable<SceneSource> Enumerate(string dir) => Enumerate(dir, SceneReadOptions.Default);

    /// <summary>The scenes under <paramref name="dir"/> read with <paramref name="options"/>.</summary>
    public static IEnumerable<SceneSource> Enumerate(string dir, SceneReadOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: no such folder");
        return EnumerateFolder(dir, options, new HashSet<string>(StringComparer.Ordinal));
    }

    /// <summary>Scene-file extensions a folder must not carry (a folder named <c>room.ply</c> is a mistake, not a dataset).</summary>
    private static readonly string[] SceneFileExtensions = [".ply", ".npy", ".bin", ".pcd", ".las", ".laz", ".xyz", ".xyzrgb", ".pts"];

    /// <param name="visited">Real paths of the folders already listed: a symlink back to one of them (a loop, or a
    /// second name for the same folder) is listed once, not again and again.</param>
    private static IEnumerable<SceneSource> EnumerateFolder(string dir, SceneReadOptions options, HashSet<string> visited)
    {
        if (!visited.Add(RealPath.Of(dir))) yield break;
        if (DetectFolder(dir, options) is { } self)
        {
            yield return self;
            yield break;
        }
        var files = Directory.GetFiles(dir).Order(StringComparer.Ordinal).ToList();
        var (npyScenes, claimed) = MmDetection3dNpyScene.Group(files);
        var npyByPath = npyScenes.ToDictionary(e => e.PointsPath, StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (npyByPath.TryGetValue(file, out var entry))
            {
                yield return NpyLayoutSource(entry, options);
                continue;
            }
            if (claimed.Contains(file)) continue;
            if (string.Equals(Path.GetExtension(file), ".txt", StringComparison.OrdinalIgnoreCase)) continue;
            if (DetectFile(file, options, strict: false) is { } source) yield return source;
        }
        foreach (var sub in Directory.GetDirectories(dir).Order(StringComparer.Ordinal))
        {
            if (Path.GetFileName(sub).StartsWith('.')) continue;
            if (SceneFileExtensions.Contains(Path.GetExtension(sub).ToLowerInvariant()) && DetectFolder(sub, options) is null)
                throw new DataFormatException(sub, $"is a folder, expected a {Path.GetExtension(sub)} scene file");
            foreach (var source in EnumerateFolder(sub, options, visited)) yield return source;
        }
    }

    private static SceneSource NpyLayoutSource(MmDetection3dNpyScene.Entry entry, SceneReadOptions options) =>
        new(entry.SceneId, entry.PointsPath, entry.Dataset == IndoorDataset.S3dis ? "s3dis-npy" : "scannet-npy",
            () => MmDetection3dNpyScene.Load(entry.PointsPath, options.Columns));

    private static SceneSource? DetectFolder(string dir, SceneReadOptions options)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(dir));
        if (ScanNetScene.IsSceneFolder(dir)) return new SceneSource(name, dir, "scannet", () => ScanNetScene.Load(dir, options.LabelMap));
        if (PartNetShape.IsShapeFolder(dir))
        {
            return new SceneSource(name, dir, "partnet", () =>
            {
                var shape = PartNetShape.Load(dir);
                return shape.ToScene(shape.MaxDepth);
            });
        }
        if (S3disRoom.IsRoomFolder(dir)) return new SceneSource(name, dir, "s3dis", () => S3disRoom.Load(dir));
        if (PointceptScene.IsSceneFolder(dir)) return new SceneSource(name, dir, "pointcept", () => PointceptScene.Load(dir));
        var npy = Directory.GetFiles(dir, "*.npy");
        if (npy.Length > 0)
        {
            // A folder whose .npy files are exactly one mmdetection3d scene (its points, labels, boxes) is that scene.
            var (scenes, claimed) = MmDetection3dNpyScene.Group(npy);
            if (scenes.Count == 1 && claimed.Count == npy.Length)
            {
                var e = scenes[0];
                return new SceneSource(e.SceneId, dir, e.Dataset == IndoorDataset.S3dis ? "s3dis-npy" : "scannet-npy", () => MmDetection3dNpyScene.Load(e.PointsPath, options.Columns));
            }
        }
        return null;
    }

    private static SceneSource? DetectFile(string path, SceneReadOptions options, bool strict)
    {
        string ext = Path.GetExtension(path).ToLowerInvariant();
        string stem = Path.GetFileNameWithoutExtension(path);
        var columns = options.Columns;
        switch (ext)
        {
            case ".ply":
                return new SceneSource(PlyScene.SceneName(path), path, "ply", () => PlyScene.Load(path));
            case ".npy":
                if (MmDetection3dNpyScene.Classify(path) is { } part)
                {
                    var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
                    var (scenes, claimed) = MmDetection3dNpyScene.Group(Directory.GetFiles(dir, part.SceneId + "_*.npy"));
                    var full = Path.GetFullPath(path);
                    if (scenes.FirstOrDefault(e => e.SceneId == part.SceneId) is { } e && (e.PointsPath == full || part.Role == MmDetection3dNpyScene.Role.Points))
                        return NpyLayoutSource(e with { PointsPath = part.Role == MmDetection3dNpyScene.Role.Points ? full : e.PointsPath }, options);
                    if (claimed.Contains(full))
                        return strict ? throw MmDetection3dNpyScene.NotAScene(path, part) : null;
                }
                return new SceneSource(stem, path, "npy", () => NpyScene.Load(path, columns));
            case ".bin":
                return DetectBin(path, options, strict);
            case ".pcd":
                return new SceneSource(stem, path, "pcd", () => PcdScene.Load(path));
            case ".las":
                return new SceneSource(stem, path, "las", () => LasScene.Load(path));
            case ".laz":
                // Listed, so that a dataset listing reports it instead of leaving it out in silence.
                return strict
                    ? throw LazError(path)
                    : new SceneSource(stem, path, "laz", () => throw LazError(path));
            default:
                if (TextExtensions.Contains(ext))
                {
                    return new SceneSource(stem, path, "text", () => TextTableScene(path, stem, columns));
                }
                if (strict) throw new DataFormatException(path, $"unsupported file type '{ext}', expected {FileKinds} or a scene folder");
                return null;
        }
    }

    private static SceneSource? DetectBin(string path, SceneReadOptions options, bool strict)
    {
        string stem = Path.GetFileNameWithoutExtension(path);
        if (MmDetection3dBinScene.IsSideFile(path))
        {
            return strict
                ? throw new DataFormatException(path, $"a mask file of the mmdetection3d layout (scene '{stem}' is points/{stem}.bin), not a scene")
                : null;
        }
        if (MmDetection3dBinScene.IsPointsFile(path))
            return new SceneSource(stem, path, "mmdet3d-bin", () => MmDetection3dBinScene.Load(path, options.Columns));
        if (IsKittiSweep(path))
            return new SceneSource(stem, path, "semantickitti", () => SemanticKittiScan.Load(path));
        if (options.Columns is { } columns)
            return new SceneSource(stem, path, "bin", () => MmDetection3dBinScene.Load(path, columns));
        long length = new FileInfo(path).Length;
        if (MmDetection3dBinScene.LooksLikeXyzRgb(path))
            return new SceneSource(stem, path, "mmdet3d-bin", () => MmDetection3dBinScene.Load(path));
        if (length % 16 == 0)
            return new SceneSource(stem, path, "semantickitti", () => SemanticKittiScan.Load(path));
        var error = new DataFormatException(path, $"{length} bytes is neither SemanticKITTI float32 x y z remission (16 bytes a point) nor mmdetection3d float32 x y z r g b (24 bytes a point, colours 0–255); name the columns with --columns");
        // Listed when enumerating, so that the listing reports it instead of leaving it out in silence.
        return strict ? throw error : new SceneSource(stem, path, "bin", () => throw error);
    }

    private static DataFormatException LazError(string path) =>
        new(path, "LAZ (compressed LAS) is not read; decompress it to .las first (laszip -i in.laz -o out.las)");

    /// <summary>A SemanticKITTI layout: <c>velodyne/NNNNNN.bin</c>, or labels beside it or in <c>../labels/</c>.</summary>
    private static bool IsKittiSweep(string path)
    {
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full)!;
        var stem = Path.GetFileNameWithoutExtension(full);
        return Path.GetFileName(dir) == "velodyne"
            || File.Exists(Path.Combine(dir, stem + ".label"))
            || File.Exists(Path.Combine(Path.GetDirectoryName(dir) ?? dir, "labels", stem + ".label"));
    }

    /// <summary>
    /// A text point table with <paramref name="columns"/>, or with the columns <see cref="ColumnMap.Infer"/> allows
    /// (3, 6, 9): a wider table is refused rather than read with its extra columns dropped (Semantic3D's
    /// <c>x y z intensity r g b</c> would otherwise take intensity for red).
    /// </summary>
    private static Scene TextTableScene(string path, string name, ColumnMap? columns)
    {
        var table = TextTable.Read(path);
        if (table.Rows == 0) return TextPointCloud.ToScene(table, name, path);
        var map = columns ?? ColumnMap.Infer<float>(table.Values, table.Rows, table.Columns, path);
        if (table.Columns != map.Width)
            throw new DataFormatException(path, $"{table.Columns} columns per line, --columns {map} names {map.Width}");
        return map.ToScene<float>(table.Values, table.Rows, name, path);
    }
}
