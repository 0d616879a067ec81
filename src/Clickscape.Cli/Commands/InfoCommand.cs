using System.CommandLine;
using System.Globalization;
using Clickscape.Data;
using Clickscape.Data.Classes;
using Clickscape.Data.Datasets;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;
using Clickscape.Geometry.Scenes;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape info PATH</c>: for a scene file or folder, or every scene under a dataset folder, the point
/// and face counts, which attributes are present, the classes present with their point and instance counts,
/// and the number of instances; for several scenes also a dataset summary (including how many of the 18
/// ScanNet instance classes occur). A scene that fails to load is reported on standard error and the exit
/// code is 1, the others are still listed. Scenes are enumerated by <see cref="SceneDataset"/>, as every command does.
/// </summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("path") { Description = "A scene file (.ply, .npy, .bin, .pcd, .las, .xyz, .txt), a scene folder, or a dataset folder." };
        var columns = new ColumnsOption();
        var labelsTsv = new Option<string?>("--labels-tsv")
        {
            Description = "scannetv2-labels.combined.tsv: map the raw categories of ScanNet aggregation files to NYU40 ids (columns raw_category, nyu40id).",
        };
        var command = new Command("info", "Print points, classes and instances of a scene or of every scene in a dataset folder.") { path, columns, labelsTsv };
        CommandAction.Set(command, (parse, output) =>
        {
            var read = columns.ReadOptions(parse);
            if (parse.GetValue(labelsTsv) is { } tsv)
            {
                if (!File.Exists(tsv)) throw new FileNotFoundException($"{tsv}: no such label map file (--labels-tsv)");
                read = read with { LabelMap = ScanNetLabelMap.Load(tsv) };
            }
            var dataset = SceneDataset.Open(parse.GetValue(path)!, new SceneDatasetOptions { Read = read });
            foreach (var alt in dataset.Alternatives)
                output.WriteLine($"note: {alt.Path} [{alt.Format}] is another copy of scene '{alt.Name}', listed once as {dataset.Find(alt.Name)!.Path}");
            return Print([.. dataset.Scenes], output, parse.InvocationConfiguration.Error);
        });
        return command;
    }

    private sealed class ClassTally
    {
        public long Points;
        public int Instances;
        public int Scenes;
    }

    private static int Print(List<SceneSource> sources, TextWriter output, TextWriter error)
    {
        int failed = 0;
        long totalPoints = 0, totalFaces = 0, totalInstances = 0;
        var tallies = new SortedDictionary<int, ClassTally>();
        ClassTable? table = null;
        bool sameTable = true;
        int loaded = 0;
        foreach (var source in sources)
        {
            Scene scene;
            try
            {
                scene = source.Load();
            }
            catch (Exception e) when (e is DataFormatException or IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"error: {ErrorText.OneLine(e.Message)}");
                failed++;
                continue;
            }
            loaded++;
            if (loaded == 1) table = scene.Classes;
            else if (!ReferenceEquals(table, scene.Classes) && table?.Name != scene.Classes?.Name) sameTable = false;
            var perClass = PrintScene(source, scene, output);
            totalPoints += scene.PointCount;
            totalFaces += scene.FaceCount;
            foreach (var (id, (points, instances)) in perClass)
            {
                if (!tallies.TryGetValue(id, out var t)) tallies[id] = t = new ClassTally();
                t.Points += points;
                t.Instances += instances;
                t.Scenes++;
                totalInstances += instances;
            }
        }
        if (sources.Count > 1 && loaded > 0)
        {
            output.WriteLine();
            output.WriteLine(Invariant($"dataset: {loaded} scenes, {totalPoints} points, {totalFaces} faces, {totalInstances} instances"));
            var summaryTable = sameTable ? table : null;
            if (summaryTable?.Name == "nyu40")
            {
                int present = ScanNetBenchmark.Instance18Ids.Count(id => tallies.TryGetValue(id, out var t) && t.Instances > 0);
                output.WriteLine(Invariant($"  ScanNet instance classes present: {present} of {ScanNetBenchmark.Instance18Ids.Count}"));
                var missing = ScanNetBenchmark.Instance18Ids.Where(id => !(tallies.TryGetValue(id, out var t) && t.Instances > 0)).Select(id => ClassTables.Nyu40.Find(id)!.Name).ToList();
                if (missing.Count > 0) output.WriteLine($"  missing: {string.Join(", ", missing)}");
            }
            output.WriteLine(Invariant($"  {"id",5}  {"class",-24} {"scenes",7} {"points",12} {"instances",10}"));
            foreach (var (id, t) in tallies)
                output.WriteLine(Invariant($"  {id,5}  {ClassName(summaryTable, id),-24} {t.Scenes,7} {t.Points,12} {t.Instances,10}"));
        }
        if (failed > 0 && sources.Count > 1) error.WriteLine(Invariant($"error: {failed} of {sources.Count} scenes could not be read"));
        return failed > 0 ? CommandAction.BadInput : 0;
    }

    /// <summary>Prints one scene; returns per class (points, instances whose majority class it is).</summary>
    private static SortedDictionary<int, (long Points, int Instances)> PrintScene(SceneSource source, Scene scene, TextWriter output)
    {
        output.WriteLine($"{scene.Name}  [{source.Format}] {source.Path}");
        foreach (var note in scene.Notes) output.WriteLine($"  note       {ErrorText.OneLine(note)}");
        output.WriteLine(Invariant($"  points     {scene.PointCount}"));
        output.WriteLine(Invariant($"  faces      {scene.FaceCount}"));
        output.WriteLine($"  colours    {(scene.Colors is null ? "no" : "yes")}");
        output.WriteLine($"  normals    {(scene.Normals is null ? "no" : "yes")}");
        var (min, max) = scene.Bounds();
        output.WriteLine(Invariant($"  bounds     ({min.X:F3}, {min.Y:F3}, {min.Z:F3}) – ({max.X:F3}, {max.Y:F3}, {max.Z:F3})"));

        var result = new SortedDictionary<int, (long, int)>();
        int instanceCount = 0;
        var instanceClass = new Dictionary<int, int>();
        if (scene.InstanceIds is { } ids)
        {
            // Class of an instance = the majority semantic label of its points.
            var votes = new Dictionary<(int Instance, int Label), int>();
            for (int i = 0; i < ids.Length; i++)
            {
                if (ids[i] == Scene.NoInstance) continue;
                var key = (ids[i], scene.SemanticLabels?[i] ?? Labels.Unlabelled);
                votes[key] = votes.GetValueOrDefault(key) + 1;
            }
            foreach (var group in votes.GroupBy(v => v.Key.Instance))
                instanceClass[group.Key] = group.OrderByDescending(v => v.Value).ThenBy(v => v.Key.Label).First().Key.Label;
            instanceCount = instanceClass.Count;
            output.WriteLine(Invariant($"  instances  {instanceCount}"));
        }
        else
        {
            output.WriteLine("  instances  (none)");
        }

        if (scene.SemanticLabels is { } labels)
        {
            var points = new SortedDictionary<int, long>();
            foreach (int l in labels) points[l] = points.GetValueOrDefault(l) + 1;
            var instancesPerClass = instanceClass.Values.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
            output.WriteLine(Invariant($"  classes    {points.Count(p => p.Key != Scene.Unlabelled)} present{(scene.Classes is { } t ? $" ({t.Name})" : "")}"));
            output.WriteLine(Invariant($"    {"id",5}  {"class",-24} {"points",10} {"instances",10}"));
            foreach (var (id, count) in points)
            {
                int inst = instancesPerClass.GetValueOrDefault(id);
                output.WriteLine(Invariant($"    {id,5}  {ClassName(scene.Classes, id),-24} {count,10} {inst,10}"));
                result[id] = (count, inst);
            }
        }
        else
        {
            output.WriteLine("  classes    (no labels)");
            if (instanceCount > 0) result[Scene.Unlabelled] = (0, instanceCount);
        }
        return result;
    }

    private static string ClassName(ClassTable? table, int id) =>
        id == Scene.Unlabelled ? "(unlabelled)" : table?.Find(id)?.Name ?? "?";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
