using Clickscape.Data.Formats.Npy;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Data.Formats.MmDetection3d;

/// <summary>
/// mmdetection3d's older per-scene <c>.npy</c> layout, all scenes of a dataset side by side in one folder:
/// <list type="bullet">
/// <item>ScanNet (<c>batch_load_scannet_data.py</c>, folder <c>scannet_instance_data/</c>): <c>&lt;scene&gt;_vert.npy</c>
/// (float32 N×6 x y z r g b, colours 0–255), <c>_sem_label.npy</c> (NYU40 ids, 0 = unannotated), <c>_ins_label.npy</c>
/// (1..K, 0 = none); the same with an <c>_all</c> suffix (<c>_vert_all.npy</c>, <c>_sem_label_all.npy</c>, …), and the
/// side files <c>_aligned_bbox.npy</c>, <c>_unaligned_bbox.npy</c>, <c>_bbox.npy</c>, <c>_axis_align_matrix.npy</c>,
/// which belong to their scene and are not scenes.</item>
/// <item>S3DIS (<c>collect_indoor3d_data.py</c>, folder <c>s3dis_data/</c>): <c>&lt;Area_N_room&gt;_point.npy</c> (N×6) with
/// <c>_sem_label.npy</c> (0..12) and <c>_ins_label.npy</c>; a <c>_point.npy</c> counts as a scene only beside its labels.</item>
/// </list>
/// When both <c>_vert</c> and <c>_vert_all</c> exist for one scene it is one scene: the variant with more label files,
/// on a tie the <c>_all</c> one (all vertices).
/// </summary>
public static class MmDetection3dNpyScene
{
    /// <summary>What a file of the layout is for.</summary>
    public enum Role
    {
        /// <summary>Points (<c>_vert</c>, <c>_vert_all</c>, <c>_point</c>).</summary>
        Points,

        /// <summary>Semantic labels.</summary>
        Semantic,

        /// <summary>Instance labels.</summary>
        Instance,

        /// <summary>Boxes, the axis-alignment matrix, other label arrays: part of a scene, not a scene.</summary>
        Side,
    }

    /// <summary>One file's part in the layout: its scene id, role and variant suffix (<c>""</c> or <c>"_all"</c>).</summary>
    public readonly record struct Part(string SceneId, Role Role, string Variant, bool S3dis);

    /// <summary>A scene of the layout: its id, its points file and its dataset.</summary>
    public sealed record Entry(string SceneId, string PointsPath, IndoorDataset Dataset);

    private static readonly (string Suffix, Role Role, string Variant)[] Suffixes =
    [
        ("_vert_all", Role.Points, "_all"), ("_vert", Role.Points, ""),
        ("_sem_label_all", Role.Semantic, "_all"), ("_sem_label", Role.Semantic, ""),
        ("_ins_label_all", Role.Instance, "_all"), ("_ins_label", Role.Instance, ""),
        ("_point", Role.Points, "_point"),
        ("_unaligned_bbox", Role.Side, ""), ("_aligned_bbox", Role.Side, ""), ("_bbox", Role.Side, ""),
        ("_axis_align_matrix", Role.Side, ""), ("_label_all", Role.Side, ""), ("_label", Role.Side, ""),
    ];

    /// <summary>The part a file name plays in the layout, or null when its name is not of the layout.</summary>
    public static Part? Classify(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = Path.GetFileName(path);
        if (!file.EndsWith(".npy", StringComparison.Ordinal)) return null;
        var stem = file[..^4];
        foreach (var (suffix, role, variant) in Suffixes)
        {
            if (stem.Length > suffix.Length && stem.EndsWith(suffix, StringComparison.Ordinal))
                return new Part(stem[..^suffix.Length], role, variant == "_point" ? "" : variant, variant == "_point");
        }
        return null;
    }

    /// <summary>
    /// The scenes among <paramref name="files"/> (the files of one folder) and every file they or the orphaned side
    /// files of the layout claim, so that no part is taken for a scene of its own.
    /// </summary>
    public static (IReadOnlyList<Entry> Scenes, IReadOnlySet<string> Claimed) Group(IEnumerable<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        var parts = new Dictionary<string, List<(string Path, Part Part)>>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            if (Classify(f) is not { } p) continue;
            if (!parts.TryGetValue(p.SceneId, out var list)) parts[p.SceneId] = list = [];
            list.Add((f, p));
        }
        var scenes = new List<Entry>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, list) in parts)
        {
            var candidates = list.Where(x => x.Part.Role == Role.Points && (!x.Part.S3dis || list.Any(y => y.Part.Role is Role.Semantic or Role.Instance && y.Part.Variant == "")))
                .Select(x => (x.Path, x.Part, Labels: list.Count(y => y.Part.Role is Role.Semantic or Role.Instance && y.Part.Variant == x.Part.Variant)))
                .OrderByDescending(x => x.Labels).ThenByDescending(x => x.Part.Variant.Length).ThenBy(x => x.Part.S3dis)
                .ToList();
            if (candidates.Count > 0)
            {
                var chosen = candidates[0];
                scenes.Add(new Entry(id, chosen.Path, chosen.Part.S3dis ? IndoorDataset.S3dis : IndoorDataset.ScanNet));
                foreach (var x in list) claimed.Add(x.Path);
            }
            else
            {
                // No points file: boxes and labels are orphans of a scene that is not there, never scenes; a lone
                // <name>_point.npy without labels is an ordinary array and stays unclaimed.
                foreach (var x in list.Where(x => x.Part.Role != Role.Points)) claimed.Add(x.Path);
            }
        }
        scenes.Sort((a, b) => string.CompareOrdinal(a.PointsPath, b.PointsPath));
        return (scenes, claimed);
    }

    /// <summary>Loads the scene whose points file is <paramref name="pointsPath"/>; label files are optional.</summary>
    public static Scene Load(string pointsPath, ColumnMap? columns = null)
    {
        ArgumentNullException.ThrowIfNull(pointsPath);
        if (Classify(pointsPath) is not { Role: Role.Points } part)
            throw new DataFormatException(pointsPath, "not a points file of the mmdetection3d layout (expected <scene>_vert.npy, <scene>_vert_all.npy or <room>_point.npy)");
        var dir = Path.GetDirectoryName(Path.GetFullPath(pointsPath))!;
        var dataset = part.S3dis ? IndoorDataset.S3dis : IndoorDataset.ScanNet;
        var scene = NpyScene.ToScene(NpyReader.Read(pointsPath), part.SceneId, pointsPath, columns);
        if (columns is null && scene.Colors is null) throw new DataFormatException(pointsPath, "expected N×6 x y z r g b");
        if (columns is { HasLabels: true }) return Finish(scene, dataset, pointsPath);
        string semPath = Path.Combine(dir, $"{part.SceneId}_sem_label{part.Variant}.npy");
        string insPath = Path.Combine(dir, $"{part.SceneId}_ins_label{part.Variant}.npy");
        var semantic = File.Exists(semPath) ? IndoorDatasets.LabelArray(NpyReader.Read(semPath), scene.PointCount, semPath) : null;
        var instance = File.Exists(insPath) ? IndoorDatasets.LabelArray(NpyReader.Read(insPath), scene.PointCount, insPath) : null;
        IndoorDatasets.Apply(scene, dataset, semantic, instance, semPath, insPath);
        return Finish(scene, dataset, pointsPath);
    }

    /// <summary>Loads the one scene of a folder of this layout.</summary>
    public static Scene LoadFolder(string dir, ColumnMap? columns = null)
    {
        var (scenes, _) = Group(Directory.GetFiles(dir, "*.npy"));
        if (scenes.Count != 1) throw new DataFormatException(dir, $"expected one <scene>_vert_all.npy / _vert.npy / _point.npy scene in the folder, found {scenes.Count}");
        return Load(scenes[0].PointsPath, columns);
    }

    /// <summary>The error for a side file given where a scene was expected.</summary>
    internal static DataFormatException NotAScene(string path, Part part) => new(path, part.Role switch
    {
        Role.Side => $"an mmdetection3d side file (boxes / alignment / labels) of scene '{part.SceneId}', not a scene; open its {part.SceneId}_vert.npy or the folder",
        _ => $"the {part.Role.ToString().ToLowerInvariant()} labels of scene '{part.SceneId}', not a scene; open its {part.SceneId}_vert{part.Variant}.npy or the folder",
    });

    private static Scene Finish(Scene scene, IndoorDataset dataset, string source)
    {
        if (dataset == IndoorDataset.S3dis && scene.Classes is null && scene.SemanticLabels is null) scene.Classes = Classes.ClassTables.S3dis;
        if (scene.Validate() is { } problem) throw new DataFormatException(source, problem);
        return scene;
    }
}
