using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;

namespace Clickscape.Data.Datasets;

/// <summary>
/// A dataset as every command sees it: the scenes under a folder (or one scene folder, or one scene file), each
/// with a stable id, and the splits listed in <c>ROOT/splits/{name}.txt</c>. The one way commands enumerate
/// scenes, so that <c>info</c>, <c>oversegment</c>, <c>clicks simulate</c>, <c>train</c> and <c>predict</c> agree.
/// </summary>
public sealed class SceneDataset
{
    /// <summary>The split name that means every scene.</summary>
    public const string AllSplit = "all";

    private readonly Dictionary<string, SceneSource> _byId;

    private SceneDataset(string root, IReadOnlyList<SceneSource> scenes)
    {
        Root = root;
        Scenes = scenes;
        _byId = new Dictionary<string, SceneSource>(StringComparer.Ordinal);
        foreach (var s in scenes)
        {
            if (!_byId.TryAdd(s.Name, s))
                throw new DataFormatException(s.Path, $"scene id '{s.Name}' is also the id of {_byId[s.Name].Path}; expected one scene per id");
        }
    }

    /// <summary>The folder the dataset was opened at (for a single file, its folder).</summary>
    public string Root { get; }

    /// <summary>Every scene, in ordinal order of their paths.</summary>
    public IReadOnlyList<SceneSource> Scenes { get; }

    /// <summary>Opens a dataset folder, a scene folder or a scene file.</summary>
    public static SceneDataset Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path))
        {
            var scenes = SceneLoader.Enumerate(path).ToList();
            if (scenes.Count == 0) throw new DataFormatException(path, "holds no scene (expected ScanNet scene folders, S3DIS rooms, PartNet shapes or .ply/.npy/.bin/.xyz files)");
            return new SceneDataset(Path.GetFullPath(path), scenes);
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file or folder", path);
        var format = SceneLoader.DetectFormat(path) ?? throw new DataFormatException(path, "not a scene file (expected .ply, .npy, .bin, .xyz, .xyzrgb, .pts or .txt)");
        var full = Path.GetFullPath(path);
        var name = Path.GetFileNameWithoutExtension(full);
        var source = SceneLoader.Enumerate(Path.GetDirectoryName(full)!).FirstOrDefault(s => s.Path == full)
            ?? new SceneSource(name, full, format, () => SceneLoader.Load(full));
        return new SceneDataset(Path.GetDirectoryName(full)!, [source]);
    }

    /// <summary>Whether <c>ROOT/splits/<paramref name="split"/>.txt</c> exists (always true for <see cref="AllSplit"/>).</summary>
    public bool HasSplit(string split) => split == AllSplit || File.Exists(ScanNetSplits.PathOf(Root, split));

    /// <summary>
    /// The scenes of <paramref name="split"/>, in the split file's order; <see cref="AllSplit"/> (or null) is every
    /// scene. A missing split file or an id the dataset does not hold is a <see cref="DataFormatException"/>.
    /// </summary>
    public IReadOnlyList<SceneSource> Split(string? split)
    {
        if (split is null || split == AllSplit) return Scenes;
        var file = ScanNetSplits.PathOf(Root, split);
        if (!File.Exists(file))
            throw new DataFormatException(file, $"no split '{split}' (expected one scene id per line; use --split {AllSplit} for every scene)");
        var result = new List<SceneSource>();
        foreach (var id in ScanNetSplits.Read(file))
        {
            if (!_byId.TryGetValue(id, out var s)) throw new DataFormatException(file, $"lists scene '{id}', which {Root} does not hold");
            result.Add(s);
        }
        return result;
    }

    /// <summary>The scene with id <paramref name="id"/>, or null.</summary>
    public SceneSource? Find(string id) => _byId.GetValueOrDefault(id);
}
