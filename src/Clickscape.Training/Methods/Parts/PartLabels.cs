using Clickscape.Data;
using Clickscape.Data.Formats.PartNet;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Training.Methods.Parts;

/// <summary>
/// The training labels of one shape at every level (<see cref="PartNetLevels"/>: missing levels copied from the coarser
/// one): the class index of every point in the run's class list of the level (<see cref="Labels.Ignore"/> for a part
/// the list does not hold) and its instance (the part's node id).
/// </summary>
/// <param name="Class">[level][point] class index.</param>
/// <param name="Instance">[level][point] instance id (node id).</param>
/// <param name="Root">The name of the shape's root node (<c>chair</c>): its category, the first segment of its class paths.</param>
public sealed record PartLabels(int[][] Class, int[][] Instance, string Root)
{
    /// <summary>The root name of <paramref name="shape"/> ("" without a tree).</summary>
    public static string RootOf(PartNetShape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return shape.Roots.Count > 0 ? shape.Roots[0].Name : "";
    }

    /// <summary>
    /// Per level, the logit bias of a shape whose root is <paramref name="root"/>: 0 for the classes under that root, −10⁴
    /// for the others (no class of its own at a level, e.g. a category the run never saw: 0 everywhere).
    /// </summary>
    public static float[][] CategoryBias(IReadOnlyList<IReadOnlyList<string>> classes, string root)
    {
        ArgumentNullException.ThrowIfNull(classes);
        return classes.Select(level =>
        {
            var own = level.Select(p => p == root || p.StartsWith(root + "/", StringComparison.Ordinal)).ToArray();
            return own.Any(o => o) ? own.Select(o => o ? 0f : -1e4f).ToArray() : new float[level.Count];
        }).ToArray();
    }

    /// <summary>The PartNet shape behind <paramref name="source"/>; any other scene format is a <see cref="DataFormatException"/>.</summary>
    public static PartNetShape LoadShape(SceneSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Format != "partnet")
            throw new DataFormatException(source.Path, $"scene '{source.Name}' is a {source.Format} scene; method 'parts' trains and predicts on PartNet shape folders (result.json + point_sample/)");
        return PartNetShape.Load(source.Path);
    }

    /// <summary>The labels of <paramref name="shape"/>'s depth levels over the run's classes (<paramref name="classes"/>[level] = node paths).</summary>
    public static PartLabels Of(PartNetShape shape, IReadOnlyList<IReadOnlyList<string>> classes)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(classes);
        return Of(PartNetLevels.Labels(shape, classes.Count), RootOf(shape), classes);
    }

    /// <summary>
    /// The labels of a shape whose levels are <paramref name="levels"/> over the run's classes: a point of no part
    /// ("other") or of a part the run has no class for is <see cref="Labels.Ignore"/>.
    /// </summary>
    public static PartLabels Of(PartNetLevelLabels levels, string root, IReadOnlyList<IReadOnlyList<string>> classes)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentNullException.ThrowIfNull(classes);
        if (levels.Paths.Length != classes.Count) throw new ArgumentException($"{levels.Paths.Length} levels of labels for {classes.Count} levels of classes");
        var cls = new int[classes.Count][];
        for (int k = 0; k < classes.Count; k++)
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < classes[k].Count; i++) index.TryAdd(classes[k][i], i);
            cls[k] = levels.Paths[k].Select(p => p is not null && index.TryGetValue(p, out int c) ? c : Labels.Ignore).ToArray();
        }
        return new PartLabels(cls, levels.Instances, root);
    }

    /// <summary>
    /// The shape behind <paramref name="source"/> and its <paramref name="levels"/> levels: PartNet's benchmark levels when
    /// <paramref name="benchmark"/> lists its category, else the depth levels (<see cref="PartNetLevels.Of"/>).
    /// </summary>
    public static (PartNetShape Shape, PartNetLevelLabels Levels) LoadLevels(SceneSource source, PartNetBenchmark? benchmark, int levels)
    {
        var shape = LoadShape(source);
        return (shape, PartNetLevels.Of(source.Path, shape, benchmark, levels));
    }

    /// <summary>The classes of each level over <paramref name="shapes"/>' depth levels: the distinct node paths, ordinal order.</summary>
    public static string[][] Vocabulary(IEnumerable<PartNetShape> shapes, int levels)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        return Vocabulary(shapes.Select(s => (s, PartNetLevels.Labels(s, levels))), null, levels);
    }

    /// <summary>
    /// The classes of each level: first, for every category of <paramref name="shapes"/> that <paramref name="benchmark"/>
    /// lists (ordinal order), its level file's paths in line order (a missing level's copied from the level it takes its
    /// labels from), so that with one category label = line index + 1 as in PartNet; then the distinct paths of the other
    /// shapes' levels, ordinal order.
    /// </summary>
    public static string[][] Vocabulary(IEnumerable<(PartNetShape Shape, PartNetLevelLabels Levels)> shapes, PartNetBenchmark? benchmark, int levels)
    {
        ArgumentNullException.ThrowIfNull(shapes);
        var list = shapes.ToList();
        var listed = list.Select(s => benchmark?.For(s.Shape.Category)).OfType<PartNetBenchmarkCategory>()
            .DistinctBy(c => c.Category).OrderBy(c => c.Category, StringComparer.Ordinal).ToList();
        var result = new string[levels][];
        for (int k = 0; k < levels; k++)
        {
            var classes = new List<string>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var category in listed)
                classes.AddRange(category.ClassesAt(k + 1).Where(seen.Add));
            var others = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var (shape, labels) in list)
            {
                if (benchmark?.For(shape.Category) is not null) continue;
                others.UnionWith(labels.Paths[k].OfType<string>());
            }
            classes.AddRange(others.Where(seen.Add));
            result[k] = classes.ToArray();
        }
        return result;
    }
}

/// <summary>
/// The offset targets of one level of one shape, in the sample's (augmented) coordinates: the instance centre of a
/// point is the mean of its instance's points, and its semantic region centre (§3.3) is the mean of the centres of
/// all instances of its class, each instance once (REFERENCE.md §6). Targets are centre − p; points of an ignored class
/// get a zero target and weight 0.
/// </summary>
public static class PartTargets
{
    /// <summary>(instance offsets, region offsets, whether each point has a target), N × 3 each.</summary>
    public static (float[] Instance, float[] Region, bool[] Valid) Compute(ReadOnlySpan<float> positions, ReadOnlySpan<int> classes, ReadOnlySpan<int> instances)
    {
        int n = classes.Length;
        if (positions.Length != 3 * n || instances.Length != n) throw new ArgumentException("part targets: positions N × 3, classes and instances N");
        var centre = new Dictionary<(int Class, int Instance), (double X, double Y, double Z, int Count)>();
        for (int i = 0; i < n; i++)
        {
            if (classes[i] < 0) continue;
            var key = (classes[i], instances[i]);
            var c = centre.GetValueOrDefault(key);
            centre[key] = (c.X + positions[3 * i], c.Y + positions[3 * i + 1], c.Z + positions[3 * i + 2], c.Count + 1);
        }
        var region = new Dictionary<int, (double X, double Y, double Z, int Count)>();
        foreach (var ((cls, _), c) in centre)
        {
            var r = region.GetValueOrDefault(cls);
            region[cls] = (r.X + c.X / c.Count, r.Y + c.Y / c.Count, r.Z + c.Z / c.Count, r.Count + 1);
        }
        var oi = new float[3 * n];
        var os = new float[3 * n];
        var valid = new bool[n];
        for (int i = 0; i < n; i++)
        {
            if (classes[i] < 0) continue;
            valid[i] = true;
            var c = centre[(classes[i], instances[i])];
            var r = region[classes[i]];
            oi[3 * i] = (float)(c.X / c.Count - positions[3 * i]);
            oi[3 * i + 1] = (float)(c.Y / c.Count - positions[3 * i + 1]);
            oi[3 * i + 2] = (float)(c.Z / c.Count - positions[3 * i + 2]);
            os[3 * i] = (float)(r.X / r.Count - positions[3 * i]);
            os[3 * i + 1] = (float)(r.Y / r.Count - positions[3 * i + 1]);
            os[3 * i + 2] = (float)(r.Z / r.Count - positions[3 * i + 2]);
        }
        return (oi, os, valid);
    }
}
