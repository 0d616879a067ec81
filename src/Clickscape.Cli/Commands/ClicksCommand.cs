using System.CommandLine;
using Clickscape.Data.Clicks;
using Clickscape.Data.Formats.ScanNet;
using Clickscape.Data.IO;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape clicks simulate DATA --policy 1t1c|1t2c|1t3c|maxseg|random-seg --out DIR [--seed S]
/// [--min-points N]</c>: one click file (<c>clickscape.clicks/1</c>) per scene of a ScanNet-layout dataset.
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
        var data = new Argument<string>("data") { Description = "A ScanNet-layout dataset folder (DIR/scans/<scene>/) or one scene folder." };
        var policy = new Option<string>("--policy") { Description = "1t1c, 1t2c, 1t3c, maxseg or random-seg.", DefaultValueFactory = _ => "1t1c" };
        var output = new Option<string>("--out") { Description = "Folder for <scene>.json click files.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed.", DefaultValueFactory = _ => 0 };
        var minPoints = new Option<int>("--min-points") { Description = "Skip instances with fewer points (listed as skipped in the file).", DefaultValueFactory = _ => 0 };
        var command = new Command("simulate", "Click every object of every scene as a simulated annotator would.") { data, policy, output, seed, minPoints };
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
            var options = new ClickSimulator.Options(chosen, parse.GetValue(seed), parse.GetValue(minPoints));
            if (options.MinInstancePoints < 0) throw new UsageException($"--min-points {options.MinInstancePoints}: expected ≥ 0");
            if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"{root}: no such dataset folder");
            var scenes = ScanNetScene.IsSceneFolder(root) ? [root] : ScanNetScene.SceneFolders(root);
            if (scenes.Count == 0) throw new DataFormatException(root, "no ScanNet-layout scenes found (expected DIR/scans/<scene>/<scene>_vh_clean_2.ply)");
            var outDir = parse.GetValue(output)!;
            int total = 0, skipped = 0;
            foreach (var sceneDir in scenes)
            {
                var scene = ScanNetScene.Load(sceneDir);
                if (scene.InstanceIds is null || scene.SemanticLabels is null)
                    throw new DataFormatException(sceneDir, "the scene has no instance and semantic labels (aggregation and segment files): clicks can only be simulated on labelled scenes");
                var segments = needsSegments(options.Policy) ? ScanNetScene.LoadOrComputeSegments(sceneDir, scene) : null;
                var set = ClickSimulator.Simulate(scene, options, segments);
                set.Save(Path.Combine(outDir, $"{scene.Name}.json"));
                total += set.Clicks.Count;
                skipped += set.Skipped.Count;
                stdout.WriteLine($"{scene.Name}: {set.Clicks.Count} clicks on {scene.PointCount} points, {set.Skipped.Count} instances skipped");
            }
            stdout.WriteLine($"{scenes.Count} scenes, {total} clicks ({options.Policy.Name()}, seed {options.Seed}), {skipped} instances skipped → {outDir}");
            return 0;
        });
        return command;

        static bool needsSegments(ClickPolicy p) => p is ClickPolicy.MaxSegment or ClickPolicy.RandomSegment;
    }
}
