using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Clickscape.Data.Synthetic.Parts;
using Clickscape.Data.Synthetic.Scenes;

namespace Clickscape.Cli.Commands;

/// <summary>
/// <c>clickscape synth &lt;kind&gt;</c>: generated datasets with exact ground truth. Each kind is a subcommand in
/// its own file; <see cref="Subcommands"/> lists them.
/// </summary>
internal static class SynthCommand
{
    public static Command Create()
    {
        var command = new Command("synth", "Generate datasets with exact ground truth (scenes, parts, images).");
        foreach (var sub in Subcommands())
            command.Subcommands.Add(sub);
        return command;
    }

    /// <summary>The subcommands of <c>synth</c>, one per line; each new kind of dataset adds its own
    /// <c>Synth&lt;Kind&gt;Command.Create()</c> line here.</summary>
    private static IEnumerable<Command> Subcommands()
    {
        yield return CreateScenes();
        yield return CreateParts();
        yield return SynthImagesCommand.Create();
        yield return SynthBenchmarkCommand.Create();
    }

    /// <summary><c>synth scenes --count N --out DIR [--seed S] [--size small|medium|large] [--shard i/n] [--unseen-classes] [--scan-like [--depth-noise M]]</c>.</summary>
    private static Command CreateScenes()
    {
        var count = new Option<int>("--count") { Description = "Number of rooms.", DefaultValueFactory = _ => 3 };
        var outDir = new Option<string>("--out") { Description = "Output folder (ScanNet layout: scans/<scene>/…, splits/).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same bytes.", DefaultValueFactory = _ => 0 };
        var size = new Option<string>("--size") { Description = "Vertex density: small (20–40k), medium (60–100k) or large (120–150k vertices per room).", DefaultValueFactory = _ => "medium" };
        size.AcceptOnlyFromAmong("small", "medium", "large");
        var shard = new ShardOption();
        var unseen = new Option<bool>("--unseen-classes") { Description = "Also place lamps, boxes, bags and towels (NYU40 classes outside the benchmark's 20; every other object unchanged)." };
        var scanLike = new Option<bool>("--scan-like") { Description = "Add reconstruction artefacts (rounded contacts, bled colour, irregular spacing, depth noise): a development set for over-segmentation." };
        var depthNoise = new Option<float?>("--depth-noise") { Description = "--scan-like: σ of the depth noise along the normal, metres (default 0.003)." };
        var command = new Command("scenes", "Generate scanned indoor rooms with NYU40 labels and instances in the ScanNet layout.") { count, outDir, seed, size, shard, unseen, scanLike, depthNoise };
        CommandAction.Set(command, (parse, output) =>
        {
            int n = parse.GetValue(count);
            if (n < 1) throw new UsageException($"--count {n}: expected at least 1");
            var preset = Enum.Parse<SceneSize>(parse.GetValue(size)!, ignoreCase: true);
            float noise = parse.GetValue(depthNoise) ?? ReconstructionArtifacts.DepthNoise;
            if (!(noise >= 0) || float.IsInfinity(noise)) throw new UsageException($"--depth-noise {noise.ToString(CultureInfo.InvariantCulture)}: expected a finite number ≥ 0 (metres)");
            if (parse.GetValue(depthNoise) is not null && !parse.GetValue(scanLike)) throw new UsageException("--depth-noise: only with --scan-like");
            string folder = parse.GetValue(outDir)!;
            var clock = Stopwatch.StartNew();
            SceneGenerator.WriteDataset(folder, n, (ulong)parse.GetValue(seed), preset, (i, s) =>
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{s.Scene.Name}: {s.Layout.Kind}, {s.Scene.PointCount} vertices, {s.Scene.FaceCount} faces, {s.Scene.InstanceIds!.Max()} instances, {s.SegIndices.Distinct().Count()} segments")),
                shard.Get(parse), new SceneGeneratorOptions { UnseenClasses = parse.GetValue(unseen), ScanLike = parse.GetValue(scanLike), ScanLikeDepthNoise = noise });
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {n} scenes to {folder} in {clock.Elapsed.TotalSeconds:F1} s"));
            return 0;
        });
        return command;
    }

    /// <summary><c>synth parts --count N --out DIR [--seed S] [--shard i/n]</c>.</summary>
    private static Command CreateParts()
    {
        var count = new Option<int>("--count") { Description = "Number of shapes.", DefaultValueFactory = _ => 8 };
        var outDir = new Option<string>("--out") { Description = "Output folder (PartNet v0 layout: <anno_id>/point_sample/…, result.json, meta.json).", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed; the same seed gives the same bytes.", DefaultValueFactory = _ => 0 };
        var shard = new ShardOption();
        var hard = new Option<bool>("--hard") { Description = "The hard set: + scissors, wider proportions, touching and missing parts." };
        var command = new Command("parts", "Generate shapes (chairs, tables, lamps, storage) with a 3-level part hierarchy in the PartNet layout, with splits/train.txt and val.txt (every fifth shape).") { count, outDir, seed, shard, hard };
        CommandAction.Set(command, (parse, output) =>
        {
            int n = parse.GetValue(count);
            if (n < 1) throw new UsageException($"--count {n}: expected at least 1");
            string folder = parse.GetValue(outDir)!;
            var clock = Stopwatch.StartNew();
            PartShapeGenerator.WriteDataset(folder, n, (ulong)parse.GetValue(seed), (id, shape) =>
                output.WriteLine($"{id}: {shape.Category}, {shape.Root.Leaves().Count()} leaf parts"), shard.Get(parse), parse.GetValue(hard));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {n} shapes to {folder} in {clock.Elapsed.TotalSeconds:F1} s"));
            return 0;
        });
        return command;
    }
}
