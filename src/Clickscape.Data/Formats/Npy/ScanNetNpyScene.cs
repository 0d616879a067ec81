using Clickscape.Data.Classes;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.Npy;

/// <summary>
/// The mmdetection3d ScanNet preprocessing (<c>batch_load_scannet_data.py</c>) as a scene:
/// <c>&lt;scene&gt;_vert_all.npy</c> (float32 N×6, x y z r g b, colours 0–255),
/// <c>&lt;scene&gt;_sem_label_all.npy</c> (N NYU40 ids, 0 = unannotated) and
/// <c>&lt;scene&gt;_ins_label_all.npy</c> (N instance ids 1..K, 0 = none). The shorter
/// <c>_vert.npy</c> / <c>_sem_label.npy</c> / <c>_ins_label.npy</c> names are accepted too.
/// </summary>
public static class ScanNetNpyScene
{
    /// <summary>Whether <paramref name="path"/> is a vertex file of this layout.</summary>
    public static bool IsVertexFile(string path) =>
        path.EndsWith("_vert_all.npy", StringComparison.Ordinal) || path.EndsWith("_vert.npy", StringComparison.Ordinal);

    /// <summary>The vertex files in <paramref name="dir"/> (sorted).</summary>
    public static IReadOnlyList<string> VertexFiles(string dir) =>
        Directory.GetFiles(dir, "*.npy").Where(IsVertexFile).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Loads a scene from its vertex file or from a folder holding exactly one scene's files; label files are
    /// optional (a scene without them has no labels).
    /// </summary>
    public static Scene Load(string path)
    {
        string vertPath = path;
        if (Directory.Exists(path))
        {
            var files = VertexFiles(path);
            if (files.Count != 1) throw new DataFormatException(path, $"expected one <scene>_vert_all.npy in the folder, found {files.Count}");
            vertPath = files[0];
        }
        string file = Path.GetFileName(vertPath);
        string suffix = file.EndsWith("_vert_all.npy", StringComparison.Ordinal) ? "_all" : "";
        string sceneId = file[..^($"_vert{suffix}.npy".Length)];
        string dir = Path.GetDirectoryName(Path.GetFullPath(vertPath))!;

        var scene = NpyScene.ToScene(NpyReader.Read(vertPath), sceneId, vertPath);
        if (scene.Colors is null) throw new DataFormatException(vertPath, "expected N×6 x y z r g b");
        string semPath = Path.Combine(dir, $"{sceneId}_sem_label{suffix}.npy");
        string insPath = Path.Combine(dir, $"{sceneId}_ins_label{suffix}.npy");
        if (File.Exists(semPath)) scene.SemanticLabels = ReadLabels(semPath, scene.PointCount);
        if (File.Exists(insPath)) scene.InstanceIds = ReadLabels(insPath, scene.PointCount);
        scene.Classes = ClassTables.Nyu40;
        if (scene.Validate() is { } problem) throw new DataFormatException(vertPath, problem);
        return scene;
    }

    private static int[] ReadLabels(string path, int n)
    {
        var array = NpyReader.Read(path);
        if (array.Shape.Length != 1 || array.Shape[0] != n)
            throw new DataFormatException(path, $"label array has shape ({string.Join(", ", array.Shape)}), expected ({n},) to match the vertices");
        if (array.DType is NpyDType.Float32 or NpyDType.Float64)
            throw new DataFormatException(path, $"label array is {NpyArray.Descr(array.DType)}, expected an integer dtype");
        var labels = array.ToInt64Array();
        var result = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (labels[i] is < 0 or > int.MaxValue) throw new DataFormatException(path, $"label {labels[i]} of point {i} is out of range, expected 0..{int.MaxValue}");
            result[i] = (int)labels[i];
        }
        return result;
    }
}
