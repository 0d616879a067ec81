using Clickscape.Data.Clicks;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Data.Datasets;

/// <summary>
/// A dataset as every command sees it: the scenes under a folder (or one scene folder, or one scene file), each
/// with a stable id, and the splits listed in <c>ROOT/splits/{name}.txt</c>. The one way commands enumerate
/// scenes, so that <c>info</c>, <c>oversegment</c>, <c>clicks simulate</c>, <c>train</c> and <c>predict</c> agree —
/// and the one way they find each scene's side files: its over-segmentation (<see cref="SegmentsPath"/>, by scene id
/// whatever k it was made with), its clicks (<see cref="ClicksPath"/>), its predictions and pseudo labels
/// (<see cref="Predictions"/>, <see cref="PseudoLabels"/>).
/// </summary>
/// <remarks>
/// Two sources with one id are an error, except the preprocessings of one scan that mmdetection3d keeps side by
/// side (<c>scans/</c>, <c>points/</c>, <c>scannet_instance_data/</c>): of those the first of <see cref="Preference"/>
/// is kept and the others are listed in <see cref="Alternatives"/>.
/// </remarks>
public sealed class SceneDataset
{
    /// <summary>The split name that means every scene.</summary>
    public const string AllSplit = "all";

    /// <summary>The formats that are preprocessings of one scan, most complete first.</summary>
    public static IReadOnlyList<string> Preference { get; } = ["scannet", "s3dis", "mmdet3d-bin", "scannet-npy", "s3dis-npy"];

    private readonly Dictionary<string, SceneSource> _byId;

    private SceneDataset(string root, IReadOnlyList<SceneSource> scenes, SceneDatasetOptions options)
    {
        Root = root;
        Options = options;
        _byId = new Dictionary<string, SceneSource>(StringComparer.Ordinal);
        var alternatives = new List<SceneSource>();
        foreach (var s in scenes)
        {
            if (_byId.TryAdd(s.Name, s)) continue;
            var kept = _byId[s.Name];
            int a = IndexOf(kept.Format), b = IndexOf(s.Format);
            if (a < 0 || b < 0 || kept.Format == s.Format)
                throw new DataFormatException(s.Path, $"scene id '{s.Name}' is also the id of {kept.Path}; expected one scene per id");
            if (b < a)
            {
                _byId[s.Name] = s;
                alternatives.Add(kept);
            }
            else
            {
                alternatives.Add(s);
            }
        }
        Scenes = scenes.Where(s => ReferenceEquals(_byId[s.Name], s)).ToList();
        Alternatives = alternatives;
        if (options.PartNetStats is { } stats && !PartNetBenchmark.IsStatsFolder(stats))
            throw new DataFormatException(stats, $"is not a PartNet stats folder (expected {PartNetBenchmark.LabelIdsFolderName}/ or {PartNetBenchmark.SplitFolderName}/ in it)");
        PartNetStats = options.PartNetStats is { } explicitStats ? Path.GetFullPath(explicitStats)
            : Scenes.Any(s => s.Format == "partnet") ? PartNetBenchmark.LocateStats(root) : null;

        static int IndexOf(string format) => Preference.ToList().IndexOf(format);
    }

    /// <summary>How the dataset reads its scenes and where it looks for their side files.</summary>
    public SceneDatasetOptions Options { get; }

    /// <summary>Other preprocessings of scenes that are listed under another source (see the remarks).</summary>
    public IReadOnlyList<SceneSource> Alternatives { get; }

    /// <summary>The predictions folder of <see cref="SceneDatasetOptions.Predictions"/>, or null.</summary>
    public LabelFolder? Predictions => Options.Predictions is { } p ? new LabelFolder(p) : null;

    /// <summary>The pseudo-label folder of <see cref="SceneDatasetOptions.PseudoLabels"/>, or null.</summary>
    public LabelFolder? PseudoLabels => Options.PseudoLabels is { } p ? new LabelFolder(p) : null;

    /// <summary>
    /// The PartNet release's <c>stats/</c> folder (<see cref="SceneDatasetOptions.PartNetStats"/>, else found beside the
    /// shapes' <c>data/</c> by <see cref="PartNetBenchmark.LocateStats"/>), or null: its level lists give PartNet's
    /// benchmark levels, its <c>train_val_test_split/</c> the splits when <c>splits/</c> has none.
    /// </summary>
    public string? PartNetStats { get; }

    /// <summary>The benchmark level lists of <see cref="PartNetStats"/>, or null when there are none.</summary>
    public PartNetBenchmark? LoadPartNetBenchmark() => PartNetBenchmark.LoadStats(PartNetStats);

    /// <summary>The folder the dataset was opened at (for a single file, its folder).</summary>
    public string Root { get; }

    /// <summary>Every scene, in ordinal order of their paths (one source per id).</summary>
    public IReadOnlyList<SceneSource> Scenes { get; }

    /// <summary>Opens a dataset folder, a scene folder or a scene file.</summary>
    public static SceneDataset Open(string path) => Open(path, SceneDatasetOptions.Default);

    /// <summary>Opens a dataset folder, a scene folder or a scene file with <paramref name="options"/>.</summary>
    public static SceneDataset Open(string path, SceneDatasetOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Segments is { } segs && !Directory.Exists(segs)) throw new DirectoryNotFoundException($"{segs}: no such segments folder");
        if (Directory.Exists(path))
        {
            var scenes = SceneLoader.Enumerate(path, options.Read).ToList();
            if (scenes.Count == 0) throw new DataFormatException(path, $"no scenes found (expected ScanNet scans/<scene>/, S3DIS rooms, PartNet shapes, mmdetection3d points/ or *_vert.npy, or {SceneLoader.FileKinds} files)");
            return new SceneDataset(Path.GetFullPath(path), scenes, options);
        }
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file or folder", path);
        var full = Path.GetFullPath(path);
        return new SceneDataset(Path.GetDirectoryName(full)!, [SceneLoader.Source(full, options.Read)], options);
    }

    /// <summary>
    /// The over-segmentation file of <paramref name="scene"/>: in <see cref="SceneDatasetOptions.Segments"/> when given
    /// (only there), else beside the scene (in its folder, or the folder of its file); found by scene id whatever k it
    /// was made with (<see cref="SegmentFiles"/>). Null when there is none; several are an error.
    /// </summary>
    public string? SegmentsPath(SceneSource scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var stems = new List<string> { scene.Name };
        if (File.Exists(scene.Path)) stems.Add(Path.GetFileNameWithoutExtension(scene.Path));
        var dir = Options.Segments ?? SideFolder(scene);
        return SegmentFiles.Choose(SegmentFiles.Candidates(dir, stems), scene.Name);
    }

    /// <summary>
    /// Where <c>oversegment</c> writes the segmentation of <paramref name="scene"/> made with <paramref name="kThresh"/>:
    /// into <paramref name="outDir"/> when given, else beside the scene; named by scene id.
    /// </summary>
    public static string SegmentsOutputPath(SceneSource scene, float kThresh, string? outDir)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var name = SegmentFiles.FileName(scene.Name, kThresh, scene.Format == "scannet");
        return Path.Combine(outDir ?? SideFolder(scene), name);
    }

    /// <summary>
    /// The segment id per point of <paramref name="scene"/> (loaded from <paramref name="source"/>): its
    /// over-segmentation file, else for a mesh ScanNet's Segmentator (0.01 / 20); a point cloud without one is an error
    /// that says to run <c>clickscape oversegment</c>. A file whose length is not the point count is an error.
    /// </summary>
    public int[] Segments(SceneSource source, Scene scene)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scene);
        if (SegmentsPath(source) is { } path)
        {
            var segs = SegmentsFile.Read(path);
            if (segs.SegIndices.Length != scene.PointCount)
                throw new DataFormatException(path, $"{segs.SegIndices.Length} segment ids, scene '{scene.Name}' has {scene.PointCount} points");
            return segs.SegIndices;
        }
        if (scene.Faces is { Length: > 0 }) return MeshSegmentator.Segment(scene.Positions, scene.Faces);
        throw new DataFormatException(source.Path, $"scene '{scene.Name}' has no over-segmentation ({SegmentFiles.FileName(scene.Name, 0.03f, false)} or any k) {(Options.Segments is { } d ? $"in {d}" : "beside it")} and no mesh faces; run clickscape oversegment first");
    }

    /// <summary>The click file of <paramref name="scene"/>, <c>CLICKS/&lt;scene&gt;.json</c>, or null when there is none (or no clicks folder).</summary>
    public string? ClicksPath(SceneSource scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if (Options.Clicks is not { } dir) return null;
        var path = Path.Combine(dir, scene.Name + ".json");
        return File.Exists(path) ? path : null;
    }

    /// <summary>The clicks of <paramref name="scene"/>, or null when it has no click file.</summary>
    public ClickSet? LoadClicks(SceneSource scene) => ClicksPath(scene) is { } path ? ClickSet.Load(path) : null;

    /// <summary>The folder a scene's side files sit in by default: the scene folder, or its file's folder.</summary>
    public static string SideFolder(SceneSource scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        return Directory.Exists(scene.Path) ? scene.Path : Path.GetDirectoryName(Path.GetFullPath(scene.Path))!;
    }

    /// <summary>
    /// Whether <c>ROOT/splits/<paramref name="split"/>.txt</c> exists, or PartNet's <c>stats/train_val_test_split/*.&lt;split&gt;.json</c>
    /// (always true for <see cref="AllSplit"/>).
    /// </summary>
    public bool HasSplit(string split) => split == AllSplit || File.Exists(ScanNetSplits.PathOf(Root, split))
        || (PartNetStats is { } stats && PartNetSplits.Files(stats, split).Count > 0);

    /// <summary>
    /// The scenes of <paramref name="split"/>, in the split file's order; <see cref="AllSplit"/> (or null) is every
    /// scene. A missing split file or an id the dataset does not hold is a <see cref="DataFormatException"/>.
    /// </summary>
    public IReadOnlyList<SceneSource> Split(string? split)
    {
        if (split is null || split == AllSplit) return Scenes;
        var file = ScanNetSplits.PathOf(Root, split);
        if (!File.Exists(file) && PartNetStats is { } stats && PartNetSplits.Files(stats, split) is { Count: > 0 } partNetFiles)
            return PartNetSplit(partNetFiles);
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

    /// <summary>
    /// The shapes of PartNet's split files, category by category in their order. A file none of whose shapes the dataset
    /// holds is a category not downloaded and is skipped; one that lists some of them and not others is an error.
    /// </summary>
    private List<SceneSource> PartNetSplit(IReadOnlyList<string> files)
    {
        var result = new List<SceneSource>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var f in files)
        {
            var ids = PartNetSplits.Read(f);
            var missing = ids.Where(id => !_byId.ContainsKey(id)).ToList();
            if (missing.Count == ids.Count) continue;
            if (missing.Count > 0)
                throw new DataFormatException(f, $"lists shape '{missing[0]}' ({missing.Count} of {ids.Count} missing), which {Root} does not hold");
            result.AddRange(ids.Where(taken.Add).Select(id => _byId[id]));
        }
        return result;
    }

    /// <summary>
    /// The one scene of a dataset opened at a scene file or scene folder (or a folder holding one scene), for the
    /// commands that take one scene; several are a <see cref="DataFormatException"/>.
    /// </summary>
    public SceneSource SingleScene() => Scenes.Count == 1
        ? Scenes[0]
        : throw new DataFormatException(Root, $"holds {Scenes.Count} scenes ({string.Join(", ", Scenes.Take(3).Select(s => s.Name))}{(Scenes.Count > 3 ? ", …" : "")}); expected one scene file or scene folder");

    /// <summary>The scene with id <paramref name="id"/>, or null.</summary>
    public SceneSource? Find(string id) => _byId.GetValueOrDefault(id);
}

/// <summary>How a <see cref="SceneDataset"/> reads scenes and where it finds their side files.</summary>
public sealed record SceneDatasetOptions
{
    /// <summary>Default reading, side files beside the scenes, no clicks, predictions or pseudo labels.</summary>
    public static SceneDatasetOptions Default { get; } = new();

    /// <summary>How scene files are read (columns of point tables, ScanNet category map).</summary>
    public SceneReadOptions Read { get; init; } = SceneReadOptions.Default;

    /// <summary>A folder of <c>*.segs.json</c> (flat, or <c>DIR/&lt;scene&gt;/</c>) searched instead of the scenes' own folders.</summary>
    public string? Segments { get; init; }

    /// <summary>A folder of <c>&lt;scene&gt;.json</c> click files.</summary>
    public string? Clicks { get; init; }

    /// <summary>A predictions folder (<c>instance/</c> + <c>semantic/</c>).</summary>
    public string? Predictions { get; init; }

    /// <summary>A pseudo-label folder (<c>instance/</c> + <c>semantic/</c>).</summary>
    public string? PseudoLabels { get; init; }

    /// <summary>PartNet's <c>stats/</c> folder, instead of the one found beside the shapes (<see cref="SceneDataset.PartNetStats"/>).</summary>
    public string? PartNetStats { get; init; }
}
