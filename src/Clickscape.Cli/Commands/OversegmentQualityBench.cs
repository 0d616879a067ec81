using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Clickscape.Data.Datasets;
using Clickscape.Data.IO;
using Clickscape.Evaluation.Segmentation;
using Clickscape.Geometry.Scenes;
using Clickscape.Geometry.Segmentation;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape bench oversegment-quality DATA... [--method M] [--markdown FILE]</c>: the purity / boundary-recall
/// vs segment-count curve (<see cref="OversegmentationQuality"/>) of every point-cloud over-segmentation method
/// across a fixed parameter sweep, on each dataset given (faces dropped: the scans are treated as point clouds).
/// Prints one Markdown table per dataset and method: the swept parameter, the mean segment count per scene,
/// purity and boundary recall pooled over the scenes' points, and the mean time per scene.
/// </summary>
internal static class OversegmentQualityBench
{
    /// <summary>A swept setting: its label in the table and the segmentation it runs.</summary>
    internal sealed record Setting(string Label, Func<Scene, int[]> Run);

    // Felzenszwalb: k and the minimum size together (on a kNN graph the minimum size sets most of the count).
    private static readonly (float K, int MinPoints)[] KSweep = [(0.005f, 5), (0.01f, 20), (0.02f, 40), (0.03f, 60), (0.05f, 100), (0.1f, 200)];
    private static readonly float[] SeedSweep = [0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.8f];
    private static readonly float[] KSupervoxelSweep = [50, 100, 200, 300, 400, 600];

    /// <summary>
    /// The sweeps of each method, the default setting marked in its label. <paramref name="values"/> replaces the
    /// swept values; <paramref name="overrides"/> (<c>Property=value</c>) set other options of every setting.
    /// </summary>
    internal static IReadOnlyList<(string Method, string Parameter, Setting[] Settings)> Sweeps(float[]? values = null,
        IReadOnlyList<string>? overrides = null)
    {
        var fh = Override(new PointCloudSegmentationOptions(), overrides);
        var vc = Override(new VccsOptions(), overrides);
        var bp = Override(new BoundaryPreservingOptions(), overrides);
        var rm = Override(new RegionMergingOptions(), overrides);
        var sg = Override(new SurfaceGraphOptions(), overrides);
        var lm = Override(new LocalMeshOptions(), overrides);
        rm = rm with { Initial = Override(rm.Initial, overrides?.Where(o => o.StartsWith("Initial.", StringComparison.Ordinal)).Select(o => o["Initial.".Length..]).ToList()) };
        return
        [
            ("felzenszwalb", "k / min points",
                [.. (values?.Select(v => (v, fh.MinPoints)) ?? KSweep).Select(p => new Setting(
                    F(p.Item1) + " / " + p.Item2.ToString(CultureInfo.InvariantCulture) + (p.Item1 == fh.KThresh && p.Item2 == fh.MinPoints ? " (default)" : ""),
                    s => PointCloudSegmentator.Segment(s.Positions, s.Colors, s.Normals, fh with { KThresh = p.Item1, MinPoints = p.Item2 })))]),
            ("vccs", "seed resolution m (voxel " + F(vc.VoxelResolution) + " m)",
                [.. (values ?? SeedSweep).Select(r => new Setting(Mark(r, vc.SeedResolution),
                    s => VccsSupervoxels.Segment(s.Positions, s.Colors, s.Normals, vc with { SeedResolution = r })))]),
            ("boundary-preserving", "supervoxels K",
                [.. (values ?? KSupervoxelSweep).Select(k => new Setting(Mark((int)k, bp.Supervoxels),
                    s => BoundaryPreservingSupervoxels.Segment(s.Positions, s.Colors, s.Normals, bp with { Supervoxels = (int)k })))]),
            ("surface-graph", "k / min points",
                [.. (values?.Select(v => (v, sg.MinPoints)) ?? KSweep).Select(p => new Setting(
                    F(p.Item1) + " / " + p.Item2.ToString(CultureInfo.InvariantCulture) + (p.Item1 == sg.KThresh && p.Item2 == sg.MinPoints ? " (default)" : ""),
                    s => SurfaceGraphSegmentator.Segment(s.Positions, s.Colors, s.Normals, sg with { KThresh = p.Item1, MinPoints = p.Item2 })))]),
            ("local-mesh", "k / min points",
                [.. (values?.Select(v => (v, lm.MinPoints)) ?? KSweep).Select(p => new Setting(
                    F(p.Item1) + " / " + p.Item2.ToString(CultureInfo.InvariantCulture) + (p.Item1 == lm.KThresh && p.Item2 == lm.MinPoints ? " (default)" : ""),
                    s => LocalMeshSegmentator.Segment(s.Positions, s.Colors, s.Normals, lm with { KThresh = p.Item1, MinPoints = p.Item2 })))]),
            ("region-merging", "segments K",
                [.. (values ?? KSupervoxelSweep).Select(k => new Setting(Mark((int)k, rm.Segments),
                    s => RegionMergingSegmentation.Segment(s.Positions, s.Colors, s.Normals, rm with { Segments = (int)k })))]),
        ];
    }

    // Sets Property=value pairs that name a float, int or bool property of the options (others are left alone).
    private static T Override<T>(T options, IReadOnlyList<string>? overrides)
        where T : class
    {
        foreach (var pair in overrides ?? [])
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
                throw new UsageException($"--option {pair}: expected Property=value");
            var property = typeof(T).GetProperty(pair[..eq]);
            if (property is null)
                continue;
            var text = pair[(eq + 1)..];
            object value = property.PropertyType == typeof(float) ? float.Parse(text, CultureInfo.InvariantCulture)
                : property.PropertyType == typeof(int) ? int.Parse(text, CultureInfo.InvariantCulture)
                : property.PropertyType == typeof(bool) ? bool.Parse(text)
                : throw new UsageException($"--option {pair}: {property.Name} is not a number");
            options = (T)typeof(T).GetMethod("<Clone>$")!.Invoke(options, null)!;
            property.SetValue(options, value);
        }
        return options;
    }

    /// <summary>
    /// How hard a dataset is for a point graph, pooled over its scenes: the median, 10th and 90th percentile of the
    /// distance to the nearest neighbour,
    /// and the share of labelled points whose nearest labelled neighbour is of another instance, and whose 8 nearest
    /// labelled neighbours are mostly (more than half) of another instance.
    /// </summary>
    internal static (double Spacing, double Spacing10, double Spacing90, double NearestOther, double MajorityOther) LabelStatistics(IReadOnlyList<Scene> scenes)
    {
        var spacing = new List<float>();
        long labelled = 0, nearestOther = 0, majorityOther = 0;
        const int K = 9; // the point itself first
        foreach (var scene in scenes)
        {
            var ids = scene.InstanceIds!;
            var (nb, d2) = new Geometry.Neighbors.KdTree(scene.Positions).NearestAll(K);
            for (int i = 0; i < scene.PointCount; i++)
            {
                if (d2[i * K + 1] >= 0 && nb[i * K + 1] >= 0)
                    spacing.Add(MathF.Sqrt(d2[i * K + 1]));
                if (ids[i] <= 0)
                    continue;
                int seen = 0, other = 0;
                for (int t = 1; t < K; t++)
                {
                    int j = nb[i * K + t];
                    if (j < 0 || ids[j] <= 0)
                        continue;
                    if (seen == 0 && ids[j] != ids[i])
                        nearestOther++;
                    seen++;
                    if (ids[j] != ids[i])
                        other++;
                }
                labelled++;
                if (2 * other > seen)
                    majorityOther++;
            }
        }
        spacing.Sort();
        double At(double q) => spacing.Count == 0 ? double.NaN : spacing[(int)(q * (spacing.Count - 1))];
        return (At(0.5), At(0.1), At(0.9), (double)nearestOther / labelled, (double)majorityOther / labelled);
    }

    private static string F(float v) => v.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Mark(float value, float chosen) => F(value) + (value == chosen ? " (default)" : "");

    private static string Mark(int value, int chosen) => value.ToString(CultureInfo.InvariantCulture) + (value == chosen ? " (default)" : "");

    public static Command Create()
    {
        var data = new Argument<string[]>("data") { Description = "Datasets, scene folders or scene files (faces are dropped).", Arity = ArgumentArity.OneOrMore };
        var method = new Option<string?>("--method") { Description = "Only this method: felzenszwalb, vccs, boundary-preserving, surface-graph, local-mesh or region-merging (default: all)." };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the tables to this Markdown file." };
        var values = new Option<string?>("--values") { Description = "Comma-separated values of the swept parameter instead of the built-in sweep (for tuning)." };
        var overrides = new Option<string[]>("--option") { Description = "Property=value of the method's options record, e.g. ColorWeight=0.2 (repeatable; for tuning)." };
        var command = new Command("oversegment-quality", "Purity and boundary recall vs segment count of the point-cloud over-segmentation methods across a parameter sweep.")
        {
            data, method, markdown, values, overrides,
        };
        CommandAction.Set(command, (parse, output) =>
        {
            var valueText = parse.GetValue(values);
            var swept = valueText?.Split(',').Select(v => float.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var sweeps = Sweeps(swept, parse.GetValue(overrides));
            var only = parse.GetValue(method);
            if (only is not null && sweeps.All(s => s.Method != only))
                throw new UsageException($"--method {only}: expected one of {string.Join(", ", sweeps.Select(s => s.Method))}");
            var text = new StringBuilder();
            var quality = new OversegmentationQuality();
            foreach (var path in parse.GetValue(data)!)
            {
                var scenes = SceneDataset.Open(path).Scenes.Select(source => source.Load()).ToList();
                foreach (var scene in scenes)
                {
                    if (scene.InstanceIds is null)
                        throw new DataFormatException(path, $"scene {scene.Name} has no instance labels; expected labelled scans");
                    scene.Faces = null;
                }
                text.Append(CultureInfo.InvariantCulture, $"### {path}: {scenes.Count} scene(s), {scenes.Sum(s => (long)s.PointCount)} points\n\n");
                var stats = LabelStatistics(scenes);
                var statsLine = string.Create(CultureInfo.InvariantCulture,
                    $"nearest-neighbour spacing median {stats.Spacing * 100:F2} cm (10 % {stats.Spacing10 * 100:F2}, 90 % {stats.Spacing90 * 100:F2}); labelled points whose nearest neighbour is of another instance {stats.NearestOther:P1}, whose 8-NN majority is another instance {stats.MajorityOther:P1}\n\n");
                text.Append(statsLine);
                output.Write(statsLine);
                foreach (var (name, parameter, settings) in sweeps)
                {
                    if (only is not null && name != only)
                        continue;
                    text.Append(CultureInfo.InvariantCulture, $"{name}\n\n| {parameter} | segments / scene | purity | boundary recall | ms / scene |\n|---|---|---|---|---|\n");
                    foreach (var setting in settings)
                    {
                        long segments = 0, labelled = 0, boundary = 0, recalled = 0;
                        double pure = 0, ms = 0;
                        foreach (var scene in scenes)
                        {
                            var clock = Stopwatch.StartNew();
                            var seg = setting.Run(scene);
                            ms += clock.Elapsed.TotalMilliseconds;
                            var r = quality.Evaluate(scene.Positions, seg, scene.InstanceIds!);
                            segments += r.Segments;
                            labelled += r.LabelledPoints;
                            pure += r.Purity * r.LabelledPoints;
                            boundary += r.BoundaryPoints;
                            recalled += r.RecalledBoundaryPoints;
                        }
                        var row = string.Create(CultureInfo.InvariantCulture,
                            $"| {setting.Label} | {(double)segments / scenes.Count:F0} | {pure / labelled:F3} | {(double)recalled / boundary:F3} | {ms / scenes.Count:F0} |\n");
                        text.Append(row);
                        output.Write(row);
                        output.Flush();
                    }
                    text.Append('\n');
                }
            }
            output.WriteLine();
            output.Write(text.ToString());
            if (parse.GetValue(markdown) is { } file)
                AtomicFile.WriteAllText(file, text.ToString());
            return 0;
        });
        return command;
    }
}
