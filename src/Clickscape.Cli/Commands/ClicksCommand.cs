using System.CommandLine;
using Clickscape.Data.Clicks;
using Clickscape.Data.Datasets;
using Clickscape.Data.IO;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape clicks simulate DATA --policy 1t1c|1t2c|1t3c|maxseg|random-seg --out DIR [--seed S]
/// [--min-points N] [--segments DIR] [--columns …] [--shard i/n]</c>: one click file (<c>clickscape.clicks/1</c>) per scene that
/// <see cref="SceneDataset"/> enumerates (any layout <c>info</c> reads), named by scene id.
/// </summary>
internal static class ClicksCommand
{
    public static Command Create()
    {
        var clicks = new Command("clicks", "Simulated annotator clicks.");
        clicks.Subcommands.Add(CreateSimulate());
        return clicks;
    }

    private static Command CreateSimulate()
    {
        var data = new Argument<string>("data") { Description = "A dataset folder, scene folder or scene file (any layout `info` reads) with instance labels." };
        var policy = new Option<string>("--policy") { Description = "1t1c, 1t2c, 1t3c, maxseg or random-seg.", DefaultValueFactory = _ => "1t1c" };
        var output = new Option<string>("--out") { Description = "Folder for <scene>.json click files.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0 };
        var minPoints = new Option<int>("--min-points") { Description = "Skip instances with fewer points (listed as skipped in the file).", DefaultValueFactory = _ => 0 };
        var segmentsDir = new Option<string?>("--segments") { Description = "Folder of <scene>.<k>.segs.json over-segmentations (maxseg, random-seg); default: beside each scene." };
        var top = new Option<int>("--top-segments") { Description = "random-seg: click one of the instance's N largest segments (probability ∝ size).", DefaultValueFactory = _ => 3 };
        var columns = new ColumnsOption();
        var shard = new ShardOption();
        var command = new Command("simulate", "Click every object of every scene as a simulated annotator would.") { data, policy, output, seed, minPoints, segmentsDir, top, columns, shard };
        CommandAction.Set(command, (parse, stdout) =>
        {
            var root = parse.GetValue(data)!;
            ClickPolicy chosen;
            try
            {
                chosen = ClickPolicyNames.Parse(parse.GetValue(policy)!);
            }
            catch (ArgumentException e)
            {
                throw new UsageException($"--policy: {e.Message}", e);
            }
            var options = new ClickSimulator.Options(chosen, parse.GetValue(seed), parse.GetValue(minPoints), parse.GetValue(top));
            if (options.TopSegments < 1) throw new UsageException($"--top-segments {options.TopSegments}: expected ≥ 1");
            if (options.MinInstancePoints < 0) throw new UsageException($"--min-points {options.MinInstancePoints}: expected ≥ 0");
            var part = shard.Get(parse);
            if (!Directory.Exists(root) && !File.Exists(root)) throw new DirectoryNotFoundException($"{root}: no such dataset folder");
            var dataset = SceneDataset.Open(root, new SceneDatasetOptions { Read = columns.ReadOptions(parse), Segments = parse.GetValue(segmentsDir) });
            var scenes = part?.Select(dataset.Scenes) ?? dataset.Scenes;
            var outDir = parse.GetValue(output)!;
            int total = 0, skipped = 0;
            foreach (var source in scenes)
            {
                var file = Path.Combine(outDir, $"{source.Name}.json");
                if (ShardOption.Complete(part, file))
                {
                    stdout.WriteLine($"{source.Name}: complete, skipped");
                    continue;
                }
                var scene = source.Load();
                scene.Name = source.Name;
                if (scene.InstanceIds is null || scene.SemanticLabels is null)
                    throw new DataFormatException(source.Path, "the scene has no instance and semantic labels: clicks can only be simulated on labelled scenes");
                var segments = needsSegments(options.Policy) ? dataset.Segments(source, scene) : null;
                var set = ClickSimulator.Simulate(scene, options, segments);
                set.Save(file);
                total += set.Clicks.Count;
                skipped += set.Skipped.Count;
                stdout.WriteLine($"{source.Name}: {set.Clicks.Count} clicks on {scene.PointCount} points, {set.Skipped.Count} instances skipped");
            }
            stdout.WriteLine($"{scenes.Count} scenes, {total} clicks ({options.Policy.Name()}, seed {options.Seed}), {skipped} instances skipped → {outDir}");
            return 0;
        });
        return command;

        static bool needsSegments(ClickPolicy p) => p is ClickPolicy.MaxSegment or ClickPolicy.RandomSegment;
    }
}
