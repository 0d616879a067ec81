using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Clickscape.Data;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Geometry.Interactive;
using Clickscape.Geometry.Scenes;
using Clickscape.Studio.Api;

namespace Clickscape.Studio.Scenes;

/// <summary>
/// A scene as Studio holds it once opened: the points, the segment of every point (0..S−1, what the page highlights
/// and a clicked object labels) and the click-independent refine state. The refiner's segment graph is not built
/// while the scene loads, where the segments come from a file: on a 3-million-point scan building it takes far longer
/// than reading the points, and a person looking or clicking does not need it; <see cref="BuildWalkAsync"/> builds it
/// in the background (the page's open starts it), and the first refine waits for that build or starts it.
/// </summary>
public sealed class LoadedScene
{
    private readonly Lazy<SegmentRandomWalk> _walk;
    private readonly Lazy<(int[] Offsets, int[] Points)> _members;
    private readonly Lock _building = new();
    private Task<SegmentRandomWalk>? _build;

    /// <summary>Holds <paramref name="scene"/> with its segments; <paramref name="walk"/> builds the refiner on first use.</summary>
    public LoadedScene(Scene scene, int[] segments, int segmentCount, Func<SegmentRandomWalk> walk)
    {
        Scene = scene;
        Segments = segments;
        SegmentCount = segmentCount;
        _walk = new Lazy<SegmentRandomWalk>(walk, LazyThreadSafetyMode.ExecutionAndPublication);
        _members = new Lazy<(int[], int[])>(() =>
        {
            var offsets = new int[segmentCount + 1];
            foreach (int g in segments) offsets[g + 1]++;
            for (int g = 0; g < segmentCount; g++) offsets[g + 1] += offsets[g];
            var points = new int[segments.Length];
            var next = offsets[..^1];
            for (int p = 0; p < segments.Length; p++) points[next[segments[p]]++] = p;
            return (offsets, points);
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The scene as loaded from the dataset.</summary>
    public Scene Scene { get; }

    /// <summary>The segment (0..<see cref="SegmentCount"/>−1) of every point.</summary>
    public int[] Segments { get; }

    /// <summary>Number of segments.</summary>
    public int SegmentCount { get; }

    /// <summary>The model-free refiner (segment graph and affinities), built on first use.</summary>
    public SegmentRandomWalk Walk => _walk.Value;

    /// <summary>The refiner, built on a thread-pool thread by the first call; later calls share that build.</summary>
    public Task<SegmentRandomWalk> BuildWalkAsync()
    {
        lock (_building) return _build ??= Task.Run(() => _walk.Value);
    }

    /// <summary>Whether the refiner is built (false while building, or before anything asked for it).</summary>
    public bool WalkBuilt => _walk.IsValueCreated;

    /// <summary>The points of segment <paramref name="segment"/>, ascending.</summary>
    public ReadOnlySpan<int> SegmentPoints(int segment)
    {
        var (offsets, points) = _members.Value;
        return points.AsSpan(offsets[segment], offsets[segment + 1] - offsets[segment]);
    }
}

/// <summary>
/// The scenes Studio may serve: exactly the ids of the dataset (<see cref="SceneDataset"/>), each loaded at most
/// once, on first use, and kept. An id is looked up, never turned into a path, so a request cannot reach outside
/// the data folder; scenes whose files resolve (through symbolic links) outside the data folder are left out.
/// </summary>
public sealed partial class SceneCatalog
{
    private readonly Dictionary<string, SceneSource> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<LoadedScene>> _loaded = new(StringComparer.Ordinal);

    /// <summary>Opens the dataset at <paramref name="dataPath"/>.</summary>
    public SceneCatalog(string dataPath)
    {
        var dataset = SceneDataset.Open(dataPath);
        Root = dataset.Root;
        var ids = new List<string>();
        foreach (var source in dataset.Scenes)
        {
            if (!IdPattern().IsMatch(source.Name) || !StaysInside(Root, source.Path)) continue;
            _sources[source.Name] = source;
            ids.Add(source.Name);
        }
        Ids = ids;
    }

    /// <summary>The dataset folder.</summary>
    public string Root { get; }

    /// <summary>Scene ids in dataset order.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>Whether <paramref name="id"/> is a scene of the dataset.</summary>
    public bool Contains(string id) => _sources.ContainsKey(id);

    /// <summary>The scene <paramref name="id"/>, loading it on first use; 404 for an id the dataset does not hold.</summary>
    public LoadedScene Get(string id)
    {
        var source = Source(id);
        var lazy = _loaded.GetOrAdd(id, _ => new Lazy<LoadedScene>(() => Load(source), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _loaded.TryRemove(id, out _); // a failed load (bad file) is retried next time, not cached
            throw;
        }
    }

    /// <summary>The file or folder scene <paramref name="id"/> is read from (inside <see cref="Root"/>).</summary>
    public string SourcePath(string id) => Path.GetFullPath(Source(id).Path);

    /// <summary>The number of points of <paramref name="id"/> (loads the scene's points only, when not loaded yet).</summary>
    public int PointCount(string id) =>
        _loaded.TryGetValue(id, out var lazy) && lazy.IsValueCreated ? lazy.Value.Scene.PointCount : Source(id).Load().PointCount;

    private SceneSource Source(string id)
    {
        if (!IdPattern().IsMatch(id) || !_sources.TryGetValue(id, out var source))
            throw new ApiException(404, $"no scene '{Shorten(id)}' in the dataset");
        return source;
    }

    private static LoadedScene Load(SceneSource source)
    {
        var scene = source.Load();
        if (scene.PointCount == 0) throw new ApiException(422, $"scene '{source.Name}' has no points");
        int[]? segIndices = source.Format == "scannet" ? ScanNetScene.LoadOrComputeSegments(source.Path, scene) : null;
        if (segIndices is not null)
        {
            // segment ids renumbered 0..S−1 in order of first appearance; the refiner is built when first needed
            var renumber = new Dictionary<int, int>();
            var segments = new int[segIndices.Length];
            for (int p = 0; p < segments.Length; p++)
            {
                if (!renumber.TryGetValue(segIndices[p], out int g)) renumber[segIndices[p]] = g = renumber.Count;
                segments[p] = g;
            }
            return new LoadedScene(scene, segments, renumber.Count, () => SegmentRandomWalk.FromScene(scene, segIndices));
        }
        // no segment file: the refiner's own over-segmentation is the one shown
        var walk = SegmentRandomWalk.FromScene(scene);
        return new LoadedScene(scene, walk.PointSegments(), walk.SegmentCount, () => walk);
    }

    // Every component from the root down to the scene, every file and folder inside a scene folder, and the final
    // target of each link among them, stays under the root.
    private static bool StaysInside(string root, string path)
    {
        var full = Path.GetFullPath(path);
        if (!IsUnder(root, full)) return false;
        for (var at = full; at.Length > root.Length; at = Path.GetDirectoryName(at)!)
        {
            if (!LinkStaysInside(root, Directory.Exists(at) ? new DirectoryInfo(at) : new FileInfo(at))) return false;
        }
        return !Directory.Exists(full) || ContentsStayInside(root, new DirectoryInfo(full), depth: 0);
    }

    private static bool ContentsStayInside(string root, DirectoryInfo dir, int depth)
    {
        foreach (var entry in dir.EnumerateFileSystemInfos())
        {
            if (!LinkStaysInside(root, entry)) return false;
            if (entry is DirectoryInfo sub && entry.LinkTarget is null && (depth >= 8 || !ContentsStayInside(root, sub, depth + 1))) return false;
        }
        return true;
    }

    private static bool LinkStaysInside(string root, FileSystemInfo info)
    {
        if (info.LinkTarget is null) return true;
        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        return target is not null && IsUnder(root, Path.GetFullPath(target.FullName));
    }

    private static bool IsUnder(string root, string path)
    {
        var r = Path.TrimEndingDirectorySeparator(root);
        return path == r || path.StartsWith(r + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static string Shorten(string id) => id.Length <= 80 ? id : id[..80] + "…";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex IdPattern();
}
